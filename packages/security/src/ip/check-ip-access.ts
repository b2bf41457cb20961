import { ForbiddenError } from '../errors/forbidden-error.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { createIpAllowList, type IpAllowList } from './create-ip-allow-list.js';

const perKeyLists = new WeakMap<readonly string[], IpAllowList>();

/**
 * Asserts that a client address passes the global allow-list (when given) and the principal's own
 * `allowedIps` (when set). An allow-list is defence in depth, never the only factor (ASVS 8.4.2):
 * this runs in addition to authentication, not instead of it.
 * @param clientIp from `resolveClientIp`; `undefined` (unknown) passes only when no list applies
 * @throws ForbiddenError (403) when a list applies and the address is outside it
 */
export function checkIpAccess(principal: SecurityPrincipal | undefined, clientIp: string | undefined, global?: IpAllowList): void {
  if (global && (clientIp === undefined || !global.contains(clientIp))) {
    throw new ForbiddenError({ message: 'Requests from this address are not allowed.' });
  }
  const own = principal?.allowedIps;
  if (own === undefined) return;
  let list = perKeyLists.get(own);
  if (!list) {
    list = createIpAllowList(own, 'allowedIps');
    perKeyLists.set(own, list);
  }
  if (clientIp === undefined || !list.contains(clientIp)) {
    throw new ForbiddenError({ message: 'This key may not be used from this address.' });
  }
}
