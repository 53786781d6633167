'use strict';
/**
 * KYC Decision through a running n8n (`n8n start`):
 * - the onboarding example itself (examples/apptenticate-id-onboarding.json, its webhook, its
 *   credential name pointed at the sandbox): ID card + selfie of three people end in the three
 *   outputs, steered by the sandbox's markers;
 * - the LINK callbacks example (examples/link-callbacks.json, allowing 127.0.0.1 as `npm run dev`
 *   does): manual-verification callbacks APPROVED / NOT_APPROVED / REJECTED, the bodies the LINK
 *   sandbox sends, posted by the test to its LINK Trigger, which feeds KYC Decision.
 * Which output an item took is read from the executions (public API).
 */
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { e2eSuite } = require('./lib/harness');
const { loadWorkflow } = require('./lib/fixtures');
const { sleep } = require('../../tools/n8n/n8n');
const { makeJpeg } = require('../fixtures/images');
const { manualCallbackData } = require('../sandbox/link');
const people = require('../sandbox/people');

const ONBOARDING = path.join(__dirname, '..', '..', 'examples', 'apptenticate-id-onboarding.json');
const LINK_CALLBACKS = path.join(__dirname, '..', '..', 'examples', 'link-callbacks.json');
const OUTPUTS = ['approved', 'review', 'rejected'];
// The example's trigger takes its secret from the callback credential; this suite makes one.
const CALLBACK_TOKEN = ['e2e', 'decision', 'callback', 'token', '01'].join('-');

