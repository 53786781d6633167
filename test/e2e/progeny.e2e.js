'use strict';
/**
 * Progeny Passport OCR inside real n8n: an upload-then-poll service. A batch completes with its
 * items in input order, each task is polled until the sandbox's pending time is over, a failed
 * task becomes an error item, a token that expires while tasks are polled is renewed, and 50
 * tasks wait at Progeny together while Concurrency bounds only the requests in flight.
 */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { e2eSuite } = require('./lib/harness');

const TASK_PENDING_MS = 1500;

function assertRan(execution) {
	assert.ok(execution.ok, `the execution failed:\n${execution.describe()}`);
}

/** Per task id: its upload and its polls (in order), from the sandbox log. */
function tasksOf(requests) {
	const tasks = new Map();
	for (const upload of requests.filter((r) => r.route === 'ocrPassport' && r.status === 200))
		tasks.set(upload.taskId, { upload, polls: [] });
	for (const poll of requests.filter((r) => r.route === 'task' && r.status === 200)) {
		const id = new URLSearchParams(poll.query).get('id');
		tasks.get(id)?.polls.push(poll);
	}
	return tasks;
}

e2eSuite(
	'progeny',
	{
		workflows: ['progeny-batch', 'progeny-expiry', 'progeny-many'],
		sandbox: { taskPendingMs: TASK_PENDING_MS },
	},
	(env) => {
		describe('progeny batch', () => {
			const run = env.once('batch', async () => {
				const mark = env.mark();
				const execution = await env.execute('progeny-batch');
				return { execution, requests: env.requestsSince(mark, { vendor: 'progeny' }) };
			});

			it('a batch of passports completes with every item in input order, normalized', async () => {
				const { execution } = await run();
				assertRan(execution);
				const items = execution.items('Progeny', 0);
				assert.equal(items.length, 5);
				items.forEach((item, index) => assert.deepEqual(item.pairedItem, { item: index }));
				const [anna, valeria, , james, jamesPng] = items.map((item) => item.json);
				assert.equal(anna.vendor, 'progeny');
				assert.equal(anna.documentType, 'passport');
				assert.equal(anna.documentNumber, 'FE123456');
				assert.equal(anna.givenNames, 'ANNA');
				assert.equal(anna.surnames, 'KOVALENKO');
				assert.equal(anna.gender, 'F');
				assert.equal(anna.birthDate, '1990-04-07', 'YYYY-M-D becomes ISO');
				assert.equal(anna.issueDate, '2019-03-12');
				assert.equal(anna.expiryDate, '2029-03-12');
				assert.equal(anna.valid, true);
				assert.match(anna.transactionId, /^[0-9a-f-]{36}$/, 'the task id');
				assert.equal(valeria.documentNumber, 'XX008080');
				assert.equal(valeria.issueDate, null, '"None-None-None" becomes null');
				assert.equal(valeria.vendorDetails.isExpired, true);
				assert.equal(james.surnames, "O'CONNOR");
				assert.equal(james.gender, 'M');
				assert.equal(jamesPng.documentNumber, 'PX7654321', 'a PNG is accepted');
			});

			it('a task that ends in FAILURE becomes an error item in its place, with the task id', async () => {
				const { execution } = await run();
				const failed = execution.items('Progeny', 0)[2].json;
				const { message, code, taskId } = failed.error ?? {};
				assert.match(
					message ?? '',
					/^Progeny's passport reading failed \(task [0-9a-f-]{36} ended with status FAILURE\)$/,
					JSON.stringify(failed),
				);
				assert.equal(code, 'FAILURE');
				assert.match(taskId ?? '', /^[0-9a-f-]{36}$/);
			});

			it("the sandbox's task delay is respected: each task was polled while pending and read only when done", async () => {
				const { requests } = await run();
				const tasks = tasksOf(requests);
				assert.equal(tasks.size, 5, 'five uploads');
				for (const [id, { upload, polls }] of tasks) {
					// How many looks fell inside the pending time depends on the machine's speed; that
					// every look before the last saw the task unfinished, and the result came after it, does not.
					assert.ok(polls.length >= 1, `task ${id}: polled ${polls.length} times`);
					const last = polls[polls.length - 1];
					assert.ok(
						['SUCCESS', 'FAILURE'].includes(last.taskStatus),
						`task ${id} ends ${last.taskStatus}`,
					);
					assert.ok(
						polls.slice(0, -1).every((p) => ['PENDING', 'STARTED'].includes(p.taskStatus)),
						`task ${id}: polls ${polls.map((p) => p.taskStatus)}`,
					);
					assert.ok(
						last.t - upload.t >= TASK_PENDING_MS,
						`task ${id}: result read ${last.t - upload.t} ms after the upload`,
					);
				}
			});

			it('one token for the batch', async () => {
				const { requests } = await run();
				assert.equal(requests.filter((r) => r.route === 'token').length, 1);
			});
		});

		describe('progeny 50 passports', () => {
			const MANY_PENDING_MS = 3000;
			const run = env.once('many', async () => {
				const mark = env.mark();
				const execution = await env.execute('progeny-many');
				return { execution, requests: env.requestsSince(mark, { vendor: 'progeny' }) };
			});

			it('every item in input order with its own result; the failed task is an error item in its place', async () => {
				const { execution } = await run();
				assertRan(execution);
				const items = execution.items('Progeny', 0);
				assert.equal(items.length, 50);
				items.forEach((item, index) => assert.deepEqual(item.pairedItem, { item: index }));
				const expected = ['FE123456', 'XX008080', 'PX7654321'];
				items.forEach((item, index) => {
					if (index === 7) {
						assert.equal(item.json.error?.code, 'FAILURE', JSON.stringify(item.json));
						assert.match(item.json.error?.taskId ?? '', /^[0-9a-f-]{36}$/);
					} else {
						assert.equal(
							item.json.documentNumber,
							expected[index % 3],
							`item ${index}: ${JSON.stringify(item.json).slice(0, 300)}`,
						);
					}
				});
				const taskIds = items.map((item) => item.json.transactionId ?? item.json.error?.taskId);
				assert.equal(new Set(taskIds).size, 50, 'one task per item');
			});

			it('the tasks wait at Progeny together (more than Concurrency unfinished at once), with no extra look-ups', async () => {
				const { execution, requests } = await run();
				const tasks = tasksOf(requests);
				assert.equal(tasks.size, 50, 'fifty uploads');
				const firstEnd = Math.min(
					...[...tasks.values()].map(({ polls }) => polls[polls.length - 1].t),
				);
				const uploadedBeforeFirstEnd = [...tasks.values()].filter(
					({ upload }) => upload.t < firstEnd,
				).length;
				// Bounding the tasks by Concurrency (5) allowed at most 5 unfinished tasks at a time.
				assert.ok(
					uploadedBeforeFirstEnd > 5,
					`${uploadedBeforeFirstEnd} tasks uploaded before the first one was read`,
				);
				// First look after 0.5 s, then one every 0.5 s: at most 3000 / 500 + 1 looks, one more for slack.
				const looks = [...tasks.values()].map(({ polls }) => polls.length);
				assert.ok(Math.max(...looks) <= MANY_PENDING_MS / 500 + 2, `looks per task: ${looks}`);
				const [nodeRun] = execution.nodeRuns('Progeny');
				env.note(
					`progeny 50 passports (task ${MANY_PENDING_MS} ms, interval 0.5 s, Concurrency 5): node ${nodeRun?.executionTime} ms, ` +
						`${uploadedBeforeFirstEnd} uploaded before the first result, ${looks.reduce((a, b) => a + b, 0)} look-ups (max ${Math.max(...looks)} per task)`,
				);
			});
		});

		describe('progeny token expiring mid-batch', () => {
			const run = env.once('expiry', async () => {
				// Tasks pending 4 s, polled every 0.5 s: the batch lasts past its 2 s token.
				env.sandbox.configure({ tokenLifetimeSeconds: { progeny: 2 }, taskPendingMs: 4000 });
				const mark = env.mark();
				try {
					const execution = await env.execute('progeny-expiry');
					return { execution, requests: env.requestsSince(mark, { vendor: 'progeny' }) };
				} finally {
					env.sandbox.configure({
						tokenLifetimeSeconds: { progeny: 300 },
						taskPendingMs: TASK_PENDING_MS,
					});
				}
			});

			it('every item succeeds, and the token was renewed when it ran out', async () => {
				const { execution, requests } = await run();
				assertRan(execution);
				const items = execution.json('Progeny', 0);
				assert.equal(items.length, 8);
				assert.deepEqual(
					items.map((i) => i.error ?? null),
					new Array(8).fill(null),
				);
				const renewals = requests.filter(
					(r) => r.route === 'token' || r.route === 'tokenRefresh',
				).length;
				const rejected = requests.filter((r) => r.status === 401).length;
				env.note(
					`progeny mid-batch expiry: ${renewals} token requests, ${rejected} calls answered 401`,
				);
				// The batch outlives the 2 s token: it is renewed before its end (no 401) or after a 401.
				assert.ok(renewals >= 2, `token requests: ${renewals}`);
			});
		});
	},
);
