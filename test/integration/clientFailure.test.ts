import type { INodeType } from 'n8n-workflow';

import { Degreed } from '../../nodes/Degreed/Degreed.node';
import { LearnLink } from '../../nodes/LearnLink/LearnLink.node';
import { Moodle } from '../../nodes/Moodle/Moodle.node';
import { Percipio } from '../../nodes/Percipio/Percipio.node';
import { ScormCloud } from '../../nodes/ScormCloud/ScormCloud.node';
import { runNode } from '../support/n8nContext';

// One router for all five nodes: when the client cannot be built (here: the credential is not
// there), nothing is sent, and Continue On Fail turns every item into an error item.
const nodes: Array<[string, new () => INodeType, { resource: string; operation: string }]> = [
	['Percipio', Percipio, { resource: 'user', operation: 'getAll' }],
	['Degreed', Degreed, { resource: 'user', operation: 'getAll' }],
	['Learn.link', LearnLink, { resource: 'user', operation: 'getAll' }],
	['SCORM Cloud', ScormCloud, { resource: 'course', operation: 'getAll' }],
	['Moodle', Moodle, { resource: 'course', operation: 'getAll' }],
];

describe.each(nodes)('%s: the client cannot be built', (_name, NodeClass, parameters) => {
	const items = [{ a: 1 }, { a: 2 }, { a: 3 }];

	it('with Continue On Fail: one error item per input item, each paired with it, and no request', async () => {
		const { output, requests } = await runNode(NodeClass, {
			parameters: { ...parameters, returnAll: true },
			items,
			continueOnFail: true,
		});
		expect(output).toEqual(
			items.map((_item, i) => ({
				json: { error: expect.stringContaining('no credential of type') },
				pairedItem: { item: i },
			})),
		);
		expect(requests).toEqual([]);
	});

	it('without it: the node fails with that error', async () => {
		await expect(
			runNode(NodeClass, { parameters: { ...parameters, returnAll: true }, items }),
		).rejects.toThrow('no credential of type');
	});
});
