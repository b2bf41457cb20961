// nx loads a generator with require(). Node 20 cannot strip TypeScript types, and nx would otherwise
// need @swc-node/register or ts-node to load a local TypeScript generator; the workspace already has
// tsx, so this CommonJS shim imports the TypeScript source through tsx's ESM API.
module.exports = async function providerGenerator(tree, options) {
  const [{ tsImport }, { pathToFileURL }, { join }] = await Promise.all([import('tsx/esm/api'), import('node:url'), import('node:path')]);
  const generator = await tsImport(pathToFileURL(join(__dirname, 'provider-generator.ts')).href, __filename);
  return generator.providerGenerator(tree, options);
};
