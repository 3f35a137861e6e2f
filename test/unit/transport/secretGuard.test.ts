import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { runNode } from '../../support/n8nContext';

// runNode checks every node run of the suite for credential secrets in output, errors and logs.
const leaky = (mode: 'output' | 'error' | 'log' | 'none'): new () => INodeType =>
	class Leaky implements INodeType {
		description = { name: 'leaky', properties: [] } as unknown as INodeTypeDescription;
		async execute(this: IExecuteFunctions) {
			const { clientSecret } = await this.getCredentials<{ clientSecret: string }>('testApi');
			if (mode === 'error')
				throw new Error(`token request failed for ${encodeURIComponent(clientSecret)}`);
			if (mode === 'log')
				(this.logger as { debug(m: string): void }).debug(`using ${clientSecret}`);
			return [[{ json: mode === 'output' ? { echoed: clientSecret } : { ok: true } }]];
		}
	};

const credentials = {
	testApi: { clientSecret: 'canary secret/with+chars', tokenUrl: 'https://x.test/token' },
};

describe('secret guard of the test context', () => {
	it.each(['output', 'error', 'log'] as const)(
		'fails a run whose %s carries a credential secret',
		async (mode) => {
			await expect(runNode(leaky(mode), { parameters: {}, credentials })).rejects.toThrow(
				/^Secret leak: the credential field testApi\.clientSecret/,
			);
		},
	);
	it('lets a clean run through', async () => {
		await expect(runNode(leaky('none'), { parameters: {}, credentials })).resolves.toMatchObject({
			output: [{ json: { ok: true } }],
		});
	});
});
