// The shipped example workflows (examples/workflows/*.json) and what the demo needs to know about
// each: which node reads the source records, and how the workflow is started.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, type WorkflowJson } from '../test/e2e/harness/n8n';

export const EXAMPLES_DIR = join(repoRoot, 'examples', 'workflows');

export interface DemoWorkflow {
	/** examples/workflows/<file> */
	file: string;
	json: WorkflowJson;
	/** Short label for the summary table. */
	label: string;
	/**
	 * 'cli': `n8n execute` from its Manual Trigger; 'webhook': published, started by signed Learn.link events;
	 * 'poll': a polling trigger, published (n8n polls once on publishing; pass 2 re-publishes it, polling again).
	 */
	start: 'cli' | 'webhook' | 'poll';
	/** The node whose output items are the records read from the source platform. */
	readNode: string;
	/** Where the read records come from (for the table). */
	source: string;
}

/** How the demo runs each example, in the order it runs them (catalogue first: workflow 1 needs the Degreed content it creates). */
const PLAN: Array<Omit<DemoWorkflow, 'json'>> = [
	{
		file: '05-own-catalogue-to-percipio-and-degreed.json',
		label: '5 Own catalogue → Percipio + Degreed',
		start: 'cli',
		readNode: 'Own courses changed since',
		source: 'SCORM Cloud courses',
	},
	{
		file: '04-new-hires-to-learnlink-and-percipio.json',
		label: '4 New hires → Learn.link + Percipio',
		start: 'cli',
		readNode: 'New hires (replace with your HR source)',
		source: 'HR list',
	},
	{
		file: '01-scorm-cloud-completions-to-degreed.json',
		label: '1 SCORM Cloud completions → Degreed',
		start: 'poll',
		readNode: 'SCORM Cloud registration completed',
		source: 'SCORM Cloud completions',
	},
	{
		file: '03-learnlink-completion-webhook-to-percipio-track.json',
		label: '3 Learn.link webhook → Percipio Track',
		start: 'webhook',
		readNode: 'Learn.link completion',
		source: 'signed Thrive events',
	},
	{
		file: '02-percipio-report-to-moodle-and-degreed.json',
		label: '2 Percipio completions → Moodle + Degreed',
		start: 'poll',
		readNode: 'Percipio completion',
		source: 'Percipio completions',
	},
];

export function loadExampleWorkflows(): DemoWorkflow[] {
	const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
	const missing = PLAN.filter((p) => !files.includes(p.file)).map((p) => p.file);
	if (missing.length) throw new Error(`examples/workflows is missing ${missing.join(', ')}`);
	return PLAN.map((p) => {
		const json = JSON.parse(readFileSync(join(EXAMPLES_DIR, p.file), 'utf8')) as WorkflowJson;
		if (!json.nodes.some((n) => n.name === p.readNode))
			throw new Error(`${p.file} has no node "${p.readNode}"`);
		return { ...p, json };
	});
}

/** The production webhook path of a workflow's Learn.link trigger (`<webhookId>/webhook`). */
export function learnLinkTriggerPath(wf: WorkflowJson): string {
	const trigger = wf.nodes.find((n) => String(n.type).endsWith('.learnLinkTrigger'));
	if (!trigger?.webhookId) throw new Error(`${wf.name}: no Learn.link trigger with a webhookId`);
	return `${String(trigger.webhookId)}/webhook`;
}
