// Every parameter a node shows "when resource is X and operation is Y" must name an X and Y the node
// has: a renamed operation otherwise leaves its parameters (Output, Simplify, options) silently
// hidden, with no compiler or runtime error. Checked for every node of the package, so a rename
// anywhere fails here.
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { Degreed } from '../../../nodes/Degreed/Degreed.node';
import { DegreedTrigger } from '../../../nodes/Degreed/DegreedTrigger.node';
import { LearnLink } from '../../../nodes/LearnLink/LearnLink.node';
import { LearnLinkPollingTrigger } from '../../../nodes/LearnLink/LearnLinkPollingTrigger.node';
import { LearnLinkTrigger } from '../../../nodes/LearnLink/LearnLinkTrigger.node';
import { Moodle } from '../../../nodes/Moodle/Moodle.node';
import { Percipio } from '../../../nodes/Percipio/Percipio.node';
import { PercipioTrigger } from '../../../nodes/Percipio/PercipioTrigger.node';
import { ScormCloud } from '../../../nodes/ScormCloud/ScormCloud.node';
import { ScormCloudPollingTrigger } from '../../../nodes/ScormCloud/ScormCloudPollingTrigger.node';
import { ScormCloudTrigger } from '../../../nodes/ScormCloud/ScormCloudTrigger.node';

const NODES: Array<new () => INodeType> = [
	Degreed,
	DegreedTrigger,
	LearnLink,
	LearnLinkPollingTrigger,
	LearnLinkTrigger,
	Moodle,
	Percipio,
	PercipioTrigger,
	ScormCloud,
	ScormCloudPollingTrigger,
	ScormCloudTrigger,
];

type Condition = Record<string, unknown[] | undefined>;

/** The values a parameter can take, when they are a closed set (options, boolean). */
function closedValues(p: INodeProperties): unknown[] | undefined {
	if (p.type === 'boolean') return [true, false];
	if (p.type === 'options' && Array.isArray(p.options))
		return (p.options as Array<{ value?: unknown }>).map((o) => o.value);
	return undefined;
}

/** Plain values only: n8n's `_cnd` conditions (e.g. on @version) are not names. */
const plain = (values: unknown[] | undefined): unknown[] =>
	(values ?? []).filter((v) => v === null || typeof v !== 'object');

/** Each parameter with every condition it is shown under, nested collection entries included. */
function* conditions(
	properties: INodeProperties[],
	path: string,
): Generator<{ where: string; cond: Condition; root: boolean }> {
	for (const p of properties) {
		const where = `${path}${p.name}`;
		for (const cond of [p.displayOptions?.show, p.displayOptions?.hide])
			if (cond) yield { where, cond: cond as Condition, root: path === '' };
		for (const o of (p.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>) {
			if ('displayName' in o && 'type' in o) yield* conditions([o], `${where}.`);
			else if ('values' in o && Array.isArray(o.values)) yield* conditions(o.values, `${where}.`);
		}
	}
}

/** Conditions naming a parameter the node lacks, or a value outside that parameter's options. */
function referenceProblems(top: INodeProperties[]): string[] {
	const byName = new Map<string, INodeProperties[]>();
	for (const p of top) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
	const problems: string[] = [];
	for (const { where, cond, root } of conditions(top, '')) {
		for (const [key, values] of Object.entries(cond)) {
			if (key.startsWith('@')) continue;
			// Inside a collection, a bare name is a sibling; only root names can be checked here.
			if (!root && !key.startsWith('/')) continue;
			const targets = byName.get(key.replace(/^\//, ''));
			if (!targets) {
				problems.push(`${where}: shown on "${key}", which the node does not have`);
				continue;
			}
			const allowed = targets.map(closedValues);
			if (allowed.some((a) => a === undefined)) continue;
			const union = new Set(allowed.flat());
			for (const v of plain(values))
				if (!union.has(v))
					problems.push(`${where}: "${key}" = ${JSON.stringify(v)} does not exist`);
		}
	}
	return problems;
}

/** Conditions pairing a resource with an operation that resource does not have. */
function operationProblems(top: INodeProperties[]): string[] {
	const operationsOf = new Map<string, Set<unknown>>();
	for (const p of top.filter((q) => q.name === 'operation'))
		for (const resource of plain(p.displayOptions?.show?.resource as unknown[]))
			operationsOf.set(
				String(resource),
				new Set([...(operationsOf.get(String(resource)) ?? []), ...(closedValues(p) ?? [])]),
			);
	const problems: string[] = [];
	for (const { where, cond } of conditions(top, '')) {
		if (where === 'operation') continue;
		const resources = plain(cond.resource ?? cond['/resource']);
		const operations = plain(cond.operation ?? cond['/operation']);
		if (!resources.length || !operations.length) continue;
		for (const op of operations)
			if (!resources.some((r) => operationsOf.get(String(r))?.has(op)))
				problems.push(
					`${where}: operation ${JSON.stringify(op)} is no operation of ${JSON.stringify(resources)}`,
				);
	}
	return problems;
}

describe.each(NODES.map((N) => [new N().description.displayName, new N()] as const))(
	'%s: every displayOptions reference names a parameter and a value the node has',
	(_name, node) => {
		test('referenced parameters exist and referenced values are among their options', () => {
			expect(referenceProblems(node.description.properties)).toEqual([]);
		});

		test('an operation referenced together with a resource is an operation of that resource', () => {
			expect(operationProblems(node.description.properties)).toEqual([]);
		});
	},
);

test('the checks find a stale operation name, an unknown value and a missing parameter', () => {
	const properties = new Moodle().description.properties;
	const output = properties.find((p) => p.name === 'output')!;
	const stale = {
		...output,
		displayOptions: { show: { resource: ['course'], operation: ['getMany'] } },
	};
	expect(referenceProblems([...properties, stale])).toEqual([
		'output: "operation" = "getMany" does not exist',
	]);
	expect(operationProblems([...properties, stale])).toEqual([
		'output: operation "getMany" is no operation of ["course"]',
	]);
	// An operation of another resource: every name exists, the pairing does not.
	const crossed = {
		...output,
		displayOptions: { show: { resource: ['course'], operation: ['getEnrolled'] } },
	};
	expect(referenceProblems([...properties, crossed])).toEqual([]);
	expect(operationProblems([...properties, crossed])).toEqual([
		'output: operation "getEnrolled" is no operation of ["course"]',
	]);
	const orphan = { ...output, displayOptions: { show: { mode: ['x'] } } };
	expect(referenceProblems([...properties, orphan])).toEqual([
		'output: shown on "mode", which the node does not have',
	]);
});
