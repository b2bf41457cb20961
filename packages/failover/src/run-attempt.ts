import { AbortedError, ProviderTimeoutError } from '@memgate/core';

/**
 * Runs one attempt with its own timeout and the caller's signal: the work gets a signal that aborts
 * when either ends, and the returned promise settles at once when either ends, even if the work ignores
 * its signal. A leaner twin of core's `runWithinCall` (one timer, one listener only when the caller
 * passed a signal): this is on every request's hot path.
 * @throws ProviderTimeoutError when `deadline` (epoch ms) passes; AbortedError when `signal` aborts
 */
export function runAttempt<T>(work: (signal: AbortSignal) => Promise<T>, deadline: number, signal: AbortSignal | undefined, providerId: string): Promise<T> {
  if (signal?.aborted) return Promise.reject(new AbortedError({ message: 'the call was aborted', cause: signal.reason, providerId }));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = (): void => {
      controller.abort(signal?.reason);
      finish(() => reject(new AbortedError({ message: 'the call was aborted', cause: signal?.reason, providerId })));
    };
    const timer = setTimeout(() => {
      const error = new ProviderTimeoutError({ message: `provider ${providerId} did not answer within the attempt's time`, providerId });
      controller.abort(error);
      finish(() => reject(error));
    }, Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = work(controller.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
