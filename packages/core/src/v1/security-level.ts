/**
 * How much a provider or pool demands of a caller (SPEC-020's five levels), weakest first:
 * `public` (anyone), `api_key` (a verified key holding the operation's permission), `rbac` (any
 * verified identity holding it), `mtls` (a verified client certificate holding it), `hybrid` (a key
 * and a certificate of one principal, holding it). The one declaration: the registry's config schema
 * and the security package's evaluation both import it.
 */
export const securityLevels = ['public', 'api_key', 'rbac', 'mtls', 'hybrid'] as const;

/** One of {@link securityLevels}. */
export type SecurityLevel = (typeof securityLevels)[number];
