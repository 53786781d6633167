'use strict';
/**
 * The example workflows of examples/ as a user gets them: every file imports into real n8n
 * (its pinned data kept), each manual-trigger path runs against the sandbox, and the records the
 * nodes give are the ones their pinned data shows. The LINK callbacks example runs from real
 * callbacks (a certificate and the three manual review outcomes) through `n8n start`.
 *
 * `n8n execute` runs in "cli" mode, which ignores pinned data (n8n uses pins in manual runs
 * only), so the pinned nodes really call the sandbox here.
 *
 * KYC_EXAMPLES_UPDATE_PINS=1 (with n8n 2.41.1 selected) writes the outputs of this run into the
 * examples' pinData instead of comparing: how the pinned data was made.
 */
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { e2eSuite } = require('./lib/harness');
const { imageBase64, sandboxCredentials } = require('./lib/fixtures');
const { sleep } = require('../../tools/n8n/n8n');
const toolchain = require('../../tools/n8n/toolchain');

const EXAMPLES_DIR = path.join(toolchain.REPO, 'examples');
const FILES = fs
	.readdirSync(EXAMPLES_DIR)
	.filter((f) => f.endsWith('.json'))
	.sort();
/** The addresses the example files use: a local n8n and `npm run dev`'s sandbox. */
const EXAMPLE_N8N_URL = 'http://127.0.0.1:5678';
const EXAMPLE_SANDBOX_URL = 'http://127.0.0.1:8790';
const UPDATE_PINS = process.env.KYC_EXAMPLES_UPDATE_PINS === '1';
const PIN_VERSION = '2.41.1';
/** The LINK Mobility Callback credential's secret in credentials.template.json. */
const CALLBACK_SECRET = 'e2e-callback-secret-0123456789';

/**
 * What changes from run to run or with the date, left out of the comparison: ids the vendor
 * makes up, file names and URLs made of them, and the age (it grows on each birthday).
 */
const VOLATILE = new Set([
	'transactionId',
	'requestId',
	'taskId',
	'fileName',
	'certificateUrl',
	'portraitUrl',
	'age',
]);

function withoutVolatile(value) {
	if (Array.isArray(value)) return value.map(withoutVolatile);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value)
			.filter(([key]) => !VOLATILE.has(key))
			.map(([key, v]) => [key, withoutVolatile(v)]),
	);
}

const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
const hasManualTrigger = (workflow) =>
	workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger');

/** The example as `npm run dev` imports it: this n8n's address; LINK Trigger open to the local sandbox. */
function importCopy(file, n8nUrl) {
	const workflow = JSON.parse(
		fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8').split(EXAMPLE_N8N_URL).join(n8nUrl),
	);
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-kyc.linkTrigger') node.parameters.allowedIps = '127.0.0.1, ::1';
	}
	return workflow;
}

/** The credentials the examples name (by id), with the data of the template's credential of that type. */
function exampleCredentials(vars) {
	const template = sandboxCredentials(vars);
	const wanted = new Map();
	for (const file of FILES) {
		for (const node of readExample(file).nodes) {
			for (const [type, { id, name }] of Object.entries(node.credentials ?? {}))
				wanted.set(id, { id, name, type });
		}
	}
	return [...wanted.values()].map((credential) => {
		const like = template.find((c) => c.type === credential.type);
		if (!like) throw new Error(`credentials.template.json has no ${credential.type} credential`);
		return { ...credential, data: like.data };
	});
}

/** Items as pinned data holds them: the JSON only (n8n pins no binary data), the sandbox at dev's address. */
function asPinned(items, sandboxUrl) {
	return JSON.parse(
		JSON.stringify(items.map((item) => ({ json: item.json })))
			.split(sandboxUrl)
			.join(EXAMPLE_SANDBOX_URL),
	);
}

/** Writes pinned data into an example file (KYC_EXAMPLES_UPDATE_PINS=1). */
function writePins(file, pins) {
	const workflow = readExample(file);
	workflow.pinData = { ...workflow.pinData, ...pins };
	fs.writeFileSync(path.join(EXAMPLES_DIR, file), `${JSON.stringify(workflow, null, '\t')}\n`);
}

