'use strict';
/**
 * n8n in queue mode: one main (`n8n start`), workers (`n8n worker`) and webhook processors
 * (`n8n webhook`) sharing Redis (Bull) and PostgreSQL, each process with its own user folder
 * (a copy of the template: the package installed as a community package), its own ports (HTTP,
 * task broker, worker health check) and the same encryption key.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { N8n, tail } = require('../../../tools/n8n/n8n');
const { n8nBin } = require('../../../tools/n8n/toolchain');
const { freePort } = require('../../../tools/n8n/ports');
const { sleep } = require('./services');

/** Every process started here, killed (process group) if the test process dies first. */
const live = new Set();
let exitHook = false;
function watch(child) {
	live.add(child);
	child.once('exit', () => live.delete(child));
	if (!exitHook) {
		exitHook = true;
		process.once('exit', () => {
			for (const c of live) killGroup(c, 'SIGKILL');
		});
	}
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// gone
	}
}

/** One n8n process of the cluster: `command` is start, worker or webhook. */
class QueueProcess extends N8n {
	constructor({ name, command, args = [], readyPath, healthPort, ...options }) {
		super(options);
		this.name = name;
		this.command = command;
		this.args = args;
		this.readyPath = readyPath;
		this.healthPort = healthPort;
	}

	get readyUrl() {
		return this.healthPort
			? `http://127.0.0.1:${this.healthPort}${this.readyPath}`
			: `${this.url}${this.readyPath}`;
	}

	async start({ timeoutMs = 180_000 } = {}) {
		if (this.server) return this;
		const logFile = this.logFile(this.command);
		const log = fs.openSync(logFile, 'a');
		const child = spawn(
			path.join(this.nodeHome, 'bin', 'node'),
			[n8nBin(this.version), this.command, ...this.args],
			{
				cwd: this.userFolder,
				env: this.env(await freePort()),
				stdio: ['ignore', log, log],
				detached: true,
			},
		);
		fs.closeSync(log);
		watch(child);
		const exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => resolve({ code, signal })),
		);
		this.server = { child, exited, logFile, startedAt: Date.now() };
		this.lastLogFile = logFile;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null) {
				this.server = null;
				throw new Error(
					`n8n ${this.command} (${this.name}) exited before it was ready:\n${tail(fs.readFileSync(logFile, 'utf8'))}`,
				);
			}
			try {
				const answer = await fetch(this.readyUrl, { signal: AbortSignal.timeout(2000) });
				await answer.arrayBuffer();
				// main: its REST API comes a moment after readiness
				const rest =
					answer.status === 200 && this.command === 'start'
						? await fetch(`${this.url}/rest/settings`, { signal: AbortSignal.timeout(2000) })
						: answer;
				if (rest.status === 200) {
					this.server.readyMs = Date.now() - this.server.startedAt;
					return this;
				}
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
		await this.stop();
		throw new Error(
			`n8n ${this.command} (${this.name}) was not ready within ${timeoutMs / 1000} s (log: ${logFile})`,
		);
	}

	serverLog() {
		return this.lastLogFile ? fs.readFileSync(this.lastLogFile, 'utf8') : '';
	}

	/** The ids of the executions this worker started, from its log ("Worker started execution 12 (job 3)"). */
	startedExecutions() {
		const log = this.serverLog();
		return [...log.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	}
}

/**
 * @param {object} o
 * @param {string} o.version, o.nodeHome, o.workDir, o.templateFolder
 * @param {{port:number}} o.redis
 * @param {{port:number, user:string, database:string}} o.postgres
 * @param {object} o.env    settings for every process (the deployment's, e.g. N8N_EXPRESSION_ENGINE)
 * @param {number} [o.workers] how many workers
 * @param {number} [o.workerConcurrency] jobs one worker runs at once (`n8n worker --concurrency`)
 */
class QueueCluster {
	constructor({
		version,
		nodeHome,
		workDir,
		templateFolder,
		redis,
		postgres,
		env = {},
		workers = 2,
		workerConcurrency = 5,
	}) {
		Object.assign(this, {
			version,
			nodeHome,
			workDir,
			templateFolder,
			redis,
			postgres,
			settings: env,
			workerCount: workers,
			workerConcurrency,
		});
		this.workers = [];
		this.webhooks = [];
	}

	/** What every process of a queue-mode deployment shares (README "Queue mode"). */
	sharedEnv() {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgres.port),
			DB_POSTGRESDB_DATABASE: this.postgres.database,
			DB_POSTGRESDB_USER: this.postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			...this.settings,
		};
	}

	async makeProcess(
		name,
		command,
		{ args, readyPath = '/healthz/readiness', env = {}, worker = false } = {},
	) {
		const userFolder = path.join(this.workDir, `queue-${name}`);
		fs.rmSync(userFolder, { recursive: true, force: true });
		fs.cpSync(this.templateFolder, userFolder, { recursive: true });
		fs.rmSync(path.join(userFolder, '.ready'), { force: true });
		const healthPort = worker ? await freePort() : undefined;
		const extra = worker
			? {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				}
			: {};
		const proc = new QueueProcess({
			name,
			command,
			args,
			readyPath,
			healthPort,
			version: this.version,
			nodeHome: this.nodeHome,
			userFolder,
			env: {},
		});
		await proc.init();
		proc.extraEnv = { ...this.sharedEnv(), ...extra, ...env };
		return proc;
	}

	/**
	 * Creates the processes; the main's CLI migrates the database and imports the fixtures.
	 * `moreWebhooks`: further webhook processors [{name, env}] with settings of their own.
	 */
	async prepare({ credentials, workflows, moreWebhooks = [] }) {
		this.main = await this.makeProcess('main', 'start');
		for (let i = 1; i <= this.workerCount; i++) {
			this.workers.push(
				await this.makeProcess(`worker-${i}`, 'worker', {
					args: [`--concurrency=${this.workerConcurrency}`],
					worker: true,
				}),
			);
		}
		const webhook = await this.makeProcess('webhook-1', 'webhook');
		this.webhooks.push(webhook);
		for (const { name, env } of moreWebhooks)
			this.webhooks.push(await this.makeProcess(name, 'webhook', { env }));
		// LINK Verify's callbacks and n8n's webhook URLs point at the webhook processor
		for (const p of this.all()) p.extraEnv.N8N_WEBHOOK_URL = `${webhook.url}/`;
		await this.main.importCredentials(credentials);
		await this.main.importWorkflows(workflows);
	}

	all() {
		return [this.main, ...this.workers, ...this.webhooks].filter(Boolean);
	}

	get webhook() {
		return this.webhooks[0];
	}

	webhookNamed(name) {
		return this.webhooks.find((w) => w.name === name);
	}

	/** Starts main, then the workers and the webhook processor together; owner and API key on main. */
	async start({ activate = [] } = {}) {
		const started = Date.now();
		await this.main.start();
		await this.main.setupOwner();
		await this.main.createApiKey();
		// activating through main's public API registers the webhooks in the shared database
		for (const id of activate) await this.main.publicApi('POST', `/workflows/${id}/activate`);
		await Promise.all([...this.workers, ...this.webhooks].map((p) => p.start()));
		this.startMs = Date.now() - started;
		return this;
	}

	async stop() {
		await Promise.all(this.all().map((p) => p.stop()));
	}

	/** Execution id -> worker name, from the workers' logs. */
	executionWorkers() {
		const map = new Map();
		for (const worker of this.workers)
			for (const id of worker.startedExecutions())
				map.set(id, [...(map.get(id) ?? []), worker.name]);
		return map;
	}
}

module.exports = { QueueCluster, QueueProcess };
