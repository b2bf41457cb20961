// A second gateway process in miniature: follows a shared state store and prints every registry
// change it applies, one JSON line each, for the cross-process test. Stops when stdin closes.
import { ProviderRegistry } from '@memgate/registry';
import { inMemoryProviderPlugin } from '@memgate/testkit';
import { createStateStore } from '../create-state-store.js';

const store = await createStateStore({ url: process.argv[2]! });
const registry = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], store: store.providers, env: {} });
registry.onChange((event) => {
  process.stdout.write(`${JSON.stringify({ type: event.type, name: event.name, origin: event.origin, active: registry.provider(event.name) !== undefined, at: Date.now() })}\n`);
});
await registry.start();
process.stdout.write(`${JSON.stringify({ type: 'ready' })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await registry.close();
  await store.close();
  process.exit(0);
});
