import type { FaultProxyToxics } from './fault-proxy-toxics.js';

/**
 * The delay for one chunk: `ms` plus a uniform jitter in [-jitterMs, +jitterMs], never negative.
 * Chunks are never reordered: a later chunk waits at least until the one before it is delivered.
 */
export function latencyDelayMs(latency: FaultProxyToxics['latency'], random: () => number = Math.random): number {
  if (!latency) return 0;
  return Math.max(0, latency.ms + (random() * 2 - 1) * latency.jitterMs);
}
