import type { Socket } from 'node:net';
import { sliceForBandwidth } from './bandwidth-toxic.js';
import { takeWithinLimit } from './close-after-bytes-toxic.js';
import { appliesTo, type FaultProxyToxics } from './fault-proxy-toxics.js';
import { latencyDelayMs } from './latency-toxic.js';

/** One client connection and its connection to the target, with the toxics applied in between. */
export interface ProxiedConnection {
  /** Ends both sockets with a FIN (`reset` false) or an RST (`reset` true). Idempotent. */
  destroy(reset?: boolean): void;
}

type Flow = 'downstream' | 'upstream';
type Delivery = { at: number; chunk?: Buffer; end?: boolean; close?: boolean };

/**
 * Pipes `client` ↔ `target` through the live `toxics`. Each direction keeps a queue of timed
 * deliveries, so latency and bandwidth delay data without reordering it.
 */
export function proxyConnection(client: Socket, target: Socket, toxics: () => FaultProxyToxics, onClosed: () => void): ProxiedConnection {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const connection: ProxiedConnection = {
    destroy(reset = false) {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const socket of [client, target]) {
        if (reset && !socket.destroyed) socket.resetAndDestroy();
        else socket.destroy();
      }
      onClosed();
    },
  };
  pipe(client, target, 'upstream');
  pipe(target, client, 'downstream');
  return connection;

  function pipe(source: Socket, destination: Socket, flow: Flow): void {
    const queue: Delivery[] = [];
    let nextFreeAt = 0;
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;

    const deliver = (item: Delivery): void => {
      if (item.chunk && !destination.destroyed && !destination.write(item.chunk)) {
        source.pause();
        destination.once('drain', () => source.resume());
      }
      if (item.end && !destination.destroyed) destination.end();
      if (item.close) connection.destroy();
    };
    const flush = (): void => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.at <= Date.now() && !closed) deliver(queue.shift()!);
      schedule();
    };
    const schedule = (): void => {
      if (timer || queue.length === 0 || closed) return;
      timer = setTimeout(() => {
        timers.delete(timer!);
        flush();
      }, Math.max(0, queue[0]!.at - Date.now()));
      timers.add(timer);
    };
    const enqueue = (item: Delivery): void => {
      // Nothing waiting and nothing due later: deliver now, without a timer hop.
      if (queue.length === 0 && !timer && item.at <= Date.now()) deliver(item);
      else queue.push(item);
      schedule();
    };

    source.on('data', (chunk: Buffer) => {
      const current = toxics();
      if (current.blackhole) return;
      let pass = chunk;
      let close = false;
      if (current.closeAfterBytes && appliesTo(current.closeAfterBytes.direction, flow)) ({ pass, close } = takeWithinLimit(chunk, sent, current.closeAfterBytes.bytes));
      sent += pass.length;
      let at = Math.max(Date.now() + (appliesTo(current.latency?.direction, flow) ? latencyDelayMs(current.latency) : 0), nextFreeAt);
      if (current.bandwidth && appliesTo(current.bandwidth.direction, flow)) {
        for (const { slice, transmitMs } of sliceForBandwidth(pass, current.bandwidth.bytesPerSecond)) enqueue({ at: (at += transmitMs), chunk: slice });
      } else if (pass.length > 0) {
        enqueue({ at, chunk: pass });
      }
      nextFreeAt = at;
      if (close) enqueue({ at, close: true });
    });
    source.on('end', () => enqueue({ at: Math.max(Date.now(), nextFreeAt) + toxics().slowCloseMs, end: true }));
    // A reset on one side is passed on as a reset; a plain close (both sides ended) just tidies up.
    source.on('error', () => {
      const delay = toxics().slowCloseMs;
      if (delay > 0) enqueue({ at: Date.now() + delay, close: true });
      else connection.destroy(true);
    });
    // Once a socket is fully closed the pair is done: close the other side after what is queued.
    source.on('close', () => enqueue({ at: Math.max(Date.now(), nextFreeAt), close: true }));
  }
}
