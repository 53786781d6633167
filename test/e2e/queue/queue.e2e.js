'use strict';
/**
 * The package in n8n 2.41.1's queue mode: main + 2 workers + 1 webhook processor on Redis and
 * PostgreSQL (the suite's own processes), the package installed as a community package in each
 * process's user folder, against the vendor sandbox (in this process). It proves:
 *   - webhook-started OCR executions run on the workers, and what the token stored with the
 *     credential costs across workers on a cold and a warm burst;
 *   - 100 LINK callbacks at once at the webhook processor start exactly 100 executions, each
 *     with its PDF, under the settings README "Queue mode" prescribes;
 *   - Progeny polling on a worker: what a stop from main does, and that the workflow time-out
 *     (the workaround) ends the polling at once.
 * Run: `node test/e2e/queue/run.js` (README "Queue mode").
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { prepareTemplate } = require('../lib/harness');
const { loadWorkflow, fill, imageBase64 } = require('../lib/fixtures');
const { startSandbox } = require('../../sandbox/server');
const { ensureServices, startRedis, startPostgres, sleep } = require('./services');
const { QueueCluster } = require('./cluster');
const toolchain = require('../../../tools/n8n/toolchain');

const VERSION = '2.41.1';
/**
 * The n8n settings a deployment with many LINK callbacks needs (README "Queue mode"): n8n
 * 2.41.1's default expression engine ("vm") makes every webhook request of a trigger other
 * than n8n's own Webhook node wait for an isolate from a pool of one; "legacy" has no pool.
 */
const DEPLOYMENT_SETTINGS = { N8N_EXPRESSION_ENGINE: 'legacy' };
/** n8n 2.41.1's default for the same, at a second webhook processor, for comparison. */
const N8N_DEFAULTS = { N8N_EXPRESSION_ENGINE: 'vm' };
const settingsText = (settings) =>
	Object.entries(settings)
		.map(([k, v]) => `${k}=${v}`)
		.join(' ');
const SECRET = 'e2e-secret';
const PASSPORT_NUMBERS = ['123456789', '546789123', 'PA0912345']; // PERSON=1..3 (Apptenticate)
const CALLBACKS = 100;
const POLL_INTERVAL_MS = 500;

const workflowFile = (name) => path.join(__dirname, 'workflows', `${name}.json`);
const figures = [];
const figure = (text) => figures.push(text);

