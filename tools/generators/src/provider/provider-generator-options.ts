/** Options of `nx g @memgate/tools:provider`, as described by schema.json. */
export interface ProviderGeneratorOptions {
  /** The provider type in kebab-case, e.g. `redis`. Names the folder, the package and the factory. */
  name: string;
  /** npm scope of the package. Default `@memgate`; a third-party author passes their own, e.g. `@acme`. */
  scope?: string;
  /** Full package name, overriding `<scope>/<name>`, e.g. `@acme/memgate-redis`. */
  packageName?: string;
  /** Folder of the package, relative to the workspace root. Default `packages/<name>-provider`. */
  directory?: string;
  /** Skip formatting the generated files with prettier (a no-op when prettier is not installed). Default false. */
  skipFormat?: boolean;
}
