export { createMem0MemoryProvider } from './create-mem0-memory-provider.js';
export { mem0ProviderSettingsSchema, mem0PlatformUrl, type Mem0ProviderSettings } from './mem0-provider-settings.js';
export { mem0ProviderPlugin } from './mem0-provider-plugin.js';
export { mem0Capabilities } from './mem0-capabilities.js';
export { reservedMetadataKeys } from './mem0-record-codec.js';
export type { Mem0BatchUpdateItem, Mem0Entity, Mem0MemoryProvider } from './mem0-memory-provider.js';
