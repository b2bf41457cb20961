/** Which way a toxic acts: `downstream` is target → client (responses), `upstream` client → target. */
export type FaultDirection = 'downstream' | 'upstream' | 'both';

/** The faults currently applied by a fault proxy; read live by every connection. */
export interface FaultProxyToxics {
  latency?: { readonly ms: number; readonly jitterMs: number; readonly direction: FaultDirection };
  bandwidth?: { readonly bytesPerSecond: number; readonly direction: FaultDirection };
  closeAfterBytes?: { readonly bytes: number; readonly direction: FaultDirection };
  /** Data is swallowed in both directions; connections stay open. */
  blackhole: boolean;
  /** Delay before a close seen on one side is passed to the other, in milliseconds. */
  slowCloseMs: number;
}

/** No faults: the proxy forwards bytes as they come. */
export const noToxics = (): FaultProxyToxics => ({ blackhole: false, slowCloseMs: 0 });

/** True when a toxic set for `direction` applies to traffic flowing `flow`. */
export const appliesTo = (direction: FaultDirection | undefined, flow: 'downstream' | 'upstream'): boolean => direction === 'both' || direction === flow;
