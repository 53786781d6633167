#!/usr/bin/env node
'use strict';
/**
 * `npm run dev`: a local n8n with this package installed, wired to the vendor sandbox.
 *
 *   npm run dev                 build, pack, install into a persistent n8n, start n8n + sandbox
 *   npm run dev -- --check      the same, then run the onboarding example and the LINK examples
 *                               (verify with certificate -> callback -> LINK Trigger) through the
 *                               running server, check the results, and stop (exit 0 when they work)
 *
 * Environment (all optional):
 *   KYC_DEV_PORT       n8n's port (5678)
 *   KYC_SANDBOX_PORT   the sandbox's port (8790; another free port when 8790 is taken)
 *   KYC_DEV_HOME       the n8n user folder (default: in the cache, linked from .dev/n8n)
 *   KYC_DEV_N8N        the n8n version (2.41.1)
 *
 * Persistent state: the n8n user folder (database, credentials, workflows) survives restarts.
 * Credentials are (re)written only while they still point at the local sandbox, so credentials
 * changed to real vendor accounts are kept. Examples are imported when missing or when their
 * file in examples/ changed since the last import.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const toolchain = require('./n8n/toolchain');
const { N8n, OWNER, sleep, productionWebhooks } = require('./n8n/n8n');
const { freePort, portInUse } = require('./n8n/ports');
const { makeJpeg } = require('../test/fixtures/images');
const { startSandbox } = require('../test/sandbox/server');

const REPO = toolchain.REPO;
const DEV_DIR = path.join(REPO, '.dev');
const EXAMPLES_DIR = path.join(REPO, 'examples');
const VERSION = process.env.KYC_DEV_N8N || '2.41.1';
const ENCRYPTION_KEY = 'n8n-nodes-kyc-dev-encryption-key';
/** The address the example files use; replaced by the real one on import. */
const EXAMPLE_N8N_URL = 'http://127.0.0.1:5678';
const LINK_TRIGGER_WEBHOOK = 'kyc-link-callbacks';
/** The LINK Mobility Callback credential's secret in this local set-up (the sandbox sends it). */
const LINK_CALLBACK_SECRET = 'kyc-dev-callback-secret-0001';

/**
 * The user folder lives outside the repository: a package loaded from inside it would resolve
 * `n8n-workflow` and `zod` from the repository's node_modules instead of n8n's own, unlike a
 * real install. `.dev/n8n` links to it.
 */
function devHome() {
	if (process.env.KYC_DEV_HOME) return path.resolve(process.env.KYC_DEV_HOME);
	const id = crypto.createHash('sha1').update(REPO).digest('hex').slice(0, 8);
	return path.join(toolchain.CACHE, 'dev', `${path.basename(REPO)}-${id}`);
}

const step = (text) => process.stdout.write(`[dev] ${text}\n`);

function sandboxCredentials(sandboxUrl) {
	return [
		{
			id: 'kycDevAppt000001',
			name: 'Apptenticate (sandbox)',
			type: 'apptenticateApi',
			data: {
				baseUrl: `${sandboxUrl}/apptenticate`,
				username: 'sandbox',
				password: 'sandbox',
				accessToken: '',
			},
		},
		{
			id: 'kycDevLink000001',
			name: 'LINK Mobility (sandbox)',
			type: 'linkMobilityKycApi',
			data: {
				environment: 'custom',
				baseUrl: `${sandboxUrl}/link`,
				user: 'sandbox',
				password: 'sandbox',
				accessToken: '',
			},
		},
		{
			id: 'kycDevLinkCb0001',
			name: 'LINK Mobility callback secret (sandbox)',
			type: 'linkMobilityCallbackApi',
			data: { secretToken: LINK_CALLBACK_SECRET },
		},
		{
			id: 'kycDevProgeny001',
			name: 'Progeny (sandbox)',
			type: 'progenyApi',
			data: {
				baseUrl: `${sandboxUrl}/progeny/api/v3`,
				username: 'sandbox',
				password: 'sandbox',
				accessToken: '',
			},
		},
	];
}

