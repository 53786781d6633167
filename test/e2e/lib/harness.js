'use strict';
/**
 * node:test glue. `e2eSuite(title, options, body)` declares, for every selected n8n version, a
 * suite "n8n <version>" that owns one private n8n instance and one vendor sandbox:
 *
 *   e2eSuite('apptenticate', { workflows: ['apptenticate-ocr'] }, (env) => {
 *     describe('apptenticate ocr', () => {
 *       const run = env.once('ocr', () => env.execute('apptenticate-ocr'));
 *       it('happy path', async () => { const execution = await run(); ... });
 *     });
 *   });
 *
 * Full test names read "n8n 2.41.1 apptenticate ocr happy path", which is what
 * `--test-name-pattern` matches. Set-up runs only for suites that have a selected test.
 *
 * The expensive parts are shared: the package is built and packed once per run, and per n8n
 * version a "template" user folder holds the migrated database and the installed package; each
 * suite copies it, then imports its credentials (pointing at its own sandbox) and workflows.
 */
const { describe, before, after } = require('node:test');
const fs = require('fs');
const os = require('os');
const path = require('path');
const toolchain = require('../../../tools/n8n/toolchain');
const { N8n, killChildrenOnExit, productionWebhooks } = require('../../../tools/n8n/n8n');
const { loadWorkflow, sandboxCredentials } = require('./fixtures');
const { startSandbox } = require('../../sandbox/server');

const SETUP_TIMEOUT_MS = 10 * 60_000;

/** The run's shared state: from run.js through the environment, or made here on first use. */
const run = {
	workDir: process.env.KYC_E2E_WORKDIR || null,
	tgz: process.env.KYC_E2E_TGZ || null,
	nodeHome: process.env.KYC_E2E_NODE_HOME || null,
	templates: new Map(),
};

function workDir() {
	if (!run.workDir) {
		run.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-e2e-'));
		run.ownWorkDir = true;
	}
	return run.workDir;
}

function nodeHome(version) {
	if (!run.nodeHome) run.nodeHome = toolchain.ensureN8n([version]);
	return run.nodeHome;
}

function packageTgz() {
	if (!run.tgz)
		run.tgz = toolchain.buildAndPack(path.join(workDir(), 'pack'), {
			nodeHome: run.nodeHome,
			quiet: true,
		});
	return run.tgz;
}

/**
 * The template user folder of a version: package installed as a community install does it,
 * database migrated (`n8n list:workflow` is the cheapest command that opens it).
 */
async function prepareTemplate(
	version,
	{ dir = workDir(), tgz = packageTgz(), home = nodeHome(version) } = {},
) {
	const folder = path.join(dir, `template-${version}`);
	if (fs.existsSync(path.join(folder, '.ready'))) return folder;
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	const n8n = await new N8n({ version, nodeHome: home, userFolder: folder }).init();
	await n8n.installPackage(tgz);
	await n8n.cliOk(['list:workflow']);
	fs.writeFileSync(path.join(folder, '.ready'), `${new Date().toISOString()}\n`);
	return folder;
}

async function template(version) {
	const shared = run.workDir && path.join(run.workDir, `template-${version}`);
	if (shared && fs.existsSync(path.join(shared, '.ready'))) return shared;
	if (!run.templates.has(version)) run.templates.set(version, prepareTemplate(version));
	return await run.templates.get(version);
}

/** Appends a timing record for run.js's summary. */
function record(entry) {
	if (!run.workDir) return;
	fs.appendFileSync(
		path.join(run.workDir, 'timings.jsonl'),
		`${JSON.stringify({ t: Date.now(), ...entry })}\n`,
	);
}

class SuiteEnv {
	constructor(title, version, options) {
		this.title = title;
		this.version = version;
		this.options = options;
		this.memo = new Map();
		this.workflows = {};
		this.notes = [];
	}

