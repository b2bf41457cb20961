import type { CliCommand } from './cli-command.js';
import { auditCommand } from './commands/audit.js';
import { configCommand } from './commands/config.js';
import { keysCommand } from './commands/keys.js';
import { providersCommand } from './commands/providers.js';
import { resyncCommand } from './commands/resync.js';
import { serveCommand } from './commands/serve.js';

/** Every `memgate` command; a new command module plugs in with one line here. */
export const commands: readonly CliCommand[] = [serveCommand, configCommand, providersCommand, resyncCommand, keysCommand, auditCommand];
