'use strict';
/**
 * One private, offline n8n instance: its own user folder (SQLite database, encryption key,
 * installed community package), its own ports, driven through n8n's CLI (`import:*`,
 * `execute`, `publish:workflow`) and, once started, its REST and public APIs.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { n8nBin, majorOf, pathWithNode, PACKAGE_NAME, REPO } = require('./toolchain');
const { freePort } = require('./ports');
const { parseExecuteOutput, Execution, tail } = require('./execution');

const ENCRYPTION_KEY = 'n8n-nodes-kyc-e2e-encryption-key';
/** What `n8n start` prints once it has activated the published workflows (both versions). */
const ACTIVATED = 'Editor is now accessible via:';
const OWNER = {
	email: 'dev@example.com',
	firstName: 'Dev',
	lastName: 'Owner',
	password: 'KycDev-2024!',
};

/** n8n processes still running, so that a dying test process can take them along. */
const liveChildren = new Set();
function track(child) {
	liveChildren.add(child);
	child.once('exit', () => liveChildren.delete(child));
	return child;
}

let cleanupInstalled = false;
/**
 * For test processes: kill every n8n process this process started when it exits or is
 * interrupted (n8n runs in its own process group, so it would outlive us otherwise).
 */
function killChildrenOnExit() {
	if (cleanupInstalled) return;
	cleanupInstalled = true;
	const killAll = () => {
		for (const child of liveChildren) killGroup(child, 'SIGKILL');
	};
	process.once('exit', killAll);
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
	]) {
		process.once(signal, () => {
			killAll();
			process.exit(code);
		});
	}
}

/** Variables of the caller's shell that would change how n8n behaves: never passed on. */
const FOREIGN_ENV =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_|WEBHOOK_URL$|NODE_OPTIONS$|NODE_TEST_CONTEXT$|NODE_PATH$|npm_)/;

class N8n {
	/**
	 * @param {object} o
	 * @param {string} o.version  n8n version (its install must be in the cache)
	 * @param {string} o.nodeHome Node 24 home
	 * @param {string} o.userFolder N8N_USER_FOLDER; must not lie inside a folder tree that holds
	 *   a node_modules with n8n-workflow or zod (e.g. this repository): the package would load
	 *   those instead of n8n's own, unlike a real install.
	 * @param {number} [o.port] the port `n8n start` listens on (free one when omitted)
	 * @param {object} [o.env] extra environment
	 */
	constructor({ version, nodeHome, userFolder, port, env = {}, encryptionKey = ENCRYPTION_KEY }) {
		if (
			`${fs.realpathSync(path.dirname(path.resolve(userFolder)))}${path.sep}`.startsWith(
				`${REPO}${path.sep}`,
			)
		) {
			throw new Error(
				`the n8n user folder ${userFolder} is inside the repository: the package would load n8n-workflow and zod from its node_modules`,
			);
		}
		this.version = version;
		this.major = majorOf(version);
		this.nodeHome = nodeHome;
		this.userFolder = userFolder;
		this.port = port;
		this.extraEnv = env;
		this.encryptionKey = encryptionKey;
		this.logDir = path.join(userFolder, 'logs');
		this.commandCount = 0;
		this.server = null;
		this.cookie = null;
		this.apiKeyValue = null;
		fs.mkdirSync(this.logDir, { recursive: true });
	}

