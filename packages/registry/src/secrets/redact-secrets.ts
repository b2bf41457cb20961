import { hasSecretReference } from './secret-references.js';

// Keys whose literal values are secrets wherever they appear in settings.
const secretKeyPattern = /(key|secret|password|passwd|token|credential|auth)/i;

// Query parameters that carry secrets in connection URLs (libpq's sslpassword/sslkey, OAuth's access_token, …).
const secretQueryParameters = new Set(['password', 'sslpassword', 'sslkey', 'token', 'access_token', 'api_key', 'apikey', 'key', 'secret']);

// A value that is only `${ENV}` references names a secret without revealing it.
const onlyReferences = /^(\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/;

const urlStart = /^[a-z][a-z0-9+.-]*:\/\//i;
// A URL inside free text (an error message, a log line): up to whitespace or a quote.
const urlInText = /[a-z][a-z0-9+.-]*:\/\/[^\s'"<>`]+/gi;

/** Shown instead of a secret. */
export const redactedMarker = '***';

/**
 * Masks the secrets of a URL: the password of its userinfo (`postgres://app:***@db/mem`) and the
 * values of secret query parameters (`?sslpassword=***`, `token`, `access_token`, `api_key`,
 * `apikey`, `key`, `secret`, `password`, `sslkey`, and any name that looks like a secret). The rest
 * is kept byte for byte, `${ENV_VAR}` references included (a reference is not a secret). A value
 * that is not a URL is returned as is.
 */
export function redactUrl(value: string): string {
  if (!urlStart.test(value)) return value;
  const schemeEnd = value.indexOf('://') + 3;
  const authorityEnd = firstIndexOf(value, ['/', '?', '#'], schemeEnd);
  const authority = value.slice(schemeEnd, authorityEnd);
  // The userinfo ends at the authority's last '@', as WHATWG URL reads it (an unencoded '@' may sit in a password).
  const at = authority.lastIndexOf('@');
  let redactedAuthority = authority;
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0 && colon < userinfo.length - 1 && !onlyReferences.test(userinfo.slice(colon + 1))) {
      redactedAuthority = `${userinfo.slice(0, colon + 1)}${redactedMarker}${authority.slice(at)}`;
    }
  }
  const rest = value.slice(authorityEnd);
  const queryStart = rest.indexOf('?');
  if (queryStart < 0) return value.slice(0, schemeEnd) + redactedAuthority + rest;
  const hash = rest.indexOf('#', queryStart);
  const queryEnd = hash < 0 ? rest.length : hash;
  const query = rest
    .slice(queryStart + 1, queryEnd)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      const name = safeDecode(pair.slice(0, equals)).toLowerCase();
      const parameterValue = pair.slice(equals + 1);
      const secret = secretQueryParameters.has(name) || secretKeyPattern.test(name);
      return secret && parameterValue !== '' && !onlyReferences.test(safeDecode(parameterValue)) ? `${pair.slice(0, equals + 1)}${redactedMarker}` : pair;
    })
    .join('&');
  return `${value.slice(0, schemeEnd)}${redactedAuthority}${rest.slice(0, queryStart + 1)}${query}${rest.slice(queryEnd)}`;
}

/** Applies {@link redactUrl} to every URL inside free text (error messages, log lines). */
export function redactSecretsInText(text: string): string {
  return text.replace(urlInText, (url) => redactUrl(url));
}

/**
 * Returns a copy of a JSON value in which every literal secret is masked: the password and secret
 * query parameters of any URL, URLs inside other strings, and the whole value of any key that looks
 * like a secret (`apiKey`, `password`, `token`, …). `${ENV_VAR}` references are kept: they name a
 * secret without revealing it. Use it on everything that leaves the process (API responses, logs, exports).
 */
export function redactSecrets<Value>(value: Value, key = ''): Value {
  if (typeof value === 'string') {
    if (onlyReferences.test(value)) return value;
    if (secretKeyPattern.test(key)) return (hasSecretReference(value) ? value : redactedMarker) as Value;
    return (urlStart.test(value) ? redactUrl(value) : redactSecretsInText(value)) as Value;
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, key)) as Value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([childKey, item]) => [childKey, redactSecrets(item, childKey)])) as Value;
  }
  return value;
}

function firstIndexOf(value: string, characters: readonly string[], from: number): number {
  const found = characters.map((character) => value.indexOf(character, from)).filter((index) => index >= 0);
  return found.length === 0 ? value.length : Math.min(...found);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
