// Lint is where the layering of ARCHITECTURE.md is enforced: a provider that
// imports the registry, or a package that imports the app, fails here.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/migrations/**', 'tools/generators/src/provider/files/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:spec', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:testkit', onlyDependOnLibsWithTags: ['type:spec'] },
            { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:spec', 'type:testkit'] },
            { sourceTag: 'type:policy-base', onlyDependOnLibsWithTags: ['type:spec', 'type:testkit'] },
            { sourceTag: 'type:policy', onlyDependOnLibsWithTags: ['type:spec', 'type:policy-base', 'type:testkit'] },
            { sourceTag: 'type:state', onlyDependOnLibsWithTags: ['type:spec', 'type:policy', 'type:policy-base', 'type:testkit'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:spec', 'type:provider', 'type:policy', 'type:policy-base', 'type:state', 'type:testkit'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['*'] }
          ]
        }
      ]
    }
  }
];
