import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `<directory>/memgate.json`: two PostgreSQL providers by priority, the primary with the request
 * ceiling `rate_limit: {rps, burst}`, the priority strategy. Returns the file's path. Test support only.
 */
export function writeCeilingConfig(directory: string, urls: { readonly primary: string; readonly backup: string }, ceiling: { readonly rps: number; readonly burst: number }): string {
  const config = join(directory, 'memgate.json');
  writeFileSync(
    config,
    JSON.stringify({
      providers: [
        { name: 'pg-primary', provider_type: 'postgres', connection_string: urls.primary, priority: 10, rate_limit: ceiling },
        { name: 'pg-backup', provider_type: 'postgres', connection_string: urls.backup, priority: 20 },
      ],
      routing: { strategy: 'priority' },
    }),
  );
  return config;
}
