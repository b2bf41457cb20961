/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Pause between checks, in milliseconds. Default 50. */
  readonly intervalMs?: number;
  /** Named in the timeout error ("timed out after 500 ms waiting for <what>"). */
  readonly what: string;
}

/**
 * Calls `check` until it returns something other than `undefined` (or `false`), and resolves with it.
 * @throws Error when `timeoutMs` passes first, or whatever `check` throws
 */
export async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitUntilOptions): Promise<T> {
  const giveUpAt = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= giveUpAt) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
