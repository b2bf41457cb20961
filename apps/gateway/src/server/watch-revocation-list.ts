import { type Stats, unwatchFile, watchFile } from 'node:fs';
import type { ServerOptions } from 'node:https';
import type { Logger } from 'pino';
import type { TlsSettings } from '../cli/tls-config-schema.js';
import { loadTlsServerOptions } from './load-tls-server-options.js';
import type { RunningServer } from './start-server.js';

/** Options of {@link watchRevocationList}. */
export interface WatchRevocationListOptions {
  /** The served TLS settings; `crl` is the file watched. */
  readonly settings: TlsSettings & { readonly crl: string };
  readonly server: Pick<RunningServer, 'setTlsOptions'>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** How often the file is checked (ms). Default `settings.crlCheckIntervalMs`, else 5,000. */
  readonly intervalMs?: number;
  /** Reads the TLS files again. Default `loadTlsServerOptions`. */
  readonly load?: (settings: TlsSettings) => Promise<ServerOptions>;
}

/**
 * Keeps `memgate serve`'s certificate revocation list current without a restart: the file is polled
 * (`fs.watchFile`, every `intervalMs`) and, once its size, time or inode changed, the TLS files are
 * read and checked again and the server's secure context replaced, so the next handshake is verified
 * against the new list and a newly revoked certificate gets 401. Polling rather than SIGHUP because a
 * CRL is usually republished by a job that knows nothing of the gateway (a cron fetch, a config
 * sync, a Kubernetes secret volume swapping its symlink), and polling a path also follows a file
 * replaced by rename; `fs.watch` events are lost across such renames and on network filesystems.
 * A list that does not load (half written, deleted, not a CRL) is logged and the previous one kept;
 * the next change is tried again. Connections already open keep the verification of their own
 * handshake. The watcher does not keep the process alive.
 * @returns a handle whose `dispose()` stops watching
 */
export function watchRevocationList({ settings, server, logger, intervalMs = settings.crlCheckIntervalMs ?? 5_000, load = loadTlsServerOptions }: WatchRevocationListOptions): { dispose(): void } {
  let reloading: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> =>
    (reloading = reloading.then(async () => {
      try {
        server.setTlsOptions(await load(settings));
        logger.info({ crl: settings.crl }, 'TLS revocation list reloaded');
      } catch (error) {
        logger.warn({ crl: settings.crl, err: error }, 'TLS revocation list not reloaded: kept the previous one');
      }
    }));
  const onChange = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    void reload();
  };
  watchFile(settings.crl, { interval: intervalMs, persistent: false }, onChange);
  return { dispose: () => unwatchFile(settings.crl, onChange) };
}
