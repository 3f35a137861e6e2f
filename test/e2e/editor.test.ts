// The editor experience of a resource locator, in a real n8n (pinned) in a real headless browser
// (Debian's Chromium driven by playwright-core, as demo/screenshots.ts does): open the Moodle node,
// open the Course locator's list, type a search (sent to Moodle's core_course_search_courses),
// pick a course, run the node, check its (simplified) output and the saved locator value, and keep
// a screenshot for the docs (docs/images/editor-resource-locator.png).
//
// Chromium is installed with apt-get when missing (as the queue-mode test installs PostgreSQL and
// Redis): a missing browser is an error with apt's output, never a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import {
	createN8nInstance,
	freePort,
	OWNER,
	packPackage,
	repoRoot,
	type N8nInstance,
	type WorkflowJson,
} from './harness/n8n';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { MOODLE_DEMO, moodleProvider, type MoodleEmulator } from '../sandbox/providers/moodle';

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
const SCREENSHOT = join(repoRoot, 'docs', 'images', 'editor-resource-locator.png');
const CREDENTIAL = { id: 'MoodleEditorCred1', name: 'Moodle account', type: 'moodleApi' } as const;
const WORKFLOW_ID = 'lpEditorLocator01';

/** Debian's Chromium, installed with apt-get when missing (needs root, like the queue-mode test). */
function ensureChromium(): void {
	if (existsSync(CHROMIUM)) return;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot)
		throw new Error(
			`${CHROMIUM} is missing and this process is not root, so apt-get cannot install it: run apt-get install -y chromium`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
			env,
			encoding: 'utf8',
			timeout: 900_000,
		});
	let result = install();
	if (result.status !== 0) {
		// A fresh machine may have no package lists yet.
		spawnSync('apt-get', ['update'], { env, encoding: 'utf8', timeout: 300_000 });
		result = install();
	}
	if (result.status !== 0 || !existsSync(CHROMIUM))
		throw new Error(
			`apt-get install -y chromium failed (exit ${String(result.status)}):\n${`${result.stdout}${result.stderr}`.slice(-3000)}`,
		);
}

const workflow: WorkflowJson = {
	id: WORKFLOW_ID,
	name: 'Resource locator in the editor',
	active: false,
	nodes: [
		{
			id: 'trigger',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'moodle',
			name: 'Course roster',
			type: 'n8n-nodes-learning-platforms.moodle',
			typeVersion: 2,
			position: [260, 0],
			parameters: {
				resource: 'user',
				operation: 'getEnrolled',
				courseId: { __rl: true, mode: 'list', value: '' },
				returnAll: true,
			},
			credentials: { moodleApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		},
	],
	connections: { Start: { main: [[{ node: 'Course roster', type: 'main', index: 0 }]] } },
	settings: {},
} as unknown as WorkflowJson;

let sandbox: Sandbox;
let emulator: MoodleEmulator;
let n8n: N8nInstance;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
	ensureChromium();
	sandbox = await startSandbox({ providers: [moodleProvider()], logLevel: 'silent' });
	emulator = sandbox.provider<MoodleEmulator>('moodle');
	const port = await freePort();
	url = `http://localhost:${port}`;
	// The browser opens localhost over plain http: no secure cookie.
	n8n = await createN8nInstance({
		pack: await packPackage(),
		port,
		env: { N8N_HOST: 'localhost', N8N_SECURE_COOKIE: 'false', N8N_EDITOR_BASE_URL: `${url}/` },
	});
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			data: { siteUrl: `${sandbox.urlFor('moodle', 'site')}/`, token: MOODLE_DEMO.token },
		},
	]);
	await n8n.importWorkflow([workflow]);
	await n8n.start({ timeoutMs: 300_000 });
	// n8n's editor marks its elements with data-test-id (Playwright's default is data-testid).
	selectors.setTestIdAttribute('data-test-id');
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
	page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
	await sandbox?.close();
});

async function dismissPopups(): Promise<void> {
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Escape').catch(() => undefined);
		await page.waitForTimeout(200);
	}
}

