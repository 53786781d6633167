'use strict';
/**
 * Tokens and concurrency inside real n8n, with Apptenticate's short-lived JWT: one token per
 * batch, a stored token that went stale between executions, a token that expires in the middle
 * of a batch, and several requests in flight at once. Each scenario has its own credential, so
 * token counts do not depend on the order of the scenarios.
 */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { e2eSuite } = require('./lib/harness');

/** Input order is kept: case i is PERSON=(i % 3) + 1, whose passport numbers are these. */
const PASSPORT_NUMBERS = ['123456789', '546789123', 'PA0912345'];
const expectedNumber = (index) => PASSPORT_NUMBERS[index % 3];

function assertAllPassports(execution, count) {
	assert.ok(execution.ok, `the execution failed:\n${execution.describe()}`);
	const items = execution.items('OCR', 0);
	const failed = items.filter((item) => item.json.error);
	assert.deepEqual(
		failed.map((item) => item.json.error),
		[],
		'no item failed',
	);
	assert.equal(items.length, count);
	items.forEach((item, index) => {
		assert.equal(item.json.documentNumber, expectedNumber(index), `item ${index} in input order`);
		assert.deepEqual(item.pairedItem, { item: index });
	});
}

const count = (requests, route) => requests.filter((r) => r.route === route).length;

