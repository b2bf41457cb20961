import { CliFailure, CliUsageError, type CliIo } from './cli-command.js';
import { commands } from './commands.js';

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

/** The top-level `memgate --help` text. */
export function mainUsage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'memgate: a mem0-compatible memory gateway with failover',
    '',
    'Usage: memgate <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `memgate <command> --help` for a command’s options.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves with the exit code:
 * 0 on success, 2 on a usage error (unknown command, bad flag, invalid env), 1 on a failure.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainUsage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`memgate: unknown command "${name}"\n\n${mainUsage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`memgate ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CliFailure) {
      io.stderr(`memgate ${name}: ${error.message}\n`);
      return 1;
    }
    io.stderr(`memgate ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
