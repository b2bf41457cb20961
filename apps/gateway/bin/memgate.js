#!/usr/bin/env node
// The workspace ships TypeScript sources; tsx compiles them on the fly so the CLI runs from a clone.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