	async setup() {
		const started = Date.now();
		const templateFolder = await template(this.version);
		this.sandbox = await startSandbox({ port: 0, quiet: true, ...(this.options.sandbox ?? {}) });
		const userFolder = fs.mkdtempSync(
			path.join(workDir(), `${this.title.replace(/\W+/g, '-')}-${this.version}-`),
		);
		fs.cpSync(templateFolder, userFolder, { recursive: true });
		fs.rmSync(path.join(userFolder, '.ready'), { force: true });
		this.n8n = await new N8n({
			version: this.version,
			nodeHome: nodeHome(this.version),
			userFolder,
			env: this.options.env,
		}).init();
		this.vars = {
			SANDBOX_URL: this.sandbox.url,
			N8N_URL: this.n8n.url,
			...(this.options.vars ?? {}),
		};
		await this.n8n.importCredentials(sandboxCredentials(this.vars));
		for (const name of this.options.workflows ?? [])
			this.workflows[name] = loadWorkflow(name, this.vars);
		if (Object.keys(this.workflows).length)
			await this.n8n.importWorkflows(Object.values(this.workflows));
		this.setupMs = Date.now() - started;
		record({ kind: 'setup', suite: this.title, version: this.version, ms: this.setupMs });
	}

	async teardown() {
		await this.n8n?.stop();
		await this.sandbox?.close();
		for (const note of this.notes) process.stdout.write(`NOTE [n8n ${this.version}] ${note}\n`);
		// run.js removes its work folder after a successful run; a direct run leaves it for a look
		if (run.ownWorkDir && this.n8n)
			process.stdout.write(`n8n ${this.version} user folder (logs/): ${this.n8n.userFolder}\n`);
	}

	/** Something worth reporting that is not a failure (printed after the suite). */
	note(text) {
		this.notes.push(text);
	}

	/** Memoizes an async step so that several tests can share it, whichever runs first. */
	once(key, fn) {
		return () => {
			if (!this.memo.has(key)) this.memo.set(key, Promise.resolve().then(fn));
			return this.memo.get(key);
		};
	}

	workflowId(name) {
		const workflow = this.workflows[name];
		if (!workflow) throw new Error(`workflow fixture "${name}" is not imported in this suite`);
		return workflow.id;
	}

	/** `n8n execute` of a fixture workflow; returns an Execution. */
	async execute(name) {
		const execution = await this.n8n.execute(this.workflowId(name));
		record({
			kind: 'execute',
			suite: this.title,
			workflow: name,
			version: this.version,
			ms: execution.ms,
			status: execution.status,
			anomaly: execution.anomaly,
		});
		if (execution.anomaly) this.note(`${name}: ${execution.anomaly}`);
		return execution;
	}

	/**
	 * Publishes (activates) fixture workflows with triggers, starts `n8n start`, creates the owner
	 * and an API key for the public API (to read executions).
	 */
	async startServer({ publish = [] } = {}) {
		const started = Date.now();
		for (const name of publish) await this.n8n.publish(this.workflowId(name));
		await this.n8n.start();
		await this.n8n.waitForWebhooks(
			publish.flatMap((name) => productionWebhooks(this.workflows[name])),
		);
		await this.n8n.setupOwner();
		await this.n8n.createApiKey();
		record({
			kind: 'server',
			suite: this.title,
			version: this.version,
			ms: Date.now() - started,
			readyMs: this.n8n.server?.readyMs,
		});
	}

	/** The production URL of a trigger node of a fixture workflow (`/webhook/<webhookId>/<path>`). */
	webhookUrl(workflowName, nodeName, path) {
		const node = this.workflows[workflowName]?.nodes.find((n) => n.name === nodeName);
		if (!node?.webhookId)
			throw new Error(`${workflowName}: node "${nodeName}" has no fixed webhookId`);
		return `${this.n8n.url}/webhook/${node.webhookId}/${path}`;
	}

	/** Sandbox requests made after `mark` (an index into the log), optionally of one vendor/route. */
	requestsSince(mark, { vendor, route } = {}) {
		return this.sandbox.requests
			.slice(mark)
			.filter((r) => (!vendor || r.vendor === vendor) && (!route || r.route === route));
	}

	/** The current position in the sandbox's request log. */
	mark() {
		return this.sandbox.requests.length;
	}
}

/**
 * @param {string} title suite name (used in folder names)
 * @param {object} options { workflows: [fixture names], sandbox: startSandbox options, env, vars }
 * @param {(env: SuiteEnv) => void} body declares describe()/it() blocks
 */
function e2eSuite(title, options, body) {
	killChildrenOnExit();
	for (const version of toolchain.selectedVersions()) {
		describe(`n8n ${version}`, () => {
			const env = new SuiteEnv(title, version, options);
			before(() => env.setup(), { timeout: SETUP_TIMEOUT_MS });
			after(() => env.teardown(), { timeout: 60_000 });
			body(env);
		});
	}
}

module.exports = { e2eSuite, prepareTemplate, SuiteEnv };