function assertLikePinned(actualItems, pinnedItems, sandboxUrl, label) {
	assert.ok(pinnedItems?.length, `${label}: the example has no pinned data`);
	assert.deepEqual(
		withoutVolatile(asPinned(actualItems, sandboxUrl).map((i) => i.json)),
		withoutVolatile(pinnedItems.map((i) => i.json)),
		`${label}: the run's records differ from the pinned data (rewrite it with KYC_EXAMPLES_UPDATE_PINS=1)`,
	);
}

e2eSuite(
	'examples',
	{ workflows: ['link-verify-hook'], sandbox: { callbackDelayMs: 300 } },
	(env) => {
		const updating = () => UPDATE_PINS && env.version === PIN_VERSION;
		let imported;
		before(
			async () => {
				await env.n8n.importCredentials(exampleCredentials(env.vars));
				imported = FILES.map((file) => ({ file, workflow: importCopy(file, env.n8n.url) }));
				await env.n8n.importWorkflows(imported.map((i) => i.workflow));
				for (const { file, workflow } of imported) env.workflows[file] = workflow;
			},
			{ timeout: 120_000 },
		);

		describe('examples import', () => {
			it('every examples/*.json imports, with its nodes and its pinned data', async () => {
				const exported = path.join(env.n8n.userFolder, 'examples-export.json');
				await env.n8n.cliOk(['export:workflow', '--all', `--output=${exported}`]);
				const stored = new Map(JSON.parse(fs.readFileSync(exported, 'utf8')).map((w) => [w.id, w]));
				for (const { file, workflow } of imported) {
					const found = stored.get(workflow.id);
					assert.ok(found, `${file} (${workflow.id}) is not in n8n after the import`);
					assert.deepEqual(
						found.nodes.map((n) => n.name).sort(),
						workflow.nodes.map((n) => n.name).sort(),
						file,
					);
					assert.deepEqual(
						found.pinData ?? {},
						workflow.pinData ?? {},
						`${file}: pinned data changed on import`,
					);
					if (!updating())
						assert.ok(Object.keys(workflow.pinData ?? {}).length, `${file} has no pinned data`);
				}
			});
		});

		describe('examples manual runs', () => {
			for (const file of FILES.filter((f) => hasManualTrigger(readExample(f)))) {
				it(`${file}: the manual trigger runs against the sandbox and gives the pinned records`, async () => {
					const execution = await env.execute(file);
					assert.ok(execution.ok, `${file} failed:\n${execution.describe()}`);
					const pinned = env.workflows[file].pinData ?? {};
					const pinnedNodes = updating()
						? Object.keys(pinned)
						: Object.keys(pinned).filter((name) => execution.nodeRuns(name).length);
					if (updating()) {
						const names = pinnedNodes.length ? pinnedNodes : pinnableNodes(env.workflows[file]);
						writePins(
							file,
							Object.fromEntries(
								names.map((name) => [name, asPinned(execution.items(name), env.sandbox.url)]),
							),
						);
						return;
					}
					assert.ok(pinnedNodes.length, `${file}: no pinned node ran`);
					for (const name of pinnedNodes)
						assertLikePinned(
							execution.items(name),
							pinned[name],
							env.sandbox.url,
							`${file}, node "${name}"`,
						);
					checkManualRun(file, execution);
				});
			}
		});

		describe('examples link callbacks', () => {
			const FILE = 'link-callbacks.json';
			/** The callbacks whose trigger output the example pins, in its order, and the decision each leads to. */
			const CALLBACKS = [
				{ marker: 'PERSON=1', certify: true, manual: false, outputNode: 'Verification Outcome' },
				{ marker: 'PERSON=2;MANUAL=APPROVED', manual: true, outputNode: 'Identity Approved' },
				{ marker: 'PERSON=3;MANUAL=NOT_APPROVED', manual: true, outputNode: 'Identity Rejected' },
				{ marker: 'PERSON=1;MANUAL=REJECTED', manual: true, outputNode: 'Review Ticket' },
			];
			const runs = env.once('callbacks', async () => {
				await env.startServer({ publish: [FILE, 'link-verify-hook'] });
				const triggerUrl = `${env.webhookUrl(FILE, 'LINK Callback', 'link')}?token=${CALLBACK_SECRET}`;
				const found = [];
				for (const [index, callback] of CALLBACKS.entries()) {
					const requestId = `kyc-example-callback-${index + 1}`;
					const answer = await env.n8n.callWebhook('e2e-link-verify', {
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({
							front: imageBase64('JPEG', callback.marker),
							requestId,
							certify: callback.certify ?? false,
							manual: callback.manual,
							callback: triggerUrl,
						}),
					});
					assert.equal(
						answer.status,
						200,
						`the verification webhook answered ${answer.status}: ${await answer.text()}`,
					);
					found.push(await triggerRun(env.workflowId(FILE), requestId));
				}
				return found;
			});

			/** The successful run of the example about `requestId` (polls the public API). */
			async function triggerRun(workflowId, requestId) {
				const deadline = Date.now() + 30_000;
				for (;;) {
					const executions = await env.n8n.executions(workflowId);
					const run = executions.find(
						(e) =>
							e.status === 'success' &&
							e.items('LINK Callback', 0).some((i) => i.json.transactionId === requestId),
					);
					if (run) return run;
					const failed = executions.find((e) => e.status === 'error');
					assert.ok(!failed, `a run of ${FILE} failed: ${failed?.describe()}`);
					assert.ok(
						Date.now() < deadline,
						`no run of ${FILE} for ${requestId} within 30 s:\n${env.n8n.serverLog().slice(-3000)}`,
					);
					await sleep(500);
				}
			}

			it(`${FILE}: a certificate and the three manual review outcomes give the pinned trigger records`, async () => {
				const executions = await runs();
				const items = executions.map((execution) => execution.items('LINK Callback', 0)[0]);
				if (updating()) {
					writePins(FILE, { 'LINK Callback': asPinned(items, env.sandbox.url) });
					return;
				}
				assertLikePinned(
					items,
					env.workflows[FILE].pinData?.['LINK Callback'],
					env.sandbox.url,
					`${FILE}, node "LINK Callback"`,
				);
				assert.equal(
					items[0].binary?.certificate?.mimeType,
					'application/pdf',
					'the certificate callback carries the PDF',
				);
			});

			it(`${FILE}: each callback ends in its branch (outcome, approved, rejected, review)`, async () => {
				const executions = await runs();
				executions.forEach((execution, index) => {
					const { outputNode } = CALLBACKS[index];
					assert.equal(
						execution.items(outputNode, 0).length,
						1,
						`callback ${index + 1} (${CALLBACKS[index].marker}) did not reach "${outputNode}"`,
					);
				});
			});
		});
	},
);