describe(`n8n ${VERSION} queue mode`, () => {
	const s = {}; // the suite's state: services, sandbox, cluster, workflows
	const started = Date.now();

	before(
		async () => {
			const t0 = Date.now();
			const pgBin = ensureServices();
			const templateFolder = await prepareTemplate(VERSION);
			s.workDir = path.dirname(templateFolder);
			s.logDir = fs.mkdtempSync(path.join(s.workDir, 'queue-services-'));
			[s.redis, s.postgres] = await Promise.all([
				startRedis({ dir: path.join(s.logDir, 'redis'), logDir: s.logDir }),
				startPostgres({ binDir: pgBin, logDir: s.logDir }),
			]);
			s.sandbox = await startSandbox({
				port: 0,
				quiet: true,
				taskPendingMs: 1500,
				callbackDelayMs: 2000,
			});
			const vars = { SANDBOX_URL: s.sandbox.url };
			s.workflows = Object.fromEntries(
				['queue-ocr-hook', 'queue-link-trigger', 'queue-progeny-hook', 'queue-progeny-timeout'].map(
					(name) => [name, loadWorkflow(workflowFile(name), vars)],
				),
			);
			s.cluster = new QueueCluster({
				version: VERSION,
				nodeHome: toolchain.cachedNodeHome() ?? toolchain.ensureN8n([VERSION]),
				workDir: s.workDir,
				templateFolder,
				redis: s.redis,
				postgres: s.postgres,
				env: DEPLOYMENT_SETTINGS,
			});
			await s.cluster.prepare({
				credentials: JSON.parse(
					fill(fs.readFileSync(path.join(__dirname, 'credentials.json'), 'utf8'), vars),
				),
				workflows: Object.values(s.workflows),
				moreWebhooks: [{ name: 'webhook-defaults', env: N8N_DEFAULTS }],
			});
			await s.cluster.start({ activate: Object.values(s.workflows).map((w) => w.id) });
			figure(
				`set-up ${((Date.now() - t0) / 1000).toFixed(1)} s (n8n processes ready ${((s.cluster.startMs ?? 0) / 1000).toFixed(1)} s after main's start)`,
			);
		},
		{ timeout: 600_000 },
	);

	after(
		async () => {
			await s.cluster?.stop();
			await s.sandbox?.close();
			await Promise.all([s.redis?.stop(), s.postgres?.stop()]);
			figure(`suite ${((Date.now() - started) / 1000).toFixed(1)} s`);
			for (const line of figures) process.stdout.write(`FIGURE [n8n ${VERSION} queue] ${line}\n`);
		},
		{ timeout: 120_000 },
	);

	const id = (name) => s.workflows[name].id;
	const webhookUrl = (base, webhookPath) => `${base}/webhook/${webhookPath}`;
	const count = (key) => s.sandbox.counters()[key] ?? 0;

	/** POSTs JSON to a production webhook, retrying while n8n has not registered it (404). */
	async function post(url, body, { timeoutMs = 60_000 } = {}) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const answer = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(timeoutMs),
			});
			const text = await answer.text();
			if (answer.status !== 404 || Date.now() > deadline) return { status: answer.status, text };
			await sleep(300);
		}
	}

	/** Finished (or running) executions of a workflow through main's public API, with their data. */
	async function executions(workflowId, { status, limit = 250 } = {}) {
		const query = new URLSearchParams({ workflowId, includeData: 'true', limit: String(limit) });
		if (status) query.set('status', status);
		const page = await s.cluster.main.publicApi('GET', `/executions?${query}`);
		return page.data;
	}

	const items = (execution, node) =>
		execution.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];

	// ------------------------------------------------------------------ OCR and tokens

	describe('queue ocr', () => {
		/** n requests at once at the webhook processor, each a batch of `size` passports. */
		async function burst(n, size) {
			const bodies = Array.from({ length: n }, (_, r) => ({
				cases: Array.from({ length: size }, (_, c) => ({
					person: ((r + c) % 3) + 1,
					front: imageBase64('JPEG', `PERSON=${((r + c) % 3) + 1}`),
				})),
			}));
			const tokensBefore = count('apptenticate.token');
			const answers = await Promise.all(
				bodies.map((body) => post(webhookUrl(s.cluster.webhook.url, 'queue-ocr'), body)),
			);
			return { bodies, answers, tokens: count('apptenticate.token') - tokensBefore };
		}

		const run = (() => {
			let memo;
			return () =>
				(memo ??= (async () => {
					s.sandbox.setFault({
						kind: 'latency',
						path: '/apptenticate/api/v3/ocr/',
						ms: 300,
						times: 1000,
					}); // executions overlap
					try {
						const cold = await burst(20, 1);
						const warm = await burst(10, 3);
						const runs = await executions(id('queue-ocr-hook'));
						return { cold, warm, runs, workers: s.cluster.executionWorkers() };
					} finally {
						s.sandbox.clearFaults();
					}
				})());
		})();

		it('every webhook-started OCR execution answers with its passports, in order', async () => {
			const { cold, warm } = await run();
			for (const { bodies, answers } of [cold, warm]) {
				answers.forEach((answer, r) => {
					assert.equal(answer.status, 200, `request ${r}: ${answer.text.slice(0, 500)}`);
					const records = JSON.parse(answer.text);
					assert.deepEqual(
						records.map((record) => record.documentNumber),
						bodies[r].cases.map((c) => PASSPORT_NUMBERS[c.person - 1]),
						`request ${r}`,
					);
				});
			}
		});

		it('the executions ran on the workers: each on exactly one, both workers used, none on main or the webhook processor', async () => {
			const { runs, workers } = await run();
			assert.equal(runs.length, 30, 'one execution per request');
			assert.ok(
				runs.every((r) => r.status === 'success'),
				JSON.stringify(runs.map((r) => r.status)),
			);
			for (const r of runs)
				assert.equal(
					workers.get(String(r.id))?.length,
					1,
					`execution ${r.id} started on ${JSON.stringify(workers.get(String(r.id)))}`,
				);
			const perWorker = s.cluster.workers.map(
				(w) => runs.filter((r) => workers.get(String(r.id))?.[0] === w.name).length,
			);
			figure(`OCR: 30 webhook-started executions ran on the workers ${perWorker.join(' + ')}`);
			assert.ok(
				perWorker.every((n) => n > 0),
				`executions per worker: ${perWorker.join(', ')}`,
			);
		});

		it('tokens across workers: a cold burst logs in at most once per worker process; a warm burst uses the stored token (0 logins)', async () => {
			const { cold, warm } = await run();
			figure(
				`Apptenticate logins: cold burst (20 executions at once, 2 workers, no stored token) ${cold.tokens}; warm burst (10 executions x 3 items) ${warm.tokens}`,
			);
			assert.ok(
				cold.tokens >= 1 && cold.tokens <= 2,
				`cold burst: ${cold.tokens} logins for 20 executions on 2 workers (at most one per process)`,
			);
			assert.equal(
				warm.tokens,
				0,
				'the token n8n stored with the credential in PostgreSQL is shared by the workers',
			);
		});
	});

	// ------------------------------------------------------------------ LINK callbacks

	/**
	 * 100 LINK verifications with certify=true at the sandbox at once: after its callback delay
	 * LINK (the sandbox) posts the 100 Certification callbacks together at `processor`'s trigger
	 * URL, each with LINK's 5 s time-out. Returns the callbacks and the executions they started.
	 */
	async function linkBurst(processor, prefix, { attempts = 1 } = {}) {
		s.sandbox.configure({ callbackAttempts: attempts });
		const ids = Array.from(
			{ length: CALLBACKS },
			(_, i) => `${prefix}-${String(i).padStart(3, '0')}`,
		);
		const callbackUrl = `${webhookUrl(processor.url, 'e2e-queue-link/link')}?token=${SECRET}`;
		// the trigger's webhook is registered once a request to it no longer answers 404
		const probe = await post(callbackUrl.replace(SECRET, 'wrong'), {
			id: 'probe',
			service: 'Certification',
			status: 'Completed',
		});
		assert.equal(
			probe.status,
			403,
			`the trigger refuses a wrong secret: ${probe.status} ${probe.text}`,
		);
		const login = await fetch(`${s.sandbox.url}/link/auth/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ user: 'sandbox', password: 'sandbox' }),
		});
		const { token } = await login.json();
		const before = {
			certificates: count('link.certificate'),
			callbacks: s.sandbox.callbacks.length,
		};
		const front = imageBase64('JPEG', 'PERSON=1');
		const verified = await Promise.all(
			ids.map((requestId) =>
				fetch(`${s.sandbox.url}/link/identity/verify`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
					body: JSON.stringify({
						id: requestId,
						images: [{ content: front }],
						expeditorCountry: 'ES',
						certify: true,
						certifyCallback: callbackUrl,
					}),
				}).then((r) => r.status),
			),
		);
		assert.deepEqual([...new Set(verified)], [200]);
		const sentAt = Date.now() + 2000;
		const mine = () =>
			s.sandbox.callbacks.slice(before.callbacks).filter((c) => ids.includes(c.id));
		const deadline = Date.now() + 30_000;
		while (mine().length < CALLBACKS && Date.now() < deadline) await sleep(200);
		const callbacks = mine();
		// then the executions: all 100 and none running, or nothing new for 15 s (callbacks lost)
		const ofBurst = (runs) =>
			runs.filter((r) =>
				String(items(r, 'LINK Trigger')[0]?.json?.transactionId ?? '').startsWith(`${prefix}-`),
			);
		let runs = [];
		let seen = -1;
		let changedAt = Date.now();
		const runDeadline = Date.now() + 120_000;
		for (;;) {
			const all = await executions(id('queue-link-trigger'));
			runs = ofBurst(all);
			const progress = runs.length + count('link.certificate');
			if (progress !== seen) [seen, changedAt] = [progress, Date.now()];
			const running = all.some((r) => !r.stoppedAt);
			const quietMs = Date.now() - changedAt;
			if (!running && ((runs.length >= CALLBACKS && quietMs > 3000) || quietMs > 15_000)) break;
			if (Date.now() > runDeadline) break;
			await sleep(1000);
		}
		const lastAt = Math.max(...runs.map((r) => Date.parse(r.stoppedAt ?? 0)));
		return {
			ids,
			callbacks,
			runs,
			sentAt,
			lastAt,
			certificates: count('link.certificate') - before.certificates,
			workers: s.cluster.executionWorkers(),
		};
	}

	const answerTimes = (callbacks) => {
		const durations = callbacks
			.filter((c) => (c.firstAttempt ?? c).status === 200)
			.map((c) => (c.firstAttempt ?? c).durationMs)
			.sort((a, b) => a - b);
		return durations.length
			? `answer time median ${durations[durations.length >> 1]} ms, max ${durations[durations.length - 1]} ms`
			: 'none answered';
	};

	describe('queue link trigger', () => {
		const run = (() => {
			let memo;
			return () => (memo ??= linkBurst(s.cluster.webhook, 'q-burst', { attempts: 4 }));
		})();

		it('100 callbacks at once: each delivered (answered 200 within 5 s, at the first attempt or when LINK tries again)', async () => {
			const { callbacks } = await run();
			const first = callbacks.filter((c) => c.firstAttempt?.status === 200).length;
			const again = callbacks.filter((c) => c.attempts > 1);
			figure(
				`LINK burst (${settingsText(DEPLOYMENT_SETTINGS)}): ${first}/${CALLBACKS} callbacks answered 200 within 5 s at the first attempt; ${again.length} sent again by LINK; ${callbacks.filter((c) => c.status === 200).length}/${CALLBACKS} delivered in the end; ${answerTimes(callbacks)}`,
			);
			assert.equal(callbacks.length, CALLBACKS, 'the sandbox sent every callback');
			const failed = callbacks.filter((c) => c.status !== 200);
			assert.deepEqual(
				failed.map((c) => `${c.id}: ${c.status ?? c.error} after ${c.attempts} attempts`),
				[],
				'callbacks never answered 200',
			);
		});

		it('exactly 100 executions, one per callback (none lost, none duplicated), each with its certificate PDF', async () => {
			const { ids, runs, certificates, sentAt, lastAt, workers } = await run();
			const byId = new Map();
			for (const r of runs) {
				const [item] = items(r, 'LINK Trigger');
				const requestId = item?.json?.transactionId;
				byId.set(requestId, [...(byId.get(requestId) ?? []), { r, item }]);
			}
			figure(
				`LINK burst: ${runs.length} executions for ${CALLBACKS} callbacks, ${certificates} certificate downloads, last execution finished ${((lastAt - sentAt) / 1000).toFixed(1)} s after the callbacks were sent; ${runs.filter((r) => workers.has(String(r.id))).length} ran on the workers`,
			);
			assert.deepEqual([...byId.keys()].sort(), ids, 'one execution per request id');
			const duplicated = [...byId]
				.filter(([, list]) => list.length > 1)
				.map(([requestId, list]) => `${requestId} x${list.length}`);
			assert.deepEqual(duplicated, [], 'duplicated executions');
			assert.equal(runs.length, CALLBACKS);
			for (const [requestId, [{ r, item }]] of byId) {
				assert.equal(r.status, 'success', `${requestId}: execution ${r.id} ${r.status}`);
				assert.equal(
					item.json.vendorDetails.certificateDownloaded,
					true,
					`${requestId}: ${JSON.stringify(item.json.vendorDetails)}`,
				);
				assert.equal(
					item.binary?.certificate?.mimeType,
					'application/pdf',
					`${requestId}: the PDF is attached`,
				);
				assert.equal(item.binary.certificate.fileName, `${requestId}.pdf`);
			}
			assert.equal(certificates, CALLBACKS, 'one certificate download per callback');
		});
	});

	// ------------------------------------------------------------------ Progeny polling and stopping

	describe('queue progeny', () => {
		const progenyWorkers = [];

		/** Upload and polls of one task, from the sandbox log (after `mark`). */
		function task(mark) {
			const requests = s.sandbox.requests.slice(mark).filter((r) => r.vendor === 'progeny');
			const upload = requests.find((r) => r.route === 'ocrPassport' && r.status === 200);
			const polls = upload
				? requests.filter(
						(r) => r.route === 'task' && new URLSearchParams(r.query).get('id') === upload.taskId,
					)
				: [];
			return { upload, polls };
		}

		/** Starts a Progeny execution through a webhook; resolves once the worker polls the task. */
		async function startPolling(base, workflow, pendingMs) {
			const mark = s.sandbox.requests.length;
			const webhookPath = s.workflows[workflow].nodes.find(
				(n) => n.type === 'n8n-nodes-base.webhook',
			).parameters.path;
			const answer = await post(webhookUrl(base, webhookPath), {
				passport: imageBase64('JPEG', `PERSON=1;PENDING_MS=${pendingMs}`),
			});
			assert.equal(answer.status, 200, answer.text);
			const deadline = Date.now() + 30_000;
			while (task(mark).polls.length < 2) {
				assert.ok(Date.now() < deadline, `no polling within 30 s: ${JSON.stringify(task(mark))}`);
				await sleep(100);
			}
			let running;
			while (!(running = (await executions(id(workflow), { status: 'running' }))[0])) {
				assert.ok(Date.now() < deadline, 'no running execution on main');
				await sleep(200);
			}
			const worker = s.cluster.executionWorkers().get(String(running.id));
			progenyWorkers.push(...(worker ?? []));
			return { mark, executionId: String(running.id), worker };
		}

		/** Stops an execution from main, then counts the task's polls for `watchMs`. */
		async function stopAndWatch(started, watchMs = 3000) {
			const answer = await s.cluster.main.rest(
				'POST',
				`/rest/executions/${started.executionId}/stop`,
			);
			const stoppedAt = Date.now();
			await sleep(watchMs);
			const after = task(started.mark).polls.filter((p) => p.t > stoppedAt + 100); // one poll may already be on its way
			const execution = await s.cluster.main.publicApi('GET', `/executions/${started.executionId}`);
			return { answer, pollsAfter: after.length, status: execution.status };
		}

		it('polling runs on a worker; a stop from main is answered and the execution marked canceled, but polling goes on (n8n 2.41.1 gap) when the webhook processor started it', async () => {
			const started = await startPolling(s.cluster.webhook.url, 'queue-progeny-hook', 8000);
			assert.equal(
				started.worker?.length,
				1,
				`execution ${started.executionId} ran on a worker: ${JSON.stringify(started.worker)}`,
			);
			const { answer, pollsAfter, status } = await stopAndWatch(started);
			figure(
				`Progeny, started at the webhook processor: stop from main answered ${JSON.stringify(answer?.status ?? answer)}; ${pollsAfter} task look-ups in the 3 s after the stop (every ${POLL_INTERVAL_MS} ms)`,
			);
			assert.equal(status, 'canceled', 'main marks the execution canceled');
			// n8n 2.41.1: main publishes "stop-execution"; a worker acts on it only for executions in
			// its ActiveExecutions, which its JobProcessor never fills (scaling/execution-stop.service.js)
			// (one look-up may already have been on its way when the stop came: 2 or more prove it)
			assert.ok(
				pollsAfter >= 2,
				`the worker kept polling after the stop (${pollsAfter} look-ups): if not, n8n now forwards the stop; update README "Queue mode"`,
			);
		});

		it('a stop from main ends polling at once when main started the execution (its own webhook)', async () => {
			const started = await startPolling(s.cluster.main.url, 'queue-progeny-hook', 8000);
			assert.equal(started.worker?.length, 1, `execution ${started.executionId} ran on a worker`);
			const { pollsAfter, status } = await stopAndWatch(started);
			figure(`Progeny, started at main: ${pollsAfter} task look-ups after the stop`);
			assert.equal(status, 'canceled');
			// at most the one look-up sent while the stop travelled to the worker
			assert.ok(
				pollsAfter <= 1,
				`the worker was told to abort the job and the node stopped polling (${pollsAfter} look-ups after the stop)`,
			);
		});

		it('the workaround: the workflow time-out cancels on the worker, and polling ends at once', async () => {
			const started = await startPolling(s.cluster.webhook.url, 'queue-progeny-timeout', 30_000);
			let execution;
			const deadline = Date.now() + 20_000;
			while (
				(execution = await s.cluster.main.publicApi('GET', `/executions/${started.executionId}`))
					.status === 'running' ||
				!execution.stoppedAt
			) {
				assert.ok(Date.now() < deadline, 'the execution did not end within 20 s of a 5 s time-out');
				await sleep(250);
			}
			const endedAt = Date.parse(execution.stoppedAt);
			await sleep(3000);
			const { polls } = task(started.mark);
			const after = polls.filter((p) => p.t > endedAt + 100);
			figure(
				`Progeny with a 5 s workflow time-out: execution ${execution.status} after ${((endedAt - Date.parse(execution.startedAt)) / 1000).toFixed(1)} s, ${polls.length} look-ups in all, ${after.length} after it ended`,
			);
			assert.ok(
				after.length <= 1,
				`no look-up after the time-out but one already on its way (${after.length})`,
			);
			assert.ok(
				polls.length <= 5000 / POLL_INTERVAL_MS + 2,
				`${polls.length} look-ups in a 5 s time-out`,
			);
		});

		it('one Progeny login for these three executions, whichever worker ran them: the stored token is shared', async () => {
			figure(
				`Progeny logins: ${count('progeny.token')} for 3 executions, one after the other, on ${progenyWorkers.join(', ')}`,
			);
			assert.equal(progenyWorkers.length, 3);
			assert.equal(count('progeny.token'), 1);
		});
	});

	describe('queue link trigger with n8n defaults (for comparison)', () => {
		it("n8n's default expression engine at a second webhook processor: the same burst (figures, not a requirement)", async () => {
			const processor = s.cluster.webhookNamed('webhook-defaults');
			const { callbacks, runs, certificates } = await linkBurst(processor, 'q-default');
			const delivered = callbacks.filter((c) => c.status === 200).length;
			const distinct = new Set(runs.map((r) => items(r, 'LINK Trigger')[0]?.json?.transactionId))
				.size;
			figure(
				`LINK burst with n8n's defaults (${settingsText(N8N_DEFAULTS)}): ${delivered}/${CALLBACKS} callbacks answered 200 within 5 s (${answerTimes(callbacks)}), ${runs.length} executions for ${distinct} request ids, ${certificates} certificate downloads`,
			);
			assert.equal(callbacks.length, CALLBACKS, 'the sandbox sent every callback');
		});
	});
});
