import type { RoutePermission } from './route-permissions.js';

/** A row of the table that matched a request, with the path parameters it named. */
export interface MatchedRoutePermission {
  readonly row: RoutePermission;
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledRow {
  readonly row: RoutePermission;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Literal segments count first, then an exact method: the most specific row wins. */
  readonly rank: number;
}

/**
 * Compiles the route table into a matcher. `{param}` matches one path segment, a final `/*` any
 * rest; a trailing slash in the request is ignored (mem0 clients send one, others do not).
 */
export function compileRoutePermissions(rows: readonly RoutePermission[]): (method: string, path: string) => MatchedRoutePermission | undefined {
  const compiled: CompiledRow[] = rows.map((row) => {
    const names: string[] = [];
    let literals = 0;
    const segments = row.path.split('/').slice(1).map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        names.push(param[1]!);
        return '([^/]+)';
      }
      if (segment === '*') return '(?:.*)';
      literals += 1;
      return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    });
    const source = `^/${segments.join('/')}$`.replace(/\/\(\?:\.\*\)\$$/, '(?:/.*)?$');
    return { row, pattern: new RegExp(source), names, rank: literals * 2 + (row.method === '*' ? 0 : 1) };
  });
  compiled.sort((a, b) => b.rank - a.rank);
  return (method, path) => {
    const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
    const upper = method.toUpperCase();
    for (const candidate of compiled) {
      if (candidate.row.method !== '*' && candidate.row.method !== upper && !(upper === 'HEAD' && candidate.row.method === 'GET')) continue;
      const match = candidate.pattern.exec(normalized);
      if (!match) continue;
      const params: Record<string, string> = {};
      candidate.names.forEach((name, index) => (params[name] = safeDecode(match[index + 1]!)));
      return { row: candidate.row, params };
    }
    return undefined;
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
