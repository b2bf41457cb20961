import { z } from 'zod';
import { parseIpRange } from '../egress/ip-range.js';

// An npm package name, scoped or not: never a path, a URL or a `data:` specifier.
const packageName = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const environmentName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const hostName = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/**
 * The `management` section of a config file: what the management API (`/providers…`) may make the
 * gateway do. Everything is closed by default; the operator opens it here, in the file only the
 * operator writes. Entries from the config file itself are not limited by it.
 */
export const managementConfigSchema = z.strictObject({
  /** Plugin packages the API may name in `module` (exact package names). Default: none. */
  plugin_modules: z.array(z.string().regex(packageName, { error: 'expected an npm package name (no paths, URLs or data: specifiers)' })).default([]),
  /** Environment variables that `${NAME}` references sent through the API may resolve. Default: none. */
  env_allow_list: z.array(z.string().regex(environmentName, { error: 'expected an environment variable name' })).default([]),
  /** Where providers registered or configured through the API may connect. */
  egress: z
    .strictObject({
      /** Admit RFC 1918, ULA (fc00::/7) and CGNAT (100.64.0.0/10) addresses. Default false. */
      allow_private: z.boolean({ error: 'expected true or false' }).default(false),
      /** Hostnames or IP addresses / CIDR blocks always admitted (loopback and metadata addresses only this way). */
      allow_hosts: z
        .array(z.string().refine((entry) => parseIpRange(entry) !== undefined || (!entry.includes('/') && hostName.test(entry)), { error: 'expected a hostname, an IP address or a CIDR block' }))
        .default([]),
    })
    .default({ allow_private: false, allow_hosts: [] }),
});

/** The validated `management` section, defaults filled in. */
export type ManagementConfig = z.output<typeof managementConfigSchema>;

/** The `management` section as written. */
export type ManagementConfigInput = z.input<typeof managementConfigSchema>;
