export { providerGenerator } from './provider/provider-generator.js';
export type { ProviderGeneratorOptions } from './provider/provider-generator-options.js';
export { normalizeProviderOptions, type NormalizedProviderOptions } from './provider/normalize-provider-options.js';
