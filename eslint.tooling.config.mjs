// Lint rules for what the package does not ship (tests, demo, bench, scripts). Each of those
// folders has an eslint.config.mjs that re-exports this file, and ESLint runs with the
// `unstable_config_lookup_from_file` flag (set in package.json's lint script and in
// scripts/verify.mjs), so the nearest config wins: n8n's community rules, from the unmodified
// root eslint.config.mjs that `n8n-node lint` strict mode requires, apply only to shipped code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.json'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			// `_name` marks a value left out on purpose (e.g. `const { secret: _omit, ...rest } = body`).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
);