e2eSuite('decision', { workflows: [ONBOARDING] }, (env) => {
	before(
		async () => {
			// the examples name the credentials of `npm run dev`: the same, on this suite's sandbox
			await env.n8n.importCredentials([
				{
					id: 'kycDevAppt000001',
					name: 'Apptenticate (sandbox)',
					type: 'apptenticateApi',
					data: {
						baseUrl: `${env.sandbox.url}/apptenticate`,
						username: 'sandbox',
						password: 'sandbox',
						accessToken: '',
					},
				},
				{
					id: 'kycDevLinkCb0001',
					name: 'LINK Mobility callback secret (sandbox)',
					type: 'linkMobilityCallbackApi',
					data: { secretToken: CALLBACK_TOKEN },
				},
				{
					id: 'kycDevLink000001',
					name: 'LINK Mobility (sandbox)',
					type: 'linkMobilityKycApi',
					data: {
						environment: 'custom',
						baseUrl: `${env.sandbox.url}/link`,
						user: 'sandbox',
						password: 'sandbox',
						accessToken: '',
					},
				},
			]);
			// LINK calls from its published addresses; here the callbacks come from this machine
			const callbacks = loadWorkflow(LINK_CALLBACKS, env.vars);
			for (const node of callbacks.nodes)
				if (node.type.endsWith('.linkTrigger')) node.parameters.allowedIps = '127.0.0.1, ::1';
			env.workflows[LINK_CALLBACKS] = callbacks;
			await env.n8n.importWorkflows([callbacks]);
			await env.startServer({ publish: [ONBOARDING, LINK_CALLBACKS] });
		},
		{ timeout: 300_000 },
	);

	/** The execution of `workflow` that `matches`, polling the public API. */
	async function executionWhere(workflow, matches, label, timeoutMs = 30_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = await env.n8n.executions(env.workflowId(workflow));
			const found = executions.find((e) => e.status === 'success' && matches(e));
			if (found) return found;
			const failed = executions.find((e) => e.status === 'error');
			assert.ok(!failed, `an execution of ${workflow} failed: ${failed?.describe()}`);
			if (Date.now() > deadline)
				assert.fail(
					`no execution of ${workflow} for ${label} within ${timeoutMs / 1000} s\n${env.n8n.serverLog().slice(-3000)}`,
				);
			await sleep(300);
		}
	}

	/** The KYC Decision output an execution's item went to, and that item. */
	function routed(execution) {
		const found = OUTPUTS.map((name, output) => ({
			name,
			items: execution.json('KYC Decision', output),
		})).filter((o) => o.items.length > 0);
		assert.equal(found.length, 1, `expected one item on one output: ${JSON.stringify(found)}`);
		assert.equal(found[0].items.length, 1);
		return { output: found[0].name, item: found[0].items[0] };
	}

	describe('decision onboarding example', () => {
		const cases = [
			{
				who: 'person 1, selfie matches',
				markers: { front: 'PERSON=1', back: 'PERSON=1', selfie: 'PERSON=1' },
				idNumber: 'E-8-123456',
				output: 'approved',
				answer: {
					firstName: 'Sofia Maria',
					idNumber: 'E-8-123456',
					idSidesMatch: true,
					selfieMatches: true,
					kycStatus: 'verified',
				},
				codes: [],
			},
			{
				who: 'person 2, selfie does not match',
				markers: { front: 'PERSON=2', back: 'PERSON=2', selfie: 'PERSON=2;NOMATCH=1' },
				idNumber: '8-888-1234',
				output: 'review',
				answer: {
					ticketTitle: 'KYC review: Carlos Alberto Rodriguez Batista',
					idNumber: '8-888-1234',
					kycStatus: 'needs review',
					reasonCodes: ['FACE_MISMATCH'],
				},
				codes: ['FACE_MISMATCH'],
			},
			{
				who: "person 3, the card's front and back do not belong together",
				markers: { front: 'PERSON=3;NOMATCH=1', back: 'PERSON=3;NOMATCH=1', selfie: 'PERSON=3' },
				idNumber: '4-712-2345',
				output: 'rejected',
				answer: {
					idNumber: '4-712-2345',
					kycStatus: 'rejected',
					reasonCodes: ['DOCUMENT_NOT_VALID', 'SIDES_MISMATCH'],
				},
				codes: ['DOCUMENT_NOT_VALID', 'SIDES_MISMATCH'],
			},
		];
		for (const c of cases) {
			it(`${c.who}: ${c.output}`, async () => {
				const form = new FormData();
				for (const [field, marker] of Object.entries(c.markers))
					form.append(field, new Blob([makeJpeg(marker)], { type: 'image/jpeg' }), `${field}.jpg`);
				const answer = await env.n8n.callWebhook('kyc/id-check', { body: form });
				const text = await answer.text();
				assert.equal(
					answer.status,
					200,
					`the onboarding webhook answered ${answer.status}: ${text}\n${env.n8n.serverLog().slice(-3000)}`,
				);
				const record = JSON.parse(text);
				assert.deepEqual(
					Object.fromEntries(Object.keys(c.answer).map((key) => [key, record[key]])),
					c.answer,
					text,
				);
				if (c.output !== 'approved')
					assert.ok(
						record.reasons.every((reason) => typeof reason === 'string' && reason.length > 20),
						text,
					);

				const execution = await executionWhere(
					ONBOARDING,
					(e) => e.json('Read ID Card', 0)[0]?.documentNumber === c.idNumber,
					c.who,
				);
				const { output, item } = routed(execution);
				assert.equal(output, c.output);
				assert.equal(item.decision, c.output);
				assert.deepEqual(
					item.reasons.map((reason) => reason.code),
					c.codes,
				);
			});
		}
	});

	describe('decision link callbacks example', () => {
		const cases = {
			APPROVED: { output: 'approved', codes: [], node: 'Identity Approved', kycStatus: 'verified' },
			// reviewed and found forged: rejected (the face mismatch alone would mean review)
			NOT_APPROVED: {
				output: 'rejected',
				codes: ['DOCUMENT_NOT_VALID', 'DOCUMENT_NOT_AUTHENTIC', 'FACE_MISMATCH'],
				node: 'Identity Rejected',
				kycStatus: 'rejected',
			},
			// the images could not be assessed: nothing known, review
			REJECTED: {
				output: 'review',
				codes: ['AGE_UNKNOWN', 'EXPIRY_UNKNOWN', 'DOCUMENT_VALIDITY_UNKNOWN', 'FACE_MATCH_UNKNOWN'],
				node: 'Review Ticket',
				kycStatus: 'needs review',
			},
		};
		for (const [outcome, expected] of Object.entries(cases)) {
			it(`callback ${outcome}: ${expected.output}`, async () => {
				const id = `e2e-decision-${outcome.toLowerCase()}`;
				const body = {
					id,
					service: 'ManualIDVerification',
					status: 'Completed',
					data: manualCallbackData(outcome, people.linkDocuments[0]),
				};
				const answer = await env.n8n.callWebhook(
					`${env.webhookUrl(LINK_CALLBACKS, 'LINK Callback', 'link').split('/webhook/')[1]}?token=${CALLBACK_TOKEN}`,
					{
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(body),
					},
				);
				assert.equal(answer.status, 200, await answer.text());
				const execution = await executionWhere(
					LINK_CALLBACKS,
					(e) => e.json('LINK Callback', 0)[0]?.transactionId === id,
					id,
				);
				const { output, item } = routed(execution);
				assert.equal(output, expected.output);
				assert.equal(item.decision, expected.output);
				assert.deepEqual(
					item.reasons.map((reason) => reason.code),
					expected.codes,
				);
				for (const reason of item.reasons)
					assert.match(reason.message, /^[A-Z].{15,}$/, JSON.stringify(reason));
				const [outcomeRecord] = execution.json(expected.node, 0);
				assert.equal(outcomeRecord?.kycStatus, expected.kycStatus);
				assert.equal(outcomeRecord.requestId, id);
				if (expected.output !== 'approved')
					assert.deepEqual(outcomeRecord.reasonCodes, expected.codes);
			});
		}
	});
});