e2eSuite(
	'credentials',
	{
		workflows: ['apptenticate-batch', 'apptenticate-stale-token', 'apptenticate-expiry'],
	},
	(env) => {
		const runBatch = env.once('batch', async () => {
			env.sandbox.reset();
			// 150 ms per call, so that the node's concurrent requests overlap at the sandbox
			env.sandbox.setFault({
				kind: 'latency',
				path: '/apptenticate/api/v3/ocr/',
				ms: 150,
				times: 20,
			});
			const mark = env.mark();
			const execution = await env.execute('apptenticate-batch');
			return { execution, requests: env.requestsSince(mark), counters: env.sandbox.counters() };
		});

		describe('credentials apptenticate batch', () => {
			const run = runBatch;

			it('a batch of 20 items costs 1 token request, and every item succeeds in input order', async () => {
				const { execution, requests, counters } = await run();
				assertAllPassports(execution, 20);
				assert.equal(counters['apptenticate.token'], 1, 'token requests (sandbox counters)');
				assert.equal(count(requests, 'token'), 1, 'token requests (sandbox log)');
				assert.equal(count(requests, 'ocr'), 20, 'OCR requests');
				assert.ok(
					requests
						.filter((r) => r.route === 'ocr')
						.every((r) => r.status === 200 && r.auth === 'valid'),
				);
			});

			it('concurrency: several requests in flight at once (maxInFlight > 1, at most the default 5)', async () => {
				const { counters } = await run();
				const inFlight = counters.maxInFlight.apptenticate;
				assert.ok(inFlight > 1, `maxInFlight ${inFlight}`);
				assert.ok(inFlight <= 5, `maxInFlight ${inFlight} is over the default concurrency of 5`);
			});
		});

		const runStale = env.once('stale', async () => {
			const first = env.mark();
			const before = await env.execute('apptenticate-stale-token');
			const firstRequests = env.requestsSince(first);
			env.sandbox.expireTokens(); // the token n8n stored with the credential is now stale
			const second = env.mark();
			const after = await env.execute('apptenticate-stale-token');
			return { before, firstRequests, after, secondRequests: env.requestsSince(second) };
		});

		describe('credentials apptenticate stale token', () => {
			const run = runStale;

			it('the first execution fetches a token once, and n8n stores it with the credential', async () => {
				const { before, firstRequests } = await run();
				assertAllPassports(before, 3);
				assert.equal(count(firstRequests, 'token'), 1);
			});

			it('a token that expired between executions is refreshed on the 401, once for all calls in flight, and the run succeeds', async () => {
				const { after, secondRequests } = await run();
				assertAllPassports(after, 3);
				const ocr = secondRequests.filter((r) => r.route === 'ocr');
				const rejected = ocr.filter((r) => r.status === 401);
				// No first-call gate: the three calls go out at once with the stored token.
				assert.ok(
					rejected.length >= 1 && rejected.length <= 3,
					`calls refused with the stored token: ${rejected.length}`,
				);
				assert.ok(rejected.every((r) => r.auth === 'expired'));
				assert.equal(count(secondRequests, 'token'), 1, 'one login for all the refused calls');
				assert.equal(ocr.filter((r) => r.status === 200).length, 3);
			});

			it('the multipart body is sent again, complete, after the refresh', async () => {
				const { secondRequests } = await run();
				const ocr = secondRequests.filter((r) => r.route === 'ocr');
				const rejected = ocr.filter((r) => r.status === 401);
				const retried = ocr.filter((r) => r.status === 200);
				assert.ok(rejected.length >= 1);
				for (const refused of rejected) {
					const again = retried.find(
						(r) =>
							JSON.stringify(r.files) === JSON.stringify(refused.files) &&
							JSON.stringify(r.fields) === JSON.stringify(refused.fields),
					);
					assert.ok(
						again,
						`the retry after the refresh, same files and fields as ${JSON.stringify(refused)}`,
					);
				}
			});
		});

		const LIFETIME_SECONDS = 2;
		const runExpiry = env.once('expiry', async () => {
			env.sandbox.reset();
			env.sandbox.configure({ tokenLifetimeSeconds: { apptenticate: LIFETIME_SECONDS } });
			// 20 calls of 900 ms, 5 at a time: the last of 4 waves starts 2.7 s after the first, after the token's end
			env.sandbox.setFault({
				kind: 'latency',
				path: '/apptenticate/api/v3/ocr/',
				ms: 900,
				times: 40,
			});
			const mark = env.mark();
			try {
				const execution = await env.execute('apptenticate-expiry');
				return { execution, requests: env.requestsSince(mark) };
			} finally {
				env.sandbox.clearFaults();
				env.sandbox.configure({ tokenLifetimeSeconds: { apptenticate: 300 } });
			}
		});

		describe('credentials apptenticate token expiring mid-batch', () => {
			const run = runExpiry;

			it('every item succeeds although the batch outlived its token', async () => {
				const { execution, requests } = await run();
				assertAllPassports(execution, 20);
				const ocr = requests.filter((r) => r.route === 'ocr');
				const spanMs = ocr[ocr.length - 1].t - ocr[0].t;
				assert.ok(
					spanMs > LIFETIME_SECONDS * 1000,
					`the OCR calls spanned ${spanMs} ms, more than the token's ${LIFETIME_SECONDS} s`,
				);
			});

			it('the token was renewed (before its end, or after a 401), one login per token lifetime', async () => {
				const { requests } = await run();
				const tokens = count(requests, 'token');
				const ocr = requests.filter((r) => r.route === 'ocr');
				const rejected = ocr.filter((r) => r.status === 401).length;
				const spanMs = ocr[ocr.length - 1].t - ocr[0].t;
				env.note(
					`mid-batch expiry: ${tokens} token requests, ${rejected} calls answered 401, ${ocr.length} OCR calls over ${spanMs} ms`,
				);
				assert.ok(tokens >= 2, `token requests: ${tokens}`);
				assert.ok(
					tokens <= 1 + Math.ceil(spanMs / (LIFETIME_SECONDS * 1000)),
					`token requests ${tokens} for ${spanMs} ms of ${LIFETIME_SECONDS} s tokens`,
				);
			});
		});

		describe('credentials apptenticate secrets', () => {
			it('no access token appears in any run data or n8n output of these executions', async () => {
				const runs = [await runBatch(), await runStale(), await runExpiry()];
				const outputs = runs
					.flatMap((r) => (r.execution ? [r.execution] : [r.before, r.after]))
					.map((e) => `${e.result.stdout}\n${e.result.stderr}`);
				for (const output of outputs)
					assert.doesNotMatch(
						output,
						/sbx-apptenticate-/,
						'a sandbox access token leaked into the output',
					);
			});
		});
	},
);
