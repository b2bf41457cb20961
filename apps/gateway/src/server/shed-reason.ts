/**
 * Why the server itself answered 503 before the app saw the request: `draining` (the process is shutting
 * down) or `overloaded` (the event loop is behind). The `reason` of the JSON body and of the
 * `memgate_http_requests_shed_total` counter.
 */
export type ShedReason = 'draining' | 'overloaded';
