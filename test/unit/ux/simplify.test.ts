import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { Degreed } from '../../../nodes/Degreed/Degreed.node';
import { LearnLink } from '../../../nodes/LearnLink/LearnLink.node';
import { Moodle } from '../../../nodes/Moodle/Moodle.node';
import { Percipio } from '../../../nodes/Percipio/Percipio.node';
import { ScormCloud } from '../../../nodes/ScormCloud/ScormCloud.node';
import { simplifiedFields as degreedFields } from '../../../nodes/Degreed/methods/simplified';
import { simplifiedFields as learnLinkFields } from '../../../nodes/LearnLink/methods/simplified';
import { simplifiedFields as moodleFields } from '../../../nodes/Moodle/methods/simplified';
import { simplifiedFields as percipioFields } from '../../../nodes/Percipio/methods/simplified';
import { simplifiedFields as scormCloudFields } from '../../../nodes/ScormCloud/methods/simplified';
import { resourceLocator } from '../../../nodes/shared/resourceLocator';
import {
	applyOutput,
	outputProperties,
	pickFields,
	shapeRecord,
	valueAt,
} from '../../../nodes/shared/simplify';

const registration: IDataObject = {
	id: 'reg-1',
	course: { id: 'c1', title: 'Privacy' },
	learner: { id: 'l1', email: 'ada@acme.example', firstName: 'Ada' },
	registrationCompletion: 'COMPLETED',
	score: { scaled: 90 },
	tags: ['a'],
	list: [{ title: 'first' }],
};

