import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';

/** The repository root. */
export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

let graphReady = false;

/**
 * Lints `source` as if it were the file at `relativePath` in the repository, with the repository's
 * own eslint.config.js. The module-boundary rule reads Nx's cached project graph, so the graph is
 * computed once first (otherwise the rule skips itself with a warning).
 */
export async function lintSource(relativePath: string, source: string): Promise<Linter.LintMessage[]> {
  if (!graphReady) {
    execFileSync('pnpm', ['exec', 'nx', 'show', 'projects'], { cwd: workspaceRoot, stdio: 'ignore', env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' } });
    graphReady = true;
  }
  const eslint = new ESLint({ cwd: workspaceRoot });
  const [result] = await eslint.lintText(source, { filePath: `${workspaceRoot}${relativePath}` });
  return result?.messages ?? [];
}