/** A URL of a local sandbox (any port): such credentials may be rewritten, others are the user's. */
const isLocalSandbox = (url) =>
	/^http:\/\/(127\.0\.0\.1|localhost):\d+\/(apptenticate|link|progeny)\b/.test(String(url ?? ''));

/** `n8n export:<what> --all` into a private temp file; [] when there is nothing to export. */
async function exportAll(n8n, what, extra = []) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-dev-export-'));
	const file = path.join(dir, 'export.json');
	try {
		const result = await n8n.cli([`export:${what}`, '--all', ...extra, `--output=${file}`]);
		if (!fs.existsSync(file)) {
			if (/No (credentials|workflows) found/i.test(result.stdout + result.stderr)) return [];
			throw new Error(`n8n export:${what} failed (log: ${result.logFile})`);
		}
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true }); // decrypted credentials
	}
}

async function syncCredentials(n8n, sandboxUrl) {
	const existing = new Map(
		(await exportAll(n8n, 'credentials', ['--decrypted'])).map((c) => [c.id, c]),
	);
	const wanted = sandboxCredentials(sandboxUrl).filter((credential) => {
		const current = existing.get(credential.id);
		if (!current) return true;
		if (!('baseUrl' in credential.data)) return false; // nothing in it depends on the sandbox
		const url = current.data?.baseUrl;
		if (!isLocalSandbox(url)) {
			step(`credential "${current.name}" points at ${url || 'its vendor'}: left as it is`);
			return false;
		}
		return url !== credential.data.baseUrl; // the sandbox runs on another port than last time
	});
	if (wanted.length) {
		await n8n.importCredentials(wanted);
		step(`credentials for the sandbox: ${wanted.map((c) => c.name).join(', ')}`);
	}
}

/** Trigger or webhook workflows need publishing after an import (import unpublishes). */
const needsActivation = (workflow) =>
	workflow.nodes.some(
		(n) => /webhook|Trigger$/i.test(n.type) && n.type !== 'n8n-nodes-base.manualTrigger',
	);

/** The example as imported here: addresses of this n8n; LINK Trigger open to the local sandbox. */
function devCopy(text, n8nUrl) {
	const workflow = JSON.parse(text.split(EXAMPLE_N8N_URL).join(n8nUrl));
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-kyc.linkTrigger') node.parameters.allowedIps = '127.0.0.1, ::1';
	}
	return workflow;
}

async function syncExamples(n8n, state) {
	const existing = new Set((await exportAll(n8n, 'workflow')).map((w) => w.id));
	const files = fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
	const imported = [];
	state.examples ??= {};
	for (const file of files) {
		const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
		const hash = crypto.createHash('sha256').update(text).update(n8n.url).digest('hex');
		const workflow = devCopy(text, n8n.url);
		if (existing.has(workflow.id) && state.examples[file] === hash) continue;
		imported.push({ file, hash, workflow });
	}
	if (!imported.length) return;
	await n8n.importWorkflows(imported.map((i) => i.workflow));
	for (const { file, hash, workflow } of imported) {
		if (needsActivation(workflow)) await n8n.publish(workflow.id);
		state.examples[file] = hash;
	}
	step(`imported examples: ${imported.map((i) => i.file).join(', ')}`);
}

/**
 * LINK example: verify with a certificate; the sandbox then calls the example LINK Trigger,
 * whose workflow must run successfully.
 */
