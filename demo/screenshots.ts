// Refreshes the README's screenshots (docs/images/*.png) from a real n8n in a real headless browser:
// Debian's Chromium (/usr/bin/chromium; `apt-get install -y chromium`) driven by playwright-core —
// never a browser that Playwright downloads. Not part of `npm test`.
//
//   node scripts/node24.mjs npx tsx demo/screenshots.ts [--port 5679] [--out docs/images]
//
// It does the `npm start` set-up (sandbox, pinned n8n, packed package, demo credentials, example
// workflows), runs workflows 5 and 1 once with `n8n execute` so there are finished executions to
// show, starts the editor, signs in as the owner and captures:
//   editor-workflow.png        workflow 2 on the canvas (Percipio, Moodle, Degreed nodes)
//   node-degreed-xapi.png      the Degreed node's parameters (xAPI statement) in the node view
//   credential-degreed.png     the Degreed credential form
//   execution-finished.png     a finished execution of workflow 1 (SCORM Cloud → Degreed)
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { OWNER, repoRoot } from '../test/e2e/harness/n8n';
import { startEditor } from './run';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const log = (m: string) => process.stderr.write(`[screenshots] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function dismissPopups(page: Page): Promise<void> {
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Escape').catch(() => undefined);
		await sleep(200);
	}
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '5679' },
			'sandbox-port': { type: 'string', default: '8797' },
			out: { type: 'string', default: join(repoRoot, 'docs', 'images') },
		},
	});
	if (!existsSync(CHROMIUM))
		throw new Error(
			`${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium)`,
		);
	const out = resolve(values.out!);
	mkdirSync(out, { recursive: true });
	const editor = await startEditor({
		port: Number(values.port),
		sandboxPort: Number(values['sandbox-port']),
		before: async ({ n8n }) => {
			for (const id of ['lpExample05Catalog']) {
				log(`n8n execute ${id}`);
				const run = await n8n.execute(id, { timeoutMs: 300_000 });
				if (!run.ok)
					throw new Error(
						`${id} failed: ${run.error?.message ?? JSON.stringify(run.nodeErrors())}`,
					);
			}
		},
	});
	// workflow 1 starts with a polling trigger: publishing it polls once, and that poll's execution is the one shown
	log('publishing workflow 1 (its polling trigger polls on publishing)');
	await editor.n8n.activateWorkflow('lpExample01Scorm');
	// Playwright starts Chromium with a new, empty profile (user-data-dir) of its own every launch.
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
	try {
		const context = await browser.newContext({
			viewport: { width: 1440, height: 900 },
			deviceScaleFactor: 1,
		});
		const page = await context.newPage();
		log(`signing in at ${editor.url}/signin`);
		await page.goto(`${editor.url}/signin`, { waitUntil: 'networkidle' });
		await page
			.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]')
			.first()
			.fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
		await page.waitForLoadState('networkidle');
		await dismissPopups(page);

		log('editor: workflow 2');
		await page.goto(`${editor.url}/workflow/lpExample02Pcpio`, { waitUntil: 'networkidle' });
		await page.locator('.vue-flow__node').first().waitFor({ timeout: 60_000 });
		await dismissPopups(page);
		await page
			.locator('.vue-flow__pane')
			.first()
			.click({ position: { x: 5, y: 5 } })
			.catch(() => undefined);
		await page.keyboard.press('1'); // zoom to fit
		await sleep(1000);
		await page.screenshot({ path: join(out, 'editor-workflow.png') });

		log('node view: Degreed xAPI statement');
		await page.locator('.vue-flow__node', { hasText: 'Degreed xAPI statement' }).first().dblclick();
		await sleep(1500);
		await page.screenshot({ path: join(out, 'node-degreed-xapi.png') });
		await dismissPopups(page);

		const failures: string[] = [];
		const attempt = async (name: string, fn: () => Promise<void>) => {
			try {
				await fn();
			} catch (e) {
				failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
				await page.screenshot({ path: join(out, `failed-${name}.png`) }).catch(() => undefined);
			}
		};
		log('credential form: Degreed');
		await attempt('credential-degreed', async () => {
			await page.goto(`${editor.url}/home/credentials`, { waitUntil: 'networkidle' });
			await page.getByText('Degreed account').first().waitFor({ timeout: 60_000 });
			await dismissPopups(page);
			await page.getByText('Degreed account').first().click();
			await page.getByText('Client Secret').first().waitFor({ timeout: 60_000 });
			await sleep(1500);
			await page.screenshot({ path: join(out, 'credential-degreed.png') });
			await dismissPopups(page);
		});

		const executions = async () =>
			await editor.n8n.rest<{ results: Array<{ id: string; status: string }> }>(
				'GET',
				`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'lpExample01Scorm' }))}&limit=10`,
			);
		let list = await executions();
		for (let i = 0; i < 120 && !list.results.some((e) => e.status === 'success'); i++) {
			await sleep(500);
			list = await executions();
		}
		const execId = list.results.find((e) => e.status === 'success')?.id;
		if (!execId)
			throw new Error(`no finished execution of workflow 1: ${JSON.stringify(list.results)}`);
		log(`finished execution ${execId} of workflow 1`);
		await attempt('execution-finished', async () => {
			await page.goto(`${editor.url}/workflow/lpExample01Scorm/executions/${execId}`, {
				waitUntil: 'networkidle',
			});
			await page
				.getByText(/Succeeded/)
				.first()
				.waitFor({ timeout: 60_000 });
			await page.locator('.vue-flow__node').first().waitFor({ timeout: 60_000 });
			await sleep(2500);
			await page.screenshot({ path: join(out, 'execution-finished.png') });
		});
		if (failures.length)
			throw new Error(`some screenshots failed (see ${out}/failed-*.png): ${failures.join('; ')}`);
		log(`saved to ${out}`);
	} finally {
		await browser.close();
		await editor.close();
	}
}

main().catch((e: unknown) => {
	process.stderr.write(`[screenshots] FAILED: ${(e as Error).stack ?? String(e)}\n`);
	process.exit(1);
});
