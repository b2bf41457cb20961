import { createTestProviderPlugin } from './test-provider-plugin.js';

/** A module that presents a plugin as its default export, as a third-party package would. */
export default createTestProviderPlugin('acme').plugin;