	async init() {
		if (!this.port) this.port = await freePort();
		return this;
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The environment of every n8n process of this instance (n8n-notes, "Running real n8n"). */
	env(brokerPort) {
		const env = {};
		for (const [key, value] of Object.entries(process.env))
			if (!FOREIGN_ENV.test(key)) env[key] = value;
		Object.assign(env, {
			PATH: pathWithNode(this.nodeHome),
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			DB_TYPE: 'sqlite',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_PORT: String(this.port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_WEBHOOK_URL: `${this.url}/`,
			N8N_EDITOR_BASE_URL: `${this.url}/`,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info', // lower levels also drop the JSON that `execute` prints
			N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		});
		// 2.x calls out at start-up without this; 1.x refuses to start with it ("Unknown module").
		if (this.major >= 2) env.N8N_DISABLED_MODULES = 'mcp-registry';
		return { ...env, ...this.extraEnv };
	}

	logFile(name) {
		this.commandCount += 1;
		return path.join(
			this.logDir,
			`${String(this.commandCount).padStart(3, '0')}-${name.replace(/[^\w.-]+/g, '_')}.log`,
		);
	}

	/**
	 * Runs one n8n CLI command to its end: { code, signal, stdout, stderr, ms, logFile }.
	 * The working directory is the user folder: n8n reads a `.env` from its working directory.
	 *
	 * stdout and stderr are files, not pipes. n8n ends its commands with process.exit(), which
	 * drops whatever Node has not yet handed to a pipe (pipe writes are asynchronous on POSIX,
	 * and a pipe holds 64 KB): on a busy machine `execute` printed 8.6 MB and the reader got a
	 * cut-off JSON. Writes to a file are synchronous, so what n8n printed is in the file when it
	 * exits, however big and however slow this process is.
	 */
	async cli(args, { timeoutMs = 300_000 } = {}) {
		const brokerPort = await freePort();
		const logFile = this.logFile(args[0]);
		const outFile = `${logFile}.stdout`;
		const errFile = `${logFile}.stderr`;
		const started = Date.now();
		const outFd = fs.openSync(outFile, 'w');
		const errFd = fs.openSync(errFile, 'w');
		let child;
		try {
			child = track(
				spawn(path.join(this.nodeHome, 'bin', 'node'), [n8nBin(this.version), ...args], {
					cwd: this.userFolder,
					env: this.env(brokerPort),
					stdio: ['ignore', outFd, errFd],
					detached: true,
				}),
			);
		} finally {
			fs.closeSync(outFd);
			fs.closeSync(errFd);
		}
		const exit = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				killGroup(child, 'SIGKILL');
				resolve({ timedOut: true });
			}, timeoutMs);
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			// 'exit', not 'close': a task runner n8n started may keep the files open after n8n is gone
			child.once('exit', (code, signal) => {
				clearTimeout(timer);
				killGroup(child, 'SIGKILL'); // e.g. a task runner left behind by a crashed n8n
				resolve({ code, signal });
			});
		});
		const ms = Date.now() - started;
		const stdout = fs.readFileSync(outFile, 'utf8');
		const stderr = fs.readFileSync(errFile, 'utf8');
		fs.writeFileSync(
			logFile,
			`$ n8n ${args.join(' ')}\n# exit ${exit.code} signal ${exit.signal} after ${ms} ms${exit.timedOut ? ' (timed out, killed)' : ''}\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`,
		);
		fs.rmSync(outFile);
		fs.rmSync(errFile);
		if (exit.timedOut)
			throw new Error(
				`n8n ${args.join(' ')} did not finish within ${timeoutMs / 1000} s (log: ${logFile})`,
			);
		return { code: exit.code, signal: exit.signal, stdout, stderr, ms, logFile };
	}

	/** cli() that must succeed. */
	async cliOk(args, options) {
		const result = await this.cli(args, options);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${result.code}, signal ${result.signal}):\n${tail(result.stdout + result.stderr)}\n(log: ${result.logFile})`,
			);
		}
		return result;
	}

	/**
	 * Installs the packed package the way n8n's community-package install does: into
	 * `<user folder>/.n8n/nodes`, without peer dependencies (n8n-workflow is n8n's own).
	 */
	async installPackage(tgz) {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		const manifest = path.join(nodesDir, 'package.json');
		if (!fs.existsSync(manifest))
			fs.writeFileSync(
				manifest,
				`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`,
			);
		const env = this.env(0);
		const result = await run(
			'npm',
			[
				'install',
				'--omit=peer',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
				tgz,
			],
			{ cwd: nodesDir, env },
		);
		fs.writeFileSync(this.logFile('npm-install'), `${result.stdout}\n${result.stderr}`);
		if (result.code !== 0)
			throw new Error(`npm install ${tgz} failed:\n${tail(result.stdout + result.stderr)}`);
		const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		for (const dependency of ['n8n-workflow', 'zod']) {
			if (fs.existsSync(path.join(nodesDir, 'node_modules', dependency))) {
				throw new Error(
					`npm installed ${dependency} next to the package: a user's install would not have it`,
				);
			}
		}
		return installed;
	}

	/** `n8n import:credentials` of plain (unencrypted) credentials [{id, name, type, data}]. */
	async importCredentials(credentials) {
		const file = path.join(this.userFolder, 'import-credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		try {
			return await this.cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true }); // plain passwords
		}
	}

	/** `n8n import:workflow --separate` of workflow objects (each with a fixed id), in one process. */
	async importWorkflows(workflows) {
		const dir = path.join(this.userFolder, 'import-workflows');
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		for (const workflow of workflows)
			fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		return await this.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/**
	 * `n8n execute --id=ID --rawOutput`: runs a workflow from its Manual Trigger in a process of
	 * its own and returns an Execution (items per node, error, timing). The process exit code
	 * alone is not trusted: the JSON n8n prints is (see Execution.anomaly).
	 */
	async execute(workflowId, { timeoutMs } = {}) {
		if (this.server)
			throw new Error(
				'n8n execute while the server runs would share its database: stop the server first',
			);
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
		const run = parseExecuteOutput(result.stdout);
		return new Execution({ workflowId, version: this.version, result, run });
	}

	/** Makes a trigger workflow live for the next `n8n start` (the server must be stopped). */
	async publish(workflowId) {
		if (this.server)
			throw new Error('publish with the server stopped: n8n reads activation at start-up');
		return this.major >= 2
			? await this.cliOk(['publish:workflow', `--id=${workflowId}`])
			: await this.cliOk(['update:workflow', `--id=${workflowId}`, '--active=true']);
	}

	/** `n8n start`; resolves when its workflows are active and /healthz/readiness and the REST API answer. */
	async start({ timeoutMs = 240_000 } = {}) {
		if (this.server) return this;
		const brokerPort = await freePort();
		const logFile = this.logFile('start');
		const log = fs.openSync(logFile, 'a');
		const child = track(
			spawn(path.join(this.nodeHome, 'bin', 'node'), [n8nBin(this.version), 'start'], {
				cwd: this.userFolder,
				env: this.env(brokerPort),
				stdio: ['ignore', log, log],
				detached: true,
			}),
		);
		fs.closeSync(log);
		const exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => resolve({ code, signal })),
		);
		this.server = { child, exited, logFile, startedAt: Date.now() };
		const deadline = Date.now() + timeoutMs;
		let early = null;
		exited.then((how) => {
			early = how;
		});
		while (Date.now() < deadline) {
			if (early) {
				this.server = null;
				throw new Error(
					`n8n start exited (${JSON.stringify(early)}) before it was ready:\n${tail(fs.readFileSync(logFile, 'utf8'))}`,
				);
			}
			// n8n prints this line after it has activated the published workflows (registered their
			// webhooks), which it does after /healthz/readiness answers; the log is a file, so
			// the line is there as soon as n8n has printed it.
			if (fs.readFileSync(logFile, 'utf8').includes(ACTIVATED)) {
				try {
					// and 1.x answers /healthz/readiness before it mounts its REST API: wait for both.
					const ready = await fetch(`${this.url}/healthz/readiness`, {
						signal: AbortSignal.timeout(5000),
					});
					const answer =
						ready.status === 200
							? await fetch(`${this.url}/rest/settings`, { signal: AbortSignal.timeout(5000) })
							: ready;
					if (answer.status === 200) {
						this.server.readyMs = Date.now() - this.server.startedAt;
						return this;
					}
				} catch {
					// not answering yet
				}
			}
			await sleep(250);
		}
		await this.stop();
		throw new Error(`n8n start was not ready within ${timeoutMs / 1000} s (log: ${logFile})`);
	}

	/** Stops `n8n start` (SIGTERM, then SIGKILL after 20 s). */
	async stop() {
		if (!this.server) return;
		const { child, exited } = this.server;
		this.server = null;
		this.cookie = null;
		if (child.exitCode !== null || child.signalCode !== null) return;
		killGroup(child, 'SIGTERM');
		const killer = setTimeout(() => killGroup(child, 'SIGKILL'), 20_000);
		await exited;
		clearTimeout(killer);
	}

	serverLog() {
		return this.server ? fs.readFileSync(this.server.logFile, 'utf8') : '';
	}

	// ------------------------------------------------------------------ HTTP APIs

	async rest(method, route, body) {
		const headers = { 'content-type': 'application/json', accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		const answer = await fetch(`${this.url}${route}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const cookies = answer.headers.getSetCookie?.() ?? [];
		const auth = cookies.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await answer.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!answer.ok)
			throw new Error(`${method} ${route} answered ${answer.status}: ${text.slice(0, 500)}`);
		return json?.data ?? json;
	}

	/** Creates the owner account (only possible while there is none) and keeps its session. */
	async setupOwner(owner = OWNER) {
		await this.rest('POST', '/rest/owner/setup', owner);
		return owner;
	}

	/** A key for the public API (/api/v1), with every scope the owner may grant. */
	async createApiKey(label = 'n8n-nodes-kyc e2e') {
		const scopes = await this.rest('GET', '/rest/api-keys/scopes');
		const created = await this.rest('POST', '/rest/api-keys', { label, scopes, expiresAt: null });
		this.apiKeyValue = created.rawApiKey ?? created.apiKey;
		if (!this.apiKeyValue)
			throw new Error(`POST /rest/api-keys gave no key: ${JSON.stringify(created).slice(0, 300)}`);
		return this.apiKeyValue;
	}

	async publicApi(method, route, body) {
		if (!this.apiKeyValue) throw new Error('createApiKey() first');
		const answer = await fetch(`${this.url}/api/v1${route}`, {
			method,
			headers: {
				'X-N8N-API-KEY': this.apiKeyValue,
				accept: 'application/json',
				...(body ? { 'content-type': 'application/json' } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await answer.text();
		if (!answer.ok)
			throw new Error(`${method} /api/v1${route} answered ${answer.status}: ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : undefined;
	}

	/** Finished executions of a workflow, newest first, with their run data. */
	async executions(workflowId, { limit = 20 } = {}) {
		const query = new URLSearchParams({ includeData: 'true', limit: String(limit) });
		if (workflowId) query.set('workflowId', workflowId);
		const page = await this.publicApi('GET', `/executions?${query}`);
		return page.data.map((execution) => Execution.fromApi(execution, this.version));
	}

	/**
	 * Waits until n8n answers for each production webhook `{path, method}`. 2.x activates
	 * published workflows in the background after `Editor is now accessible via:` (its
	 * publication service), so that line does not mean the webhooks are registered. A CORS
	 * preflight (OPTIONS with Origin) answers 404 until the webhook is registered and 204 after,
	 * and runs no workflow, so asking again is harmless.
	 */
	async waitForWebhooks(webhooks, { timeoutMs = 120_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (const { path: webhookPath, method } of webhooks) {
			for (;;) {
				const answer = await fetch(`${this.url}/webhook/${webhookPath.replace(/^\/+/, '')}`, {
					method: 'OPTIONS',
					headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
					signal: AbortSignal.timeout(10_000),
				}).catch(() => null);
				if (answer && answer.status < 300) break;
				if (Date.now() > deadline) {
					throw new Error(
						`n8n did not register the webhook ${method} ${webhookPath} within ${timeoutMs / 1000} s (last answer ${answer?.status}):\n${this.serverLog().slice(-3000)}`,
					);
				}
				await sleep(250);
			}
		}
	}

	/**
	 * POSTs to a production webhook of an active workflow. No retry on 404: startServer() returns
	 * once n8n has registered the published workflows' webhooks, so a 404 is a wrong path.
	 */
	async callWebhook(webhookPath, init = {}, { timeoutMs = 180_000 } = {}) {
		return await fetch(`${this.url}/webhook/${webhookPath.replace(/^\/+/, '')}`, {
			method: 'POST',
			...init,
			signal: AbortSignal.timeout(timeoutMs),
		});
	}
}

/**
 * The production webhooks a published workflow registers: n8n Webhook nodes at their path, the
 * LINK Trigger at `<webhookId>/link` (POST).
 */
function productionWebhooks(workflow) {
	return (workflow?.nodes ?? []).flatMap((node) => {
		if (node.disabled) return [];
		if (node.type === 'n8n-nodes-base.webhook')
			return [{ path: node.parameters.path, method: node.parameters.httpMethod ?? 'GET' }];
		if (node.type === `${PACKAGE_NAME}.linkTrigger`)
			return [{ path: `${node.webhookId}/link`, method: 'POST' }];
		return [];
	});
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

function run(command, args, options) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		child.stdout.on('data', (c) => out.push(c));
		child.stderr.on('data', (c) => err.push(c));
		child.once('error', reject);
		child.once('close', (code) =>
			resolve({
				code,
				stdout: Buffer.concat(out).toString(),
				stderr: Buffer.concat(err).toString(),
			}),
		);
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = {
	productionWebhooks,
	N8n,
	OWNER,
	ENCRYPTION_KEY,
	sleep,
	tail,
	killChildrenOnExit,
};
