import type { HostLookup } from '../egress/egress-policy.js';

/**
 * A resolver for tests whose hosts (`test://alpha`) are made up: every name resolves to one public
 * address (TEST-NET-3 is not refused by the egress policy), so tests of other rules pass the egress check.
 */
export const publicLookup: HostLookup = async () => ['203.0.113.10'];