async function checkLink(n8n, sandbox) {
	const form = new FormData();
	form.append('front', new Blob([makeJpeg('PERSON=2')], { type: 'image/jpeg' }), 'front.jpg');
	form.append('country', 'ES');
	const answer = await n8n.callWebhook('kyc/link-verify', { body: form });
	const text = await answer.text();
	if (answer.status !== 200)
		throw new Error(`the LINK verification webhook answered ${answer.status}: ${text}`);
	const requestId = JSON.parse(text).transactionId;
	await n8n.rest('POST', '/rest/login', {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	const deadline = Date.now() + 30_000;
	for (;;) {
		const callback = sandbox.callbacks.find((c) => c.id === requestId);
		const page = await n8n.rest(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'kycExLinkCallbk1' }))}`,
		);
		const runs = (page.results ?? page).filter(
			(e) => e.status === 'success' && Date.parse(e.startedAt) >= (callback?.t ?? Infinity) - 1000,
		);
		if (callback?.status === 200 && runs.length) return requestId;
		if (callback && callback.status !== 200)
			throw new Error(
				`the LINK Trigger answered the certificate callback with ${callback.status ?? callback.error}`,
			);
		if (Date.now() > deadline)
			throw new Error(`no successful run of the LINK callbacks example for ${requestId}`);
		await sleep(500);
	}
}

/** Runs the onboarding example through the running server and checks the CRM record. */
async function check(n8n) {
	const form = new FormData();
	// the sample images shipped in examples/images (what the banner's curl sends)
	for (const name of ['front', 'back', 'selfie']) {
		const image = fs.readFileSync(path.join(EXAMPLES_DIR, 'images', `${name}.jpg`));
		form.append(name, new Blob([image], { type: 'image/jpeg' }), `${name}.jpg`);
	}
	const answer = await n8n.callWebhook('kyc/id-check', { body: form });
	const text = await answer.text();
	if (answer.status !== 200)
		throw new Error(`the onboarding webhook answered ${answer.status}: ${text}`);
	const record = JSON.parse(text);
	const expected = {
		firstName: 'Sofia Maria',
		lastName: 'Lopez Contreras',
		idNumber: 'E-8-123456',
		birthDate: '1994-10-10',
		idExpires: '2032-08-12',
		idSidesMatch: true,
		selfieMatches: true,
		kycStatus: 'verified',
	};
	const wrong = Object.entries(expected).filter(([key, value]) => record[key] !== value);
	if (
		wrong.length ||
		!Array.isArray(record.apptenticateTransactions) ||
		record.apptenticateTransactions.length !== 2
	) {
		throw new Error(
			`unexpected CRM record: ${JSON.stringify(record)} (expected ${JSON.stringify(expected)})`,
		);
	}
	return record;
}

/**
 * What SIGINT/SIGTERM do at this moment. Handled for the whole run (not once): a terminal's Ctrl-C
 * reaches this process twice, from the terminal and forwarded by npm. Before n8n and the sandbox
 * exist there is nothing to stop.
 */
let onInterrupt = (signal) => process.exit(signal === 'SIGINT' ? 130 : 143);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => onInterrupt(signal));

async function main() {
	const args = process.argv.slice(2);
	const checkMode = args.includes('--check') || process.env.KYC_DEV_CHECK === '1';
	const unknown = args.filter((a) => a !== '--check');
	if (unknown.length) throw new Error(`unknown argument ${unknown[0]} (use --check or nothing)`);
	const started = Date.now();
	fs.mkdirSync(DEV_DIR, { recursive: true });

	// dev.sh has run the installer already and passes the Node home on
	const nodeHome = process.env.KYC_DEV_NODE_HOME || toolchain.ensureN8n([VERSION]);
	step('building and packing the package');
	const tgz = toolchain.buildAndPack(path.join(DEV_DIR, 'pack'), { nodeHome, quiet: true });

	const port = Number(process.env.KYC_DEV_PORT || 5678);
	if (await portInUse(port))
		throw new Error(`port ${port} is taken (another n8n?): stop it, or set KYC_DEV_PORT`);
	let sandboxPort = Number(process.env.KYC_SANDBOX_PORT || 8790);
	if (await portInUse(sandboxPort)) {
		if (process.env.KYC_SANDBOX_PORT)
			throw new Error(`port ${sandboxPort} (KYC_SANDBOX_PORT) is taken`);
		sandboxPort = await freePort();
	}

	const home = devHome();
	fs.mkdirSync(home, { recursive: true });
	const link = path.join(DEV_DIR, 'n8n');
	if (!process.env.KYC_DEV_HOME) {
		if (isSymlink(link)) {
			if (fs.readlinkSync(link) !== home) {
				fs.rmSync(link, { force: true });
				fs.symlinkSync(home, link);
			}
		} else if (fs.existsSync(link)) {
			step(`${link} is not a link to ${home}: left as it is`);
		} else {
			fs.symlinkSync(home, link);
		}
	}
	const stateFile = path.join(home, 'kyc-dev-state.json');
	const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};

	const n8n = await new N8n({
		version: VERSION,
		nodeHome,
		userFolder: home,
		port,
		encryptionKey: ENCRYPTION_KEY,
	}).init();
	const sandbox = await startSandbox({
		port: sandboxPort,
		host: '127.0.0.1',
		quiet: true,
		// the LINK account's default callback: the example LINK Trigger of this n8n
		linkDefaultCallbackUrl: `${n8n.url}/webhook/${LINK_TRIGGER_WEBHOOK}/link?token=${LINK_CALLBACK_SECRET}`,
	});
	let stopping = null;
	const stop = async () => {
		stopping ??= (async () => {
			await n8n.stop();
			await sandbox.close();
		})();
		return stopping;
	};
	onInterrupt = async (signal) => {
		if (!stopping) step(`${signal}: stopping n8n and the sandbox`);
		await stop();
		process.exit(signal === 'SIGINT' ? 130 : 143);
	};

	try {
		step(`vendor sandbox on ${sandbox.url}`);
		step(`installing ${path.basename(tgz)} into ${home}`);
		await n8n.installPackage(tgz);
		await syncCredentials(n8n, sandbox.url);
		await syncExamples(n8n, state);
		fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);

		step(`starting n8n ${VERSION}`);
		await n8n.start({ timeoutMs: 180_000 });
		// 2.x registers the examples' webhooks in the background after it says it is ready
		const examples = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
		const published = examples
			.map((file) => devCopy(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'), n8n.url))
			.filter(needsActivation);
		await n8n.waitForWebhooks(published.flatMap(productionWebhooks));
		try {
			await n8n.setupOwner();
			step('owner account created');
		} catch (error) {
			if (!/already setup|400/i.test(error.message)) throw error;
		}
	} catch (error) {
		await stop();
		throw error;
	}

	process.stdout.write(
		[
			'',
			`  n8n ${VERSION} is running at ${n8n.url}  (ready in ${((Date.now() - started) / 1000).toFixed(0)} s)`,
			`  login: ${OWNER.email} / ${OWNER.password}`,
			`  vendor sandbox: ${sandbox.url}  (account sandbox / sandbox; GET ${sandbox.url}/__sandbox/log shows the requests)`,
			`  try:  curl -F front=@examples/images/front.jpg -F back=@examples/images/back.jpg -F selfie=@examples/images/selfie.jpg ${n8n.url}/webhook/kyc/id-check`,
			`  n8n user folder: ${home}${process.env.KYC_DEV_HOME ? '' : ' (linked from .dev/n8n)'}, logs in its logs/`,
			checkMode ? '' : '  Ctrl-C stops n8n and the sandbox.',
			'',
		].join('\n'),
	);

	if (checkMode) {
		try {
			const record = await check(n8n);
			step(`onboarding example answered ${JSON.stringify(record)}`);
			const requestId = await checkLink(n8n, sandbox);
			step(
				`LINK example: verification ${requestId} certified, its callback ran the LINK callbacks example`,
			);
			step('check passed');
		} finally {
			await stop();
		}
		return 0;
	}

	return await new Promise((resolve) => {
		onInterrupt = async (signal) => {
			if (!stopping) step(`${signal}: stopping n8n and the sandbox`);
			await stop();
			resolve(0);
		};
		n8n.server.exited.then(async (how) => {
			if (stopping) return;
			step(`n8n exited by itself (${JSON.stringify(how)}); see ${n8n.logDir}`);
			await stop();
			resolve(1);
		});
	});
}

function isSymlink(file) {
	try {
		return fs.lstatSync(file).isSymbolicLink();
	} catch {
		return false;
	}
}

main().then(
	(code) => process.exit(code),
	async (error) => {
		process.stderr.write(`[dev] ${error.message}\n`);
		await sleep(10);
		process.exit(1);
	},
);