/** The nodes of this package in a manual path: what gets pinned on the first update. */
function pinnableNodes(workflow) {
	const fromManual = new Set();
	const next = (name) => (workflow.connections[name]?.main ?? []).flat().map((c) => c.node);
	const queue = workflow.nodes
		.filter((n) => n.type === 'n8n-nodes-base.manualTrigger')
		.map((n) => n.name);
	while (queue.length) {
		const name = queue.shift();
		if (fromManual.has(name)) continue;
		fromManual.add(name);
		queue.push(...next(name));
	}
	return workflow.nodes
		.filter(
			(n) =>
				fromManual.has(n.name) &&
				n.type.startsWith('n8n-nodes-kyc.') &&
				n.type !== 'n8n-nodes-kyc.kycDecision',
		)
		.map((n) => n.name);
}

/** What the last nodes of each manual example give a user, beyond the pinned records. */
function checkManualRun(file, execution) {
	if (file === 'apptenticate-id-onboarding.json') {
		const [record] = execution.json('CRM Record');
		assert.equal(record?.kycStatus, 'verified', `onboarding: ${JSON.stringify(record)}`);
		assert.equal(record.idNumber, 'E-8-123456');
	}
	if (file === 'link-verify-with-certificate.json') {
		const [item] = execution.items('Get Certificate');
		assert.equal(item.binary?.certificate?.mimeType, 'application/pdf', 'the certificate PDF');
		assert.equal(
			item.json.documentNumber,
			execution.json('Verify Sample Document')[0].documentNumber,
			"the person's record is kept with the PDF",
		);
	}
	if (file === 'progeny-passport-batch.json') {
		assert.equal(execution.json('Passport Record').length, 3, 'one record per sample passport');
	}
}
