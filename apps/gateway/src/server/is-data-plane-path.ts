/** The mem0-compatible API: `/v1/…`, `/v2/…`, `/v3/…` and mem0's `/api/v1/…`. */
const dataPlanePath = /^\/(v1|v2|v3|api\/v1)(\/|$)/;

/**
 * Whether `path` belongs to the data plane. Health, readiness, metrics, the docs and the management
 * API (`/providers…`, `/keys…`) do not: they are what an operator needs while the gateway is overloaded.
 */
export function isDataPlanePath(path: string): boolean {
  return dataPlanePath.test(path);
}
