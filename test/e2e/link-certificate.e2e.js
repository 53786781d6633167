'use strict';
/**
 * LINK Certificate's Wait Until Ready inside real n8n, over many items: the certificates are
 * waited for together (Concurrency bounds the downloads in flight, not the items waiting), each
 * item keeps its input record and gets its own PDF, in input order.
 */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { e2eSuite } = require('./lib/harness');

const CERTIFICATE_DELAY_MS = 2500;

e2eSuite(
	'link certificate wait',
	{ workflows: ['link-certificate-many'], sandbox: { callbackDelayMs: CERTIFICATE_DELAY_MS } },
	(env) => {
		describe('link certificate wait', () => {
			const run = env.once('many', async () => {
				const mark = env.mark();
				const execution = await env.execute('link-certificate-many');
				return {
					execution,
					downloads: env.requestsSince(mark, { vendor: 'link', route: 'certificate' }),
				};
			});

			it('8 certificates at Concurrency 2: each item keeps its record and gets its own PDF, in input order', async () => {
				const { execution } = await run();
				assert.ok(execution.ok, `the execution failed:\n${execution.describe()}`);
				const verified = execution.json('LINK Verify', 0);
				const items = execution.items('LINK Certificate', 0);
				assert.equal(items.length, 8);
				items.forEach((item, index) => {
					const id = `e2e-link-many-${index}`;
					assert.deepEqual(item.pairedItem, { item: index });
					assert.equal(item.json.requestId, id);
					assert.equal(item.json.fileName, `${id}.pdf`);
					assert.equal(item.json.ready, true);
					// Keep Input Fields (on by default): the person's record of LINK Verify is still there.
					assert.equal(item.json.transactionId, id);
					assert.equal(item.json.documentNumber, verified[index].documentNumber);
					assert.equal(item.json.givenNames, verified[index].givenNames);
					const pdf = item.binary?.certificate;
					assert.ok(pdf, `item ${index}: no binary "certificate"`);
					assert.equal(pdf.mimeType, 'application/pdf');
					assert.equal(pdf.fileName, `${id}.pdf`);
				});
			});

			it('the items wait together: more than Concurrency certificates asked for before the first was ready', async () => {
				const { execution, downloads } = await run();
				const firstReady = downloads.find((r) => r.status === 200);
				assert.ok(firstReady, 'a certificate was downloaded');
				const askedBefore = new Set(downloads.filter((r) => r.t < firstReady.t).map((r) => r.path));
				// Holding a slot per waiting item (the old way) allowed at most 2 here.
				assert.ok(
					askedBefore.size > 2,
					`${askedBefore.size} certificates asked for before the first was ready`,
				);
				assert.equal(
					downloads.filter((r) => r.status === 200).length,
					8,
					'each PDF downloaded once',
				);
				const [nodeRun] = execution.nodeRuns('LINK Certificate');
				env.note(
					`link certificate, 8 items (certificate after ${CERTIFICATE_DELAY_MS} ms, interval 1 s, Concurrency 2): node ${nodeRun?.executionTime} ms, ${downloads.length} attempts`,
				);
			});
		});
	},
);
