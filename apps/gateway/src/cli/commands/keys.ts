import { parseArgs } from 'node:util';
import { CliFailure, CliUsageError, type CliCommand, type CliIo } from '../cli-command.js';

const usage = `Usage: memgate keys <action> [options]

Manages the API keys of a running gateway over HTTP.
  create --name NAME [--role ROLE]... [--permission PERMISSION]... [--scope FIELD=VALUE]...
         [--allow-ip CIDR]... [--rpm N [--burst N]] [--memories-per-day N] [--stored-memories N]
         [--expires-at ISO] [--json]
                     a new key; it is printed once and cannot be read back later.
                     --role defaults to reader on the gateway. --scope binds the key to a tenant:
                     FIELD is user_id, agent_id or app_id; a VALUE ending in * binds by prefix
                     (--scope app_id=acme-*). --allow-ip limits the addresses it may be used from.
                     --rpm sets its own rate limit in requests per minute, --burst the requests
                     it may make at once (default a tenth of --rpm). --memories-per-day caps the
                     memories it may write per UTC day (across replicas), --stored-memories the
                     memories its scope may hold before its adds are refused (429).
  list [--json]      every key the caller may manage (never the secrets)
  get ID [--json]    one key's record
  rotate ID [--grace-seconds N] [--json]
                     a replacement key, printed once; the old key keeps working for N seconds
                     (default: the gateway's, 24 h), then expires
  revoke ID [--json] revokes a key at once
Options of every action:
  --url URL          the gateway (env MEMGATE_URL; default http://127.0.0.1:8080)
  --json             print the gateway's JSON answer as it came
The calling key is read from the environment only, MEMGATE_KEY (else MEMGATE_ADMIN_KEY): there is no
--key flag, because a key on the command line lands in the shell history and the process list.
Exit codes: 0 done; 1 refused or not found (401, 403, 404, 409) or the gateway is unreachable;
2 an invalid request (a bad flag, or a 400 naming the field).
`;

const defaultUrl = 'http://127.0.0.1:8080';
const scopeFields = ['user_id', 'agent_id', 'app_id'] as const;
const actions = ['create', 'list', 'get', 'rotate', 'revoke'];

/** The API's spelling of a key's record (`GET /keys/{key_id}`). */
interface KeyView {
  id: string;
  prefix: string;
  name: string;
  roles: string[];
  permissions: string[];
  scope: Partial<Record<(typeof scopeFields)[number], string>> | null;
  allowed_ips: string[] | null;
  rate_limit?: { rpm: number; burst: number } | null;
  quota?: { memories_per_day: number | null; stored_memories: number | null } | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  replaced_by: string | null;
}

/** A gateway answer: the parsed body, and its text for `--json`. */
interface GatewayAnswer<Body> {
  body: Body;
  text: string;
}

/** The flag that sets each field of a request body, to name it in a 400's message. */
const flagOfField: Record<string, string> = {
  name: '--name',
  roles: '--role',
  permissions: '--permission',
  scope: '--scope',
  allowed_ips: '--allow-ip',
  rate_limit: '--rpm',
  quota: '--memories-per-day',
  'quota.memories_per_day': '--memories-per-day',
  'quota.stored_memories': '--stored-memories',
  expires_at: '--expires-at',
  grace_period_seconds: '--grace-seconds',
};

