/** Where a command writes. Injected so that tests can capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** One `memgate <name>` command. A command module exports one of these and is listed in `commands.ts`. */
export interface CliCommand {
  /** The word after `memgate`. */
  readonly name: string;
  /** One line for `memgate --help`. */
  readonly summary: string;
  /** The command's own `--help` text. */
  readonly usage: string;
  /**
   * Runs the command with the arguments after its name.
   * @returns the process exit code (a long-running command resolves when it has shut down)
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A bad flag, env var or config value: printed without a stack trace, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** A failure the user can act on (e.g. the port is taken): printed without a stack trace, exit code 1. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}