describe('Simplify / Output', () => {
	test('valueAt follows dotted paths, array indexes included, and stops at a missing step', () => {
		expect(valueAt(registration, 'learner.email')).toBe('ada@acme.example');
		expect(valueAt(registration, 'list.0.title')).toBe('first');
		expect(valueAt(registration, 'learner.missing.deeper')).toBeUndefined();
		expect(valueAt(registration, 'id.length')).toBeUndefined();
	});

	test('pickFields keeps the given order, flattens nested names and leaves missing fields out', () => {
		expect(pickFields(registration, ['learner.email', 'id', 'nope', 'score.scaled'])).toEqual({
			learner_email: 'ada@acme.example',
			id: 'reg-1',
			score_scaled: 90,
		});
		expect(Object.keys(pickFields(registration, ['score.scaled', 'id']))).toEqual([
			'score_scaled',
			'id',
		]);
	});

	test('shapeRecord: raw is the record itself, simplified the declared fields, selected the chosen ones', () => {
		expect(shapeRecord(registration, 'raw', ['id'])).toBe(registration);
		expect(shapeRecord(registration, 'simplified', ['id', 'course.title'])).toEqual({
			id: 'reg-1',
			course_title: 'Privacy',
		});
		expect(shapeRecord(registration, 'selected', ['id'], ['tags'])).toEqual({ tags: ['a'] });
	});

	const ctx = (params: (i: number) => IDataObject) => ({
		getNode: () => ({
			id: 'n',
			name: 'Node',
			type: 't',
			typeVersion: 2,
			position: [0, 0] as [number, number],
			parameters: {},
		}),
		getNodeParameter: ((name: string, i: number, fallback?: unknown) =>
			params(i)[name] ?? fallback) as never,
	});
	const items = (n: number): INodeExecutionData[] =>
		Array.from({ length: n }, (_, i) => ({
			json: { ...registration, id: `reg-${i}` },
			pairedItem: { item: i },
		}));

	test("applyOutput uses each item's own choice and leaves error items and other operations alone", () => {
		const out = applyOutput(
			ctx((i) => ({
				resource: 'registration',
				operation: 'get',
				output: ['simplified', 'raw', 'selected'][i],
				outputFields: 'learner.firstName, id',
			})),
			[
				...items(3),
				{
					json: { error: 'failed' },
					error: new NodeOperationError(
						{ id: 'n', name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {} },
						'x',
					),
					pairedItem: { item: 0 },
				},
			],
			(resource, operation) =>
				resource === 'registration' && operation === 'get' ? ['id', 'learner.email'] : undefined,
		);
		expect(out[0].json).toEqual({ id: 'reg-0', learner_email: 'ada@acme.example' });
		expect(out[1].json).toEqual({ ...registration, id: 'reg-1' });
		expect(out[2].json).toEqual({ learner_firstName: 'Ada', id: 'reg-2' });
		expect(out[3].json).toEqual({ error: 'failed' });
		const other = items(1);
		expect(
			applyOutput(
				ctx(() => ({ resource: 'registration', operation: 'delete', output: 'simplified' })),
				other,
				() => undefined,
			),
		).toBe(other);
	});

	test('"Selected Fields" without fields is an input error naming the item', () => {
		const run = () =>
			applyOutput(
				ctx(() => ({ resource: 'r', operation: 'o', output: 'selected', outputFields: ' , ' })),
				items(2),
				() => ['id'],
			);
		expect(run).toThrow(NodeOperationError);
		expect(run).toThrow(/^Item 0: No fields to output/);
	});

	test('version 1 defaults to Raw (saved workflows unchanged), version 2 to Simplified', () => {
		const [v1, v2, fields] = outputProperties({ resource: ['user'], operation: ['get'] });
		expect([v1.default, v1.displayOptions?.show?.['@version']]).toEqual(['raw', [1]]);
		expect([v2.default, v2.displayOptions?.show?.['@version']]).toEqual([
			'simplified',
			[{ _cnd: { gte: 2 } }],
		]);
		expect(fields.displayOptions?.show?.output).toEqual(['selected']);
	});

	test('every simplified record type declares at most 10 fields, and every node offers Output and list search', () => {
		const fieldsOf = [
			moodleFields,
			scormCloudFields,
			degreedFields,
			percipioFields,
			learnLinkFields,
		];
		for (const [n, NodeClass] of [Moodle, ScormCloud, Degreed, Percipio, LearnLink].entries()) {
			const node = new NodeClass();
			for (const p of node.description.properties.filter(
				(q) => q.name === 'output' && q.type === 'options' && q.displayOptions?.show?.resource,
			)) {
				for (const resource of p.displayOptions!.show!.resource as string[]) {
					for (const operation of p.displayOptions!.show!.operation as string[]) {
						const fields = fieldsOf[n](resource, operation);
						expect(fields?.length).toBeGreaterThan(0);
						expect(fields!.length).toBeLessThanOrEqual(10);
					}
				}
			}
			expect(node.description.version).toEqual([1, 2]);
			expect(node.description.defaultVersion).toBe(2);
			const outputs = node.description.properties.filter(
				(p) =>
					p.name === 'output' &&
					p.type === 'options' &&
					!p.displayOptions?.show?.['@version']?.includes(1),
			);
			expect(outputs.length).toBeGreaterThan(0);
			const methods = (node as unknown as { methods: { listSearch: Record<string, unknown> } })
				.methods.listSearch;
			const used = node.description.properties
				.flatMap((p) => (p.modes ?? []).map((m) => m.typeOptions?.searchListMethod))
				.filter(Boolean) as string[];
			expect(used.length).toBeGreaterThan(0);
			for (const name of used) expect(typeof methods[name]).toBe('function');
			for (const p of node.description.properties.filter((q) => q.type === 'resourceLocator')) {
				expect(p.default).toEqual({ mode: 'list', value: '' });
				expect(p.modes?.[0].name).toBe('list');
			}
		}
	});
});

describe('resourceLocator()', () => {
	const property: INodeProperties = resourceLocator({
		displayName: 'Course',
		name: 'courseId',
		searchListMethod: 'searchCourses',
		id: { placeholder: 'e.g. 42', regex: '^[1-9]\\d*$' },
		url: {
			placeholder: 'https://x/course/view.php?id=42',
			regex: '^https?://.+/course/view\\.php\\?(?:.*&)?id=\\d+',
			extract: '/course/view\\.php\\?(?:.*&)?id=(\\d+)',
		},
	});

	test('From list first (searchable), By ID with validation, By URL with a one-group extractor', () => {
		expect(property.type).toBe('resourceLocator');
		expect(property.modes?.map((m) => m.name)).toEqual(['list', 'id', 'url']);
		expect(property.modes?.[0].typeOptions).toEqual({
			searchListMethod: 'searchCourses',
			searchable: true,
		});
		const url = property.modes?.[2];
		const match = new RegExp(String(url?.extractValue?.regex)).exec(
			'https://moodle.example/course/view.php?lang=en&id=77',
		);
		expect(match?.slice(1)).toEqual(['77']);
		expect(
			new RegExp(
				(url?.validation?.[0] as unknown as { properties: { regex: string } }).properties.regex,
			).test('https://moodle.example/mod/quiz/view.php?id=1'),
		).toBe(false);
	});
});
