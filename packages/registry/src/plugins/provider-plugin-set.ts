import type { ProviderPlugin } from '@memgate/core';
import { loadProviderPlugin, type ModuleImporter } from './load-provider-plugin.js';

/**
 * The plugins a registry knows: built-ins passed in by the caller, plus third-party ones loaded by
 * package name on demand (cached, so each module is imported once).
 */
export class ProviderPluginSet {
  private readonly builtIn = new Map<string, ProviderPlugin>();
  private readonly modules = new Map<string, Promise<ProviderPlugin>>();

  constructor(plugins: readonly ProviderPlugin[] = [], private readonly importer?: ModuleImporter) {
    for (const plugin of plugins) this.builtIn.set(plugin.type, plugin);
  }

  /** The built-in plugins, in the order given. */
  list(): ProviderPlugin[] {
    return [...this.builtIn.values()];
  }

  /** The built-in plugin of a type, if any. */
  get(type: string): ProviderPlugin | undefined {
    return this.builtIn.get(type);
  }

  /** The built-in types, for error messages. */
  types(): string[] {
    return [...this.builtIn.keys()];
  }

  /**
   * The plugin of a module, imported once.
   * @throws ValidationError when the module is missing or presents no plugin
   */
  load(moduleName: string): Promise<ProviderPlugin> {
    let plugin = this.modules.get(moduleName);
    if (!plugin) {
      plugin = loadProviderPlugin(moduleName, this.importer);
      this.modules.set(moduleName, plugin);
      // A failed import is not cached: the package may be installed later.
      plugin.catch(() => this.modules.delete(moduleName));
    }
    return plugin;
  }
}
