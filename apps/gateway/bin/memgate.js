#!/usr/bin/env node
// The workspace ships TypeScript sources; tsx compiles them on the fly so the CLI runs from a clone.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
