// Five projects, fastest first: unit (pure logic, local servers), integration (nodes against the
// in-process sandbox), reliability (fault soak, bad input, secrets, webhooks, transport hardening
// against the sandbox), security (the hostile suite of issue #16), e2e (a real n8n). `npm test`
// runs the first four, `npm run test:e2e` the last.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };
const timeout = (ms) => [`<rootDir>/test/support/timeout-${ms}.js`];

module.exports = {
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
			setupFilesAfterEnv: timeout(30000),
		},
		{
			...common,
			displayName: 'integration',
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
			setupFilesAfterEnv: timeout(120000),
		},
		{
			...common,
			displayName: 'reliability',
			testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
			testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$'],
			setupFilesAfterEnv: timeout(600000),
		},
		{
			...common,
			displayName: 'security',
			testMatch: ['<rootDir>/test/security/**/*.test.ts'],
			setupFilesAfterEnv: [...timeout(120000), '<rootDir>/test/security/setup.js'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/reliability/**/*.e2e.test.ts'],
			setupFilesAfterEnv: timeout(900000),
			globalTeardown: '<rootDir>/test/support/e2e-teardown.js',
		},
	],
};