/** On failure: what the page showed, for the next person (screenshot and text beside the test's output). */
async function diagnose<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		const dir = join(repoRoot, 'node_modules', '.cache', 'lp-editor-test');
		mkdirSync(dir, { recursive: true });
		await page.screenshot({ path: join(dir, 'failure.png') }).catch(() => undefined);
		const text = await page
			.locator('body')
			.innerText()
			.catch(() => '');
		const note = `\nPage ${page.url()} (screenshot: ${join(dir, 'failure.png')}) showed:\n${text.slice(0, 3000)}`;
		(error as Error).message += note;
		(error as Error).stack = `${(error as Error).stack ?? ''}${note}`;
		throw error;
	}
}

test('pick a Moodle course from the searchable list in the editor, run the node, see the roster', async () =>
	await diagnose(async () => {
		await page.goto(`${url}/signin`, { waitUntil: 'networkidle' });
		await page
			.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]')
			.first()
			.fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });

		// n8n opens a node's parameters from its URL (/workflow/<id>/<node id>).
		await page.goto(`${url}/workflow/${WORKFLOW_ID}`, { waitUntil: 'networkidle' });
		await page
			.locator('.vue-flow__node', { hasText: 'Course roster' })
			.first()
			.waitFor({ timeout: 60_000 });
		await dismissPopups();
		const locator = page.getByTestId('resource-locator-courseId');
		await page.locator('.vue-flow__node', { hasText: 'Course roster' }).first().dblclick();
		const input = locator.getByTestId('rlc-input-container');
		if (!(await input.isVisible().catch(() => false))) {
			await input.waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
				await dismissPopups();
				await page.goto(`${url}/workflow/${WORKFLOW_ID}/moodle`, { waitUntil: 'networkidle' });
			});
		}

		// The Course locator opens on "From List"; its list comes from the node's searchCourses.
		// The container itself has no box of its own (display: contents): wait for its input.
		await input.waitFor({ state: 'visible', timeout: 60_000 });
		await expectValue(locator.getByTestId('rlc-mode-selector').locator('input'), /^From list$/i);
		await input.click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor({ timeout: 60_000 });
		const listed = await items.allInnerTexts();
		expect(listed.join('\n')).toContain('Security awareness 2026 (4)');

		const searchesBefore = emulator.calls.get('core_course_search_courses') ?? 0;
		await page.getByTestId('rlc-search').fill('leading');
		// A string: the test project's types have no DOM; it runs in the page.
		await page.waitForFunction(
			'document.querySelectorAll(\'[data-test-id="rlc-item"]\').length === 1',
			undefined,
			{ timeout: 30_000 },
		);
		expect(await items.allInnerTexts()).toEqual([
			expect.stringContaining('Leading Teams: Building Trust (3)'),
		]);
		expect(emulator.calls.get('core_course_search_courses') ?? 0).toBeGreaterThan(searchesBefore);
		await items.first().click();
		await expectValue(input.locator('input'), /Leading Teams/);

		await page.getByTestId('node-execute-button').first().click();
		const enrolled = [...emulator.users.values()].filter((u) => [3, 4, 5, 6, 7, 8].includes(u.id));
		const output = page
			.getByTestId('ndv-output-panel')
			.or(page.getByTestId('output-panel'))
			.first();
		await output
			.getByText(/\b6 items\b/)
			.first()
			.waitFor({ timeout: 60_000 });
		await output.getByText(enrolled[0].username).first().waitFor({ timeout: 30_000 });
		mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
		await page.screenshot({ path: SCREENSHOT });

		// Saved as a From-list locator value; the run sent the picked course ID to Moodle.
		await page.keyboard.press('Escape');
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1500);
		const saved = await n8n.rest<{
			nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
		}>('GET', `/rest/workflows/${WORKFLOW_ID}`);
		expect(saved.nodes.find((n) => n.name === 'Course roster')?.parameters.courseId).toMatchObject({
			__rl: true,
			mode: 'list',
			value: '3',
		});
		expect(emulator.calls.get('core_enrol_get_enrolled_users') ?? 0).toBeGreaterThan(0);
	}));

/** Polls an input until it shows `expected` (playwright-core has no expect of its own). */
async function expectValue(
	input: { inputValue(): Promise<string> },
	expected: string | RegExp,
): Promise<void> {
	const deadline = Date.now() + 30_000;
	let last = '';
	while (Date.now() < deadline) {
		last = await input.inputValue().catch(() => '');
		if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(
		`expected the input to have value ${String(expected)}, it has ${JSON.stringify(last)}`,
	);
}
