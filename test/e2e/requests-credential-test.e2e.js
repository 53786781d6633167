'use strict';
/**
 * The credential Test button inside a started n8n (`POST /rest/credentials/test`, the request
 * the editor sends): a wrong password shows the sentence, not a code, and LINK's Test logs in
 * with the user and password as typed, even when the credential holds a token that still works.
 */
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const { e2eSuite } = require('./lib/harness');
const { sandboxCredentials } = require('./lib/fixtures');

e2eSuite('requests-credential-test', { workflows: [] }, (env) => {
	before(
		async () => {
			// A loaded machine can take over tools/n8n/n8n.js's default 120 s to start n8n: start it first
			// with more time (startServer then finds it running).
			await env.n8n.start({ timeoutMs: 400_000 });
			await env.startServer();
		},
		{ timeout: 600_000 },
	);

	/** The credential of the template with this id, as the editor sends it, with `changes` typed in. */
	function typed(id, changes = {}) {
		const credential = sandboxCredentials(env.vars).find((c) => c.id === id);
		assert.ok(credential, `no credential ${id} in credentials.template.json`);
		return {
			id,
			name: credential.name,
			type: credential.type,
			data: { ...credential.data, ...changes },
		};
	}

	/** Clicks Test: n8n's answer ({status, message}) and the sandbox requests it caused. */
	async function test(credentials) {
		const mark = env.mark();
		const answer = await env.n8n.rest('POST', '/rest/credentials/test', { credentials });
		return { answer, requests: env.requestsSince(mark) };
	}

	async function linkToken() {
		const answer = await fetch(`${env.sandbox.url}/link/auth/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ user: 'sandbox', password: 'sandbox' }),
		});
		return (await answer.json()).token;
	}

	describe('requests credential test apptenticate', () => {
		it('a wrong password: the Test shows the sentence (not EKYC_LOGIN_REFUSED)', async () => {
			const { answer, requests } = await test(typed('e2eReqTestAppt01'));
			env.note(`Apptenticate Test, wrong password: ${JSON.stringify(answer)}`);
			assert.equal(answer.status, 'Error', JSON.stringify(answer));
			assert.match(
				answer.message,
				/^Apptenticate refused the username or password of the credential/,
			);
			assert.doesNotMatch(answer.message, /EKYC_|not-the-password/);
			const logins = requests.filter((r) => r.route === 'token');
			assert.ok(
				logins.length >= 1 && logins.every((r) => r.status === 401),
				JSON.stringify(logins),
			);
		});

		it('a wrong password fails the Test even with a valid token stored in the credential', async () => {
			const token = (
				await (
					await fetch(`${env.sandbox.url}/apptenticate/api/token/`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ username: 'sandbox', password: 'sandbox' }),
					})
				).json()
			).access;
			const { answer, requests } = await test(typed('e2eReqTestAppt01', { accessToken: token }));
			env.note(`Apptenticate Test, wrong password, valid stored token: ${JSON.stringify(answer)}`);
			assert.equal(answer.status, 'Error', `the Test said ${JSON.stringify(answer)}`);
			// The test request's 401 makes n8n log in again (preAuthentication), with the password as
			// typed: its refusal is the message, in both versions.
			assert.match(
				answer.message,
				/^Apptenticate refused the username or password of the credential/,
			);
			assert.ok(
				requests.some((r) => r.route === 'token' && r.status === 401),
				'the Test logged in with the password as typed',
			);
		});

		it('the right password: the Test passes', async () => {
			const { answer } = await test(typed('e2eApptSandbox01'));
			assert.equal(answer.status, 'OK', JSON.stringify(answer));
		});
	});

	describe('requests credential test link', () => {
		it('a wrong password fails the Test even with a valid token stored in the credential', async () => {
			const token = await linkToken();
			const { answer, requests } = await test(typed('e2eReqTestLink01', { accessToken: token }));
			env.note(`LINK Test, wrong password, valid stored token: ${JSON.stringify(answer)}`);
			assert.equal(answer.status, 'Error', `the Test said ${JSON.stringify(answer)}`);
			// n8n 1.x applies no responseCode rule of a credential test (its error has no `cause`),
			// so it shows its own text for HTTP 500: the Test fails, without LINK's sentence.
			if (env.n8n.major >= 2)
				assert.match(answer.message, /LINK Mobility .*(refused|refuses) .*user or password/);
			assert.doesNotMatch(answer.message, /EKYC_|not-the-password/);
			const logins = requests.filter((r) => r.route === 'token');
			assert.ok(logins.length >= 1, 'the Test logged in with the password as typed');
			assert.ok(
				logins.every((r) => r.status === 500),
				JSON.stringify(logins),
			);
			assert.equal(
				requests.filter((r) => r.route === 'ping').length,
				0,
				'no ping with the stored token',
			);
		});

		it('the right password: the Test passes', async () => {
			const { answer } = await test(typed('e2eLinkSandbox01', { accessToken: await linkToken() }));
			assert.equal(answer.status, 'OK', JSON.stringify(answer));
		});
	});
});
