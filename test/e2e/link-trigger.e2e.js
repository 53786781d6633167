'use strict';
/**
 * LINK Trigger through a running n8n (`n8n start`): LINK Verify (run from a webhook) asks for a
 * certificate or a manual review with the trigger's production URL as callback; the sandbox
 * posts the callback; the trigger's workflow runs. Executions are read through the public API.
 * Callbacks from an address that is not allowed, or without the secret, start nothing.
 * `link-trigger` is a version 1 node with the old Secret Token parameter (it must keep working);
 * `link-trigger-secret` is version 2 with the secret in a LINK Mobility Callback credential.
 */
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const { e2eSuite } = require('./lib/harness');
const { imageBase64 } = require('./lib/fixtures');
const { sleep } = require('../../tools/n8n/n8n');

const SECRET = 'e2e-secret';
/** The LINK Mobility Callback credential's secret (credentials.template.json). */
const CALLBACK_SECRET = 'e2e-callback-secret-0123456789';
const TRIGGER_WORKFLOWS = [
	'link-verify-hook',
	'link-trigger',
	'link-trigger-guarded',
	'link-trigger-secret',
	'link-trigger-unreadable',
];

e2eSuite(
	'link-trigger',
	{
		workflows: TRIGGER_WORKFLOWS,
		sandbox: { callbackDelayMs: 300 },
	},
	(env) => {
		before(() => env.startServer({ publish: TRIGGER_WORKFLOWS }), { timeout: 300_000 });

		const triggerUrl = () =>
			`${env.webhookUrl('link-trigger', 'LINK Trigger', 'link')}?token=${SECRET}`;
		const guardedUrl = () => env.webhookUrl('link-trigger-guarded', 'LINK Trigger', 'link');
		const secretUrl = (token = CALLBACK_SECRET) =>
			`${env.webhookUrl('link-trigger-secret', 'LINK Trigger', 'link')}?token=${token}`;
		const json = { 'content-type': 'application/json' };
		/** The trigger runs of `workflow` about `requestId`, once none of its executions is still running. */
		async function runsAbout(workflow, requestId) {
			const deadline = Date.now() + 30_000;
			for (;;) {
				const executions = await env.n8n.executions(env.workflowId(workflow), { limit: 100 });
				const settled = executions.every((e) => e.status === 'success' || e.status === 'error');
				if (settled || Date.now() > deadline) {
					return executions.filter(
						(e) =>
							e.status === 'success' &&
							e.items('LINK Trigger', 0).some((i) => i.json.transactionId === requestId),
					);
				}
				await sleep(500);
			}
		}

		/** Runs LINK Verify through the webhook workflow; returns its output record. */
		async function verify({ marker, requestId, certify = false, manual = false, callback }) {
			const answer = await env.n8n.callWebhook('e2e-link-verify', {
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					front: imageBase64('JPEG', marker),
					requestId,
					certify,
					manual,
					callback,
				}),
			});
			const text = await answer.text();
			assert.equal(
				answer.status,
				200,
				`the verification webhook answered ${answer.status}: ${text}\n${env.n8n.serverLog().slice(-3000)}`,
			);
			return JSON.parse(text);
		}

		/** The trigger execution whose output is about `requestId` (polls the public API). */
		async function triggerRun(workflow, requestId, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			const id = env.workflowId(workflow);
			for (;;) {
				const executions = await env.n8n.executions(id);
				const found = executions.find(
					(e) =>
						e.status === 'success' &&
						e.items('LINK Trigger', 0).some((i) => i.json.transactionId === requestId),
				);
				if (found) return found;
				const failed = executions.find((e) => e.status === 'error');
				assert.ok(!failed, `a trigger execution failed: ${failed?.describe()}`);
				if (Date.now() > deadline) {
					const callbacks = env.sandbox.callbacks
						.filter((c) => c.id === requestId)
						.map((c) => ({ ...c, body: undefined }));
					assert.fail(
						`no execution of ${workflow} for ${requestId} within ${timeoutMs / 1000} s; sandbox callbacks: ${JSON.stringify(callbacks)}\n${env.n8n.serverLog().slice(-3000)}`,
					);
				}
				await sleep(500);
			}
		}

		describe('link trigger certification', () => {
			it('verify with certify=true and the trigger as callback: the trigger run holds the certificate PDF', async () => {
				const requestId = 'e2e-trigger-certificate';
				const verified = await verify({
					marker: 'PERSON=3',
					requestId,
					certify: true,
					callback: triggerUrl(),
				});
				assert.equal(verified.transactionId, requestId);
				assert.equal(verified.vendorDetails.certificationStatus, 'Processing');
				const execution = await triggerRun('link-trigger', requestId);
				const [item] = execution.items('LINK Trigger', 0);
				assert.equal(item.json.vendorDetails.service, 'Certification');
				assert.equal(item.json.vendorDetails.status, 'Completed');
				assert.equal(
					item.json.vendorDetails.certificateDownloaded,
					true,
					JSON.stringify(item.json.vendorDetails),
				);
				const pdf = item.binary?.certificate;
				assert.ok(
					pdf,
					`no binary "certificate" in the trigger output: ${JSON.stringify(Object.keys(item))}`,
				);
				assert.equal(pdf.mimeType, 'application/pdf');
				assert.equal(pdf.fileName, `${requestId}.pdf`);
				const [callback] = env.sandbox.callbacks.filter((c) => c.id === requestId);
				assert.equal(callback.status, 200, 'the trigger answered the sandbox 200');
			});
		});

		describe('link trigger manual verification', () => {
			const outcomes = {
				APPROVED: (record) => {
					assert.equal(record.valid, true);
					assert.equal(record.match, true);
					assert.equal(record.documentNumber, '12345678Z');
					assert.equal(record.birthDate, '1963-10-31');
					assert.equal(record.vendorDetails.documentApproval, 'APPROVED');
				},
				NOT_APPROVED: (record) => {
					assert.equal(record.valid, false);
					assert.equal(record.match, false);
					assert.equal(record.vendorDetails.authenticity.result, 'NOT_AUTHENTIC');
					assert.ok(record.vendorDetails.authenticity.reasons.length > 0);
				},
				REJECTED: (record) => {
					assert.equal(record.valid, null, 'no verdict on a rejected (unreadable) document');
					assert.equal(
						record.vendorDetails.acceptance.result,
						'REJECTED',
						'the leading space LINK sends is trimmed',
					);
					assert.ok(record.vendorDetails.acceptance.reasons.includes('GLARE'));
					assert.equal(record.vendorDetails.faceComparison.acceptance, 'REJECTED');
				},
			};
			for (const [outcome, check] of Object.entries(outcomes)) {
				it(`manual verification ${outcome}: the trigger run holds the reviewed result`, async () => {
					const requestId = `e2e-manual-${outcome.toLowerCase()}`;
					const verified = await verify({
						marker: `PERSON=1;MANUAL=${outcome}`,
						requestId,
						manual: true,
						callback: triggerUrl(),
					});
					assert.equal(verified.vendorDetails.process, 'Manual');
					assert.equal(verified.valid, null, 'no verdict before the review');
					const execution = await triggerRun('link-trigger', requestId);
					const [record] = execution.json('LINK Trigger', 0);
					assert.equal(record.vendorDetails.service, 'ManualIDVerification');
					check(record);
				});
			}
		});

		describe('link trigger refuses', () => {
			const callbackBody = (id) =>
				JSON.stringify({
					id,
					service: 'Certification',
					status: 'Completed',
					data: { urlCertificateFile: `${env.sandbox.url}/link/certificate/${id}` },
				});

			it('a callback from an address not in the allow-list gets 403 and starts nothing', async () => {
				const executionsBefore = (await env.n8n.executions(env.workflowId('link-trigger-guarded')))
					.length;
				const direct = await env.n8n.callWebhook(`e2e-link-guarded/link`, {
					headers: { 'content-type': 'application/json' },
					body: callbackBody('e2e-guarded-direct'),
				});
				assert.equal(direct.status, 403);
				// and the same through LINK: the sandbox's callback is refused too
				const requestId = 'e2e-guarded-sandbox';
				await verify({
					marker: 'PERSON=1;MANUAL=APPROVED',
					requestId,
					manual: true,
					callback: guardedUrl(),
				});
				const deadline = Date.now() + 15_000;
				let callback;
				while (
					!(callback = env.sandbox.callbacks.find((c) => c.id === requestId)) &&
					Date.now() < deadline
				)
					await sleep(200);
				assert.equal(callback?.status, 403, JSON.stringify(callback));
				await sleep(1000);
				assert.equal(
					(await env.n8n.executions(env.workflowId('link-trigger-guarded'))).length,
					executionsBefore,
					'no execution',
				);
			});

			it('a callback without the secret token, or with a wrong one, gets 403 and starts nothing', async () => {
				const executionsBefore = (await env.n8n.executions(env.workflowId('link-trigger'))).length;
				for (const query of ['', '?token=wrong']) {
					const answer = await env.n8n.callWebhook(`e2e-link-trigger/link${query}`, {
						headers: { 'content-type': 'application/json' },
						body: callbackBody('e2e-no-secret'),
					});
					assert.equal(answer.status, 403, `query "${query}"`);
				}
				await sleep(1000);
				assert.equal(
					(await env.n8n.executions(env.workflowId('link-trigger'))).length,
					executionsBefore,
					'no execution',
				);
			});
		});

		describe('link trigger secret credential', () => {
			it('version 2, secret in a LINK Mobility Callback credential: the run holds the PDF; the secret is neither in the workflow nor in the run', async () => {
				const requestId = 'e2e-credential-certificate';
				await verify({ marker: 'PERSON=3', requestId, certify: true, callback: secretUrl() });
				const execution = await triggerRun('link-trigger-secret', requestId);
				const [item] = execution.items('LINK Trigger', 0);
				assert.equal(
					item.json.vendorDetails.certificateDownloaded,
					true,
					JSON.stringify(item.json.vendorDetails),
				);
				assert.equal(item.binary?.certificate?.mimeType, 'application/pdf');
				const workflow = await env.n8n.publicApi(
					'GET',
					`/workflows/${env.workflowId('link-trigger-secret')}`,
				);
				assert.equal(workflow.nodes[0].typeVersion, 2);
				assert.doesNotMatch(JSON.stringify(workflow), new RegExp(CALLBACK_SECRET));
				assert.doesNotMatch(JSON.stringify(execution.run), new RegExp(CALLBACK_SECRET));
			});

			it('no token gets 403; a wrong token gets the same empty 200 as a right one and starts nothing', async () => {
				const body = (id) =>
					JSON.stringify({ id, service: 'ManualIDVerification', status: 'Completed', data: {} });
				const path = 'e2e-link-secret/link';
				const missing = await env.n8n.callWebhook(path, {
					headers: json,
					body: body('e2e-token-missing'),
				});
				assert.equal(missing.status, 403);
				const wrong = await env.n8n.callWebhook(`${path}?token=e2e-callback-secret-wrong-000`, {
					headers: json,
					body: body('e2e-token-wrong'),
				});
				assert.equal(wrong.status, 200);
				assert.equal(await wrong.text(), '', 'nothing in the answer');
				const right = await env.n8n.callWebhook(`${path}?token=${CALLBACK_SECRET}`, {
					headers: json,
					body: body('e2e-token-right'),
				});
				assert.equal(right.status, 200);
				await triggerRun('link-trigger-secret', 'e2e-token-right');
				assert.deepEqual(
					await runsAbout('link-trigger-secret', 'e2e-token-wrong'),
					[],
					'no run for the wrong token',
				);
				assert.deepEqual(await runsAbout('link-trigger-secret', 'e2e-token-missing'), []);
				assert.match(
					env.n8n.serverLog(),
					/LINK Trigger refused the callback for request e2e-token-wrong: the "token" in its URL is wrong/,
				);
			});
		});

		describe('link trigger repeats', () => {
			it('LINK sends a callback again (5 at once, then once more): one execution, the PDF downloaded once', async () => {
				const requestId = 'e2e-repeat-certificate';
				await verify({ marker: 'PERSON=2', requestId, certify: true, callback: secretUrl() });
				await triggerRun('link-trigger-secret', requestId);
				const [sent] = env.sandbox.callbacks.filter((c) => c.id === requestId);
				const mark = env.mark();
				const again = () =>
					env.n8n.callWebhook(`e2e-link-secret/link?token=${CALLBACK_SECRET}`, {
						headers: json,
						body: JSON.stringify(sent.body),
					});
				const answers = await Promise.all([1, 2, 3, 4, 5].map(again));
				answers.push(await again());
				assert.deepEqual(
					answers.map((a) => a.status),
					[200, 200, 200, 200, 200, 200],
				);
				// a later callback of the same request with another status is not a repeat
				const error = await env.n8n.callWebhook(`e2e-link-secret/link?token=${CALLBACK_SECRET}`, {
					headers: json,
					body: JSON.stringify({ ...sent.body, status: 'Error' }),
				});
				assert.equal(error.status, 200);
				const deadline = Date.now() + 30_000;
				let runs;
				while (
					(runs = await runsAbout('link-trigger-secret', requestId)).length < 2 &&
					Date.now() < deadline
				)
					await sleep(500);
				await sleep(1500);
				runs = await runsAbout('link-trigger-secret', requestId);
				const statuses = runs
					.map((run) => run.items('LINK Trigger', 0)[0].json.vendorDetails.status)
					.sort();
				assert.deepEqual(statuses, ['Completed', 'Error'], 'one run per (id, service, status)');
				assert.equal(
					env.requestsSince(mark, { vendor: 'link', route: 'certificate' }).length,
					0,
					'no second download',
				);
				assert.match(
					env.n8n.serverLog(),
					/LINK Trigger dropped a repeated callback \(Certification Completed\) for request e2e-repeat-certificate/,
				);
			});
		});

		describe('link trigger n8n-side failure', () => {
			it('n8n cannot read the LINK Mobility KYC credential: LINK still gets its 200, the run says n8n failed, no PDF flag', async () => {
				const requestId = 'e2e-unreadable-credential';
				const answer = await env.n8n.callWebhook('e2e-link-nocred/link', {
					headers: json,
					body: JSON.stringify({
						id: requestId,
						service: 'Certification',
						status: 'Completed',
						data: {},
					}),
				});
				assert.equal(answer.status, 200, 'answered before the credential read');
				const execution = await triggerRun('link-trigger-unreadable', requestId);
				const [item] = execution.items('LINK Trigger', 0);
				assert.equal(item.json.vendorDetails.certificateDownloaded, false);
				assert.equal(item.binary, undefined);
				assert.match(
					item.json.vendorDetails.certificateError,
					/^n8n could not read the LINK Mobility KYC credential, so the certificate was not downloaded: /,
				);
				assert.doesNotMatch(
					item.json.vendorDetails.certificateError,
					/LINK Mobility request failed/,
				);
			});
		});

		describe('link trigger secrets', () => {
			it("neither LINK's access token nor the trigger's secret appears in n8n's log or the trigger runs", async () => {
				const log = env.n8n.serverLog();
				assert.doesNotMatch(log, /sbx-link-/);
				assert.doesNotMatch(log, new RegExp(SECRET));
				assert.doesNotMatch(log, new RegExp(CALLBACK_SECRET));
				for (const workflow of ['link-trigger', 'link-trigger-secret']) {
					const runs = await env.n8n.executions(env.workflowId(workflow));
					assert.ok(runs.length > 0);
					for (const run of runs)
						assert.doesNotMatch(
							JSON.stringify(run.run),
							/sbx-link-|e2e-secret|e2e-callback-secret/,
						);
				}
			});
		});
	},
);
