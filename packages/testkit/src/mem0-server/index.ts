export { createMem0WireServer, type Mem0WireServer, type Mem0WireServerOptions } from './create-mem0-wire-server.js';
export type { Mem0WireFaults } from './mem0-wire-faults.js';
export type { Mem0WireEvents, WireEvent } from './mem0-wire-events.js';
export type { Mem0WireStore, WireHistoryEntry, WireMemory, WireScope } from './mem0-wire-store.js';
export type { Mem0WireMode, RecordedMem0Request } from './mem0-wire-types.js';