/** `memgate keys create|list|get|rotate|revoke`: the key lifecycle API from the command line. */
export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'create, list, show, rotate and revoke API keys of a running gateway',
  usage,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === undefined || !actions.includes(action)) throw new CliUsageError(action === undefined ? 'expected an action: create, list, get, rotate or revoke' : `unknown action "${action}" (expected create, list, get, rotate or revoke)`);
    // Said plainly rather than as parseArgs' "Unknown option": the flag is missing on purpose.
    if (rest.some((arg) => arg === '--key' || arg.startsWith('--key='))) throw new CliUsageError('there is no --key flag: set MEMGATE_KEY (a key on the command line lands in the shell history)');
    const parsed = parse(rest, action);
    const { values, positionals } = parsed;
    const gateway = connect(io, values.url);
    const json = values.json === true;
    switch (action) {
      case 'create': {
        if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
        if (!values.name) throw new CliUsageError('--name is required');
        const body = {
          name: values.name,
          ...(values.role ? { roles: values.role } : {}),
          ...(values.permission ? { permissions: values.permission } : {}),
          ...(values.scope ? { scope: parseScope(values.scope) } : {}),
          ...(values['allow-ip'] ? { allowed_ips: values['allow-ip'] } : {}),
          ...rateLimitBody(values.rpm, values.burst),
          ...quotaBody(values['memories-per-day'], values['stored-memories']),
          ...(values['expires-at'] ? { expires_at: values['expires-at'] } : {}),
        };
        const answer = await gateway.call<KeyView & { key: string }>('POST', '/keys', body);
        if (json) return print(io, answer.text);
        io.stdout(`created key ${answer.body.id} "${answer.body.name}"\n${describe(answer.body)}\n\n  ${answer.body.key}\n\n`);
        io.stderr('This key is shown only once: store it now (a secret manager, not a file in the repository).\n');
        return 0;
      }
      case 'list': {
        if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
        const answer = await gateway.call<{ keys: KeyView[] }>('GET', '/keys');
        if (json) return print(io, answer.text);
        io.stdout(answer.body.keys.length === 0 ? 'no keys\n' : table(answer.body.keys));
        return 0;
      }
      case 'get': {
        const answer = await gateway.call<KeyView>('GET', `/keys/${encodeURIComponent(keyId(positionals, action))}`);
        if (json) return print(io, answer.text);
        io.stdout(`key ${answer.body.id} "${answer.body.name}"\n${describe(answer.body)}\n`);
        return 0;
      }
      case 'rotate': {
        const id = keyId(positionals, action);
        const grace = values['grace-seconds'];
        if (grace !== undefined && !/^\d+$/.test(grace)) throw new CliUsageError(`--grace-seconds: expected a whole number of seconds, got "${grace}"`);
        const answer = await gateway.call<KeyView & { key: string; previous: KeyView }>('POST', `/keys/${encodeURIComponent(id)}/rotate`, grace === undefined ? {} : { grace_period_seconds: Number(grace) });
        if (json) return print(io, answer.text);
        const { previous } = answer.body;
        io.stdout(`rotated key ${previous.id} "${previous.name}": the old key works until ${previous.expires_at ?? 'revoked'}\nnew key ${answer.body.id}\n${describe(answer.body)}\n\n  ${answer.body.key}\n\n`);
        io.stderr('This key is shown only once: store it now, and replace the old one before its grace period ends.\n');
        return 0;
      }
      case 'revoke': {
        const answer = await gateway.call<KeyView>('DELETE', `/keys/${encodeURIComponent(keyId(positionals, action))}`);
        if (json) return print(io, answer.text);
        io.stdout(`revoked key ${answer.body.id} "${answer.body.name}" (${answer.body.prefix}…) at ${answer.body.revoked_at}\n`);
        return 0;
      }
      default:
        throw new CliUsageError(`unknown action "${action}"`);
    }
  },
};

function parse(args: readonly string[], action: string | undefined) {
  const create = action === 'create';
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        json: { type: 'boolean' },
        ...(create
          ? {
              name: { type: 'string' },
              role: { type: 'string', multiple: true },
              permission: { type: 'string', multiple: true },
              scope: { type: 'string', multiple: true },
              'allow-ip': { type: 'string', multiple: true },
              rpm: { type: 'string' },
              burst: { type: 'string' },
              'memories-per-day': { type: 'string' },
              'stored-memories': { type: 'string' },
              'expires-at': { type: 'string' },
            }
          : {}),
        ...(action === 'rotate' ? { 'grace-seconds': { type: 'string' } } : {}),
      } as const,
    }) as { values: Partial<Record<'name' | 'expires-at' | 'grace-seconds' | 'url' | 'rpm' | 'burst' | 'memories-per-day' | 'stored-memories', string>> & Partial<Record<'role' | 'permission' | 'scope' | 'allow-ip', string[]>> & { json?: boolean }; positionals: string[] };
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

function keyId(positionals: readonly string[], action: string): string {
  if (positionals.length !== 1) throw new CliUsageError(`expected one key id: memgate keys ${action} ID`);
  return positionals[0]!;
}

/** `--rpm N [--burst N]` as the body's `rate_limit`; each a whole number from 1. */
function rateLimitBody(rpm: string | undefined, burst: string | undefined): { rate_limit?: { rpm: number; burst?: number } } {
  if (rpm === undefined) {
    if (burst !== undefined) throw new CliUsageError('--burst needs --rpm');
    return {};
  }
  const whole = (flag: string, text: string): number => {
    if (!/^[1-9][0-9]*$/.test(text)) throw new CliUsageError(`${flag} must be a whole number from 1, got "${text}"`);
    return Number(text);
  };
  return { rate_limit: { rpm: whole('--rpm', rpm), ...(burst === undefined ? {} : { burst: whole('--burst', burst) }) } };
}

/** `--memories-per-day N` and `--stored-memories N` as the body's `quota`; each a whole number from 1. */
function quotaBody(perDay: string | undefined, stored: string | undefined): { quota?: { memories_per_day?: number; stored_memories?: number } } {
  if (perDay === undefined && stored === undefined) return {};
  return {
    quota: {
      ...(perDay === undefined ? {} : { memories_per_day: wholeFromOne('--memories-per-day', perDay) }),
      ...(stored === undefined ? {} : { stored_memories: wholeFromOne('--stored-memories', stored) }),
    },
  };
}

function wholeFromOne(flag: string, text: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new CliUsageError(`${flag} must be a whole number from 1, got "${text}"`);
  return Number(text);
}

