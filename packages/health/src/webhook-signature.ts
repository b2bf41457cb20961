import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the Unix time (seconds) at which a webhook body was signed. */
export const webhookTimestampHeader = 'x-memgate-webhook-timestamp';
/** Header carrying `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export const webhookSignatureHeader = 'x-memgate-webhook-signature';
/** Header carrying the delivery id (the same on every retry of one event), for receivers to deduplicate. */
export const webhookIdHeader = 'x-memgate-webhook-id';

/**
 * Signs a webhook body. Binding the timestamp into the MAC lets receivers reject replays older than their
 * tolerance (same scheme as Stripe's `t=…,v1=…`).
 * @returns the value of {@link webhookSignatureHeader}
 */
export function signWebhookPayload(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** Inputs of {@link verifyWebhookSignature}. */
export interface VerifyWebhookSignatureOptions {
  readonly secret: string;
  /** The raw request body, exactly as received. */
  readonly body: string;
  /** The {@link webhookTimestampHeader} value. */
  readonly timestamp: string | null | undefined;
  /** The {@link webhookSignatureHeader} value. */
  readonly signature: string | null | undefined;
  /** Reject bodies signed longer ago than this (milliseconds). Default 300000 (5 minutes). */
  readonly toleranceMs?: number;
  /** The receiver's clock (epoch ms). Default `Date.now()`. */
  readonly now?: number;
}

/** Checks a received webhook in constant time. `false` for a bad, missing or stale signature; never throws. */
export function verifyWebhookSignature({ secret, body, timestamp, signature, toleranceMs = 300_000, now = Date.now() }: VerifyWebhookSignatureOptions): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp) * 1000) > toleranceMs) return false;
  const expected = Buffer.from(signWebhookPayload(secret, Number(timestamp), body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
