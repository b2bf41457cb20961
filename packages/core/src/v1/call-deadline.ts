import { AbortedError } from '../errors/aborted-error.js';
import { ProviderTimeoutError } from '../errors/provider-timeout-error.js';
import type { MemoryProviderV1CallOptions } from './memory-provider-v1-call-options.js';

/**
 * Throws `AbortedError` if the call's signal has aborted, `ProviderTimeoutError` if its deadline has passed.
 * Providers call it before each round trip.
 */
export function throwIfCallEnded(options: MemoryProviderV1CallOptions | undefined, providerId?: string): void {
  if (options?.signal?.aborted) throw new AbortedError({ message: 'the call was aborted', cause: options.signal.reason, providerId });
  if (options?.deadline !== undefined && Date.now() >= options.deadline) {
    throw new ProviderTimeoutError({ message: 'the call passed its deadline', providerId });
  }
}

/**
 * An AbortSignal that fires when the caller's signal aborts or the deadline passes, whichever comes
 * first, plus the reason it fired. Dispose it when the call ends to clear its timer.
 */
export function callSignal(options: MemoryProviderV1CallOptions | undefined): { signal: AbortSignal; reason: () => 'aborted' | 'deadline' | undefined; dispose: () => void } {
  const controller = new AbortController();
  let reason: 'aborted' | 'deadline' | undefined;
  const onAbort = (): void => {
    reason ??= 'aborted';
    controller.abort(options?.signal?.reason);
  };
  options?.signal?.addEventListener('abort', onAbort, { once: true });
  if (options?.signal?.aborted) onAbort();
  let timer: NodeJS.Timeout | undefined;
  if (options?.deadline !== undefined) {
    const remaining = options.deadline - Date.now();
    const onDeadline = (): void => {
      reason ??= 'deadline';
      controller.abort(new Error('deadline passed'));
    };
    if (remaining <= 0) onDeadline();
    else timer = setTimeout(onDeadline, remaining);
  }
  return {
    signal: controller.signal,
    reason: () => reason,
    dispose: () => {
      if (timer) clearTimeout(timer);
      options?.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs `work` with a signal that ends with the call, and turns an abort or a passed deadline into
 * `AbortedError` / `ProviderTimeoutError` even if `work` ignores the signal.
 */
export async function runWithinCall<T>(options: MemoryProviderV1CallOptions | undefined, providerId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  throwIfCallEnded(options, providerId);
  const call = callSignal(options);
  try {
    return await new Promise<T>((resolve, reject) => {
      const onEnd = (): void => reject(endedError(call.reason(), providerId, options));
      call.signal.addEventListener('abort', onEnd, { once: true });
      work(call.signal).then(resolve, (error: unknown) => (call.signal.aborted ? onEnd() : reject(error)));
    });
  } finally {
    call.dispose();
  }
}

function endedError(reason: 'aborted' | 'deadline' | undefined, providerId: string | undefined, options: MemoryProviderV1CallOptions | undefined): Error {
  return reason === 'deadline'
    ? new ProviderTimeoutError({ message: 'the call passed its deadline', providerId })
    : new AbortedError({ message: 'the call was aborted', cause: options?.signal?.reason, providerId });
}