/** `--scope app_id=acme-*` flags as the API's scope object. */
function parseScope(flags: readonly string[]): Record<string, string> {
  const scope: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const field = flag.slice(0, Math.max(equals, 0));
    if (equals < 1 || !(scopeFields as readonly string[]).includes(field)) throw new CliUsageError(`--scope: expected FIELD=VALUE with FIELD one of ${scopeFields.join(', ')}, got "${flag}"`);
    if (field in scope) throw new CliUsageError(`--scope: ${field} given twice`);
    scope[field] = flag.slice(equals + 1);
  }
  return scope;
}

function print(io: CliIo, text: string): number {
  io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

function status(key: KeyView, now = Date.now()): string {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at) return Date.parse(key.expires_at) <= now ? 'expired' : `expires ${key.expires_at}`;
  return 'active';
}

function scopeText(scope: KeyView['scope']): string {
  const fields = Object.entries(scope ?? {});
  return fields.length === 0 ? 'any tenant' : fields.map(([field, value]) => `${field}=${value}`).join(',');
}

function quotaText(quota: KeyView['quota']): string {
  const parts = [...(quota?.memories_per_day ? [`${quota.memories_per_day} memories/day`] : []), ...(quota?.stored_memories ? [`${quota.stored_memories} stored`] : [])];
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** A record as a few `label value` lines. */
function describe(key: KeyView): string {
  return [
    ['prefix', `${key.prefix}…`],
    ['roles', key.roles.join(', ') || '-'],
    ['permissions', key.permissions.join(', ') || '-'],
    ['scope', scopeText(key.scope)],
    ['allowed ips', key.allowed_ips?.join(', ') ?? 'any'],
    ['rate limit', key.rate_limit ? `${key.rate_limit.rpm}/min, burst ${key.rate_limit.burst}` : 'gateway default'],
    ['quota', quotaText(key.quota)],
    ['created', key.created_at],
    ['status', status(key)],
    ...(key.replaced_by ? [['replaced by', key.replaced_by]] : []),
  ]
    .map(([label, value]) => `  ${label!.padEnd(12)} ${value}`)
    .join('\n');
}

function table(keys: readonly KeyView[]): string {
  const rows = [['ID', 'NAME', 'PREFIX', 'ROLES', 'SCOPE', 'STATUS'], ...keys.map((key) => [key.id, key.name, `${key.prefix}…`, key.roles.join(',') || '-', scopeText(key.scope), status(key)])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}

/** The gateway at `--url` / MEMGATE_URL, called with the key from the environment. */
function connect(io: CliIo, flagUrl: string | undefined) {
  const raw = flagUrl ?? io.env.MEMGATE_URL ?? defaultUrl;
  let base: URL;
  try {
    base = new URL(raw);
  } catch {
    throw new CliUsageError(`${flagUrl === undefined ? 'MEMGATE_URL' : '--url'}: not a URL: "${raw}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new CliUsageError(`${flagUrl === undefined ? 'MEMGATE_URL' : '--url'}: expected an http or https URL, got "${raw}"`);
  const origin = base.href.replace(/\/+$/, '');
  return {
    async call<Body>(method: string, path: string, body?: unknown): Promise<GatewayAnswer<Body>> {
      // Read here, not at import: `memgate keys --help` needs no key.
      const key = io.env.MEMGATE_KEY || io.env.MEMGATE_ADMIN_KEY;
      if (!key) throw new CliUsageError('set MEMGATE_KEY (or MEMGATE_ADMIN_KEY) to the key to call the gateway with');
      let response: Response;
      try {
        response = await fetch(`${origin}${path}`, {
          method,
          headers: { authorization: `Token ${key}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new CliFailure(`cannot reach the gateway at ${origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CliFailure(`${method} ${path}: HTTP ${response.status} with a body that is not JSON (is ${origin} a memgate gateway?): ${text.slice(0, 200)}`);
      }
      if (response.ok) return { body: parsed as Body, text };
      throw refusal(response.status, parsed as Record<string, unknown> | null);
    },
  };
}

/** A gateway's error answer as one line: exit 2 for a 400 (naming the field and its flag), else exit 1. */
function refusal(status: number, body: Record<string, unknown> | null): Error {
  const problems = Array.isArray(body?.problems) ? (body.problems as { path?: unknown; message?: unknown }[]) : [];
  if (status === 400) {
    const field = typeof body?.field === 'string' ? body.field : typeof problems[0]?.path === 'string' ? problems[0].path : undefined;
    const reason = typeof problems[0]?.message === 'string' ? problems[0].message : String(body?.error ?? 'invalid request');
    const flag = field === undefined ? undefined : (flagOfField[field] ?? flagOfField[field.split(/[.[]/)[0]!]);
    return new CliUsageError(`invalid request: ${field ?? 'body'}${flag ? ` (${flag})` : ''}: ${reason}`);
  }
  const message = typeof body?.detail === 'string' ? body.detail : typeof body?.error === 'string' ? body.error : JSON.stringify(body);
  const meaning = status === 401 ? 'the key was not accepted (check MEMGATE_KEY)' : status === 403 ? 'the key may not do this' : status === 404 ? 'not found' : status === 409 ? 'not allowed now' : `HTTP ${status}`;
  return new CliFailure(`${meaning}: ${message}`);
}
