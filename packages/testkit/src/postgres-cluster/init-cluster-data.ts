import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OsUser } from './postgres-os-user.js';

const run = promisify(execFile);
const templates = new Map<string, Promise<string>>();

/** Runs a program as `user` (or as ourselves), failing with its stderr. */
export async function runAs(user: OsUser | undefined, file: string, args: readonly string[]): Promise<void> {
  try {
    await run(file, args, { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' }, timeout: 60_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${file} ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

/** A new temporary directory owned by `user`. */
export function makeOwnedDirectory(prefix: string, user: OsUser | undefined): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  if (user) chownSync(directory, user.uid, user.gid);
  return directory;
}

/**
 * Fills `dataDirectory` with a fresh cluster (trust auth, superuser `postgres`, UTF8, C locale).
 * initdb runs once per machine, user and binaries directory (about 3 s here) into a template kept in
 * the temp directory (`memgate-pg-template-<hash>`, about 40 MB) as a cache; every cluster is a copy
 * of it (a fraction of a second).
 */
export async function initClusterData(binDirectory: string, dataDirectory: string, user: OsUser | undefined): Promise<void> {
  let template = templates.get(binDirectory);
  if (!template) {
    template = ensureTemplate(binDirectory, user);
    templates.set(binDirectory, template);
    template.catch(() => templates.delete(binDirectory));
  }
  await runAs(user, 'cp', ['-a', await template, dataDirectory]);
}

async function ensureTemplate(binDirectory: string, user: OsUser | undefined): Promise<string> {
  const key = createHash('sha256').update(`${binDirectory}:${user?.uid ?? process.getuid?.()}`).digest('hex').slice(0, 12);
  const final = join(tmpdir(), `memgate-pg-template-${key}`);
  if (existsSync(join(final, 'data', 'PG_VERSION'))) return join(final, 'data');
  const building = makeOwnedDirectory('memgate-pg-template-building-', user);
  try {
    await runAs(user, join(binDirectory, 'initdb'), ['-D', join(building, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Rename is atomic: if another process finished first, keep its template and drop ours.
    try {
      renameSync(building, final);
    } catch (error) {
      if (!existsSync(join(final, 'data', 'PG_VERSION'))) throw error;
    }
    return join(final, 'data');
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}
