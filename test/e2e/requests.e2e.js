'use strict';
/**
 * The shared request layer inside real n8n (issues 8 and 9), each case as a user sees it:
 * the token goes only to the credential's address (a foreign legacy endpoint, a redirect to
 * another port), a hung or dropped billed call is not sent again and holds no other item,
 * look-ups and logins are retried, a refused login is tried once, seed 002's error keeps its
 * code, and a token expiring mid-batch at Concurrency 10 costs one login.
 *
 * A second HTTP server on a free port (the "collector") stands for another host: it counts what
 * reaches it, and the tests assert that nothing (no Authorization header above all) did.
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const { e2eSuite } = require('./lib/harness');
const { loadWorkflow } = require('./lib/fixtures');
const { sleep } = require('../../tools/n8n/n8n');

/** Input order is kept: passport i is PERSON=(i % 3) + 1, whose passport numbers are these. */
const PASSPORT_NUMBERS = ['123456789', '546789123', 'PA0912345'];
/** The fixtures pad passport i to 3000 + i bytes, so a log entry tells which item it was. */
const itemOfRequest = (request) => request.files.find((f) => f.name === 'frontside').size - 3000;

/** A server standing for another host: counts and keeps every request that reaches it. */
async function startCollector() {
	const received = [];
	const server = http.createServer((req, res) => {
		received.push({
			method: req.method,
			url: req.url,
			authorization: req.headers.authorization ?? null,
		});
		req.resume();
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ valid: true, message: null, code: 0, id: 1, content: '' }));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

const errorOf = (json) => {
	assert.equal(
		typeof json.error,
		'object',
		`not an error item: ${JSON.stringify(json).slice(0, 400)}`,
	);
	return json.error;
};

const routeCount = (requests, route) => requests.filter((r) => r.route === route).length;

/** Every item of node `OCR` succeeded, in input order, but those listed in `except`. */
function assertPassports(execution, count, except = []) {
	assert.ok(execution.ok, `the execution failed:\n${execution.describe()}`);
	const items = execution.items('OCR', 0);
	assert.equal(items.length, count);
	items.forEach((item, index) => {
		assert.deepEqual(item.pairedItem, { item: index });
		if (except.includes(index)) return;
		assert.equal(
			item.json.error,
			undefined,
			`item ${index} failed: ${JSON.stringify(item.json.error)}`,
		);
		assert.equal(item.json.documentNumber, PASSPORT_NUMBERS[index % 3], `item ${index}`);
	});
}

const WITH_OTHER_URL = ['requests-biometry'];

e2eSuite(
	'requests',
	{
		workflows: [
			'requests-ocr-timeout',
			'requests-ocr-drop',
			'requests-login-503',
			'requests-login-drop',
			'requests-login-refused',
			'requests-expiry',
			'requests-progeny-drop',
			'requests-certificate',
		],
		sandbox: { callbackDelayMs: 300, taskPendingMs: 1000 },
	},
	(env) => {
		let collector;
		before(async () => {
			collector = await startCollector();
			// Fixtures that name the collector's address: imported once it has one.
			const workflows = WITH_OTHER_URL.map((name) =>
				loadWorkflow(name, { ...env.vars, OTHER_URL: collector.url }),
			);
			await env.n8n.importWorkflows(workflows);
			WITH_OTHER_URL.forEach((name, i) => (env.workflows[name] = workflows[i]));
		});
		after(() => collector?.close());

		/** Runs a fixture with faults set just before; returns the execution and the sandbox log of it. */
		async function runWith(name, faults = []) {
			env.sandbox.clearFaults();
			for (const fault of faults) env.sandbox.setFault(fault);
			const mark = env.mark();
			const seen = collector.received.length;
			try {
				const execution = await env.execute(name);
				return {
					execution,
					requests: env.requestsSince(mark),
					collected: collector.received.slice(seen),
				};
			} finally {
				env.sandbox.clearFaults();
			}
		}

		describe('requests token confinement', () => {
			const run = env.once('biometry', () => runWith('requests-biometry'));

			it('a legacy endpoint URL on another port: the item fails naming both addresses, and that server received nothing', async () => {
				const { execution, requests, collected } = await run();
				assert.ok(execution.ok, execution.describe());
				const items = execution.json('Foreign Endpoint', 0);
				assert.equal(items.length, 2);
				for (const json of items) {
					assert.equal(
						errorOf(json).message,
						`The address ${collector.url}, which is not the Apptenticate credential's address (${env.sandbox.url}); the Apptenticate token is only sent to the credential's address, so the request was not sent there`,
					);
				}
				assert.deepEqual(
					collected,
					[],
					'nothing reached the other server (no Authorization header)',
				);
				assert.equal(
					routeCount(requests, 'biometricsLegacy'),
					2,
					"only the Legacy Endpoint node's 2 items reached the sandbox",
				);
			});

			it("seed 002's error answer (HTTP 400, code 903) keeps the code and Apptenticate's message", async () => {
				const { execution, requests } = await run();
				const [same, coded] = execution.json('Legacy Endpoint', 0);
				assert.equal(same.valid, true, JSON.stringify(same));
				const error = errorOf(coded);
				assert.equal(error.code, 903);
				assert.match(error.message, /^Apptenticate error 903: /);
				assert.equal(
					error.vendorMessage,
					'La cédula indicada no se encuentra en el padrón del Tribunal Electoral',
				);
				assert.match(
					error.description ?? '',
					/Apptenticate's message: "La cédula indicada no se encuentra/,
				);
				const answered = requests
					.filter((r) => r.route === 'biometricsLegacy')
					.map((r) => r.status)
					.sort();
				assert.deepEqual(answered, [200, 400]);
			});
		});

		describe('requests redirects', () => {
			const CERTIFICATE_PATH = '/link/certificate/e2e-redirect';

			it('LINK Certificate meeting a 302 to another port: the token is not sent there, and the item says why', async () => {
				// A vendor that keeps redirecting (times: 10), as a real one would.
				const { execution, requests, collected } = await runWith('requests-certificate', [
					{
						kind: 'redirect',
						path: CERTIFICATE_PATH,
						status: 302,
						location: `${collector.url}/certificate/e2e-redirect`,
						times: 10,
					},
				]);
				assert.ok(execution.ok, execution.describe());
				const [item] = execution.items('LINK Certificate', 0);
				assert.equal(item.binary, undefined, 'no PDF');
				const error = errorOf(item.json);
				assert.match(
					error.message,
					new RegExp(
						`^LINK Mobility redirected the request to ${collector.url}, which is not the LINK Mobility credential's address \\(${env.sandbox.url}\\); the LINK Mobility token is only sent to the credential's address, so the request was not sent there$`,
					),
				);
				assert.deepEqual(collected, [], 'the other server received nothing');
				const downloads = requests.filter((r) => r.route === 'certificate');
				// The answer is read in full in both versions (n8n 1.x's errors lose the Location): one download.
				assert.equal(downloads.length, 1, `downloads: ${downloads.length}`);
				assert.ok(
					downloads.every((r) => r.fault === 'redirect'),
					'every download met the redirect, and no other was tried',
				);
				env.note(
					`cross-origin redirect: ${downloads.length} certificate request(s) at the sandbox, 0 at the other server`,
				);
			});

			it('a same-origin redirect is followed with the token and the PDF arrives', async () => {
				const { execution, requests, collected } = await runWith('requests-certificate', [
					// LINK's sandbox serves the certificate at /identity/{id} too: the redirect's target.
					{
						kind: 'redirect',
						path: CERTIFICATE_PATH,
						status: 302,
						location: '/link/identity/e2e-redirect?via=redirect',
						times: 10,
					},
				]);
				assert.ok(execution.ok, execution.describe());
				const [item] = execution.items('LINK Certificate', 0);
				assert.equal(item.json.error, undefined, JSON.stringify(item.json.error));
				assert.equal(item.json.ready, true);
				assert.equal(item.binary?.certificate?.mimeType, 'application/pdf');
				assert.deepEqual(collected, []);
				const downloads = requests.filter((r) => r.route === 'certificate');
				assert.ok(
					downloads.some((r) => r.fault === 'redirect'),
					'the redirect was answered',
				);
				const followed = downloads.filter((r) => r.path === '/link/identity/e2e-redirect');
				assert.ok(followed.length >= 1, `the redirect was followed: ${JSON.stringify(downloads)}`);
				assert.ok(
					followed.every((r) => r.query === '?via=redirect' && r.auth === 'valid'),
					'with the bearer token',
				);
				assert.equal(
					followed[followed.length - 1].status,
					200,
					'the PDF came from the redirect target',
				);
			});
		});

		describe('requests hung billed call', () => {
			const run = env.once('timeout', () =>
				runWith('requests-ocr-timeout', [
					{ kind: 'latency', path: '/apptenticate/api/v3/ocr/', ms: 20_000, times: 1 },
				]),
			);

			it('4 passports, the first OCR call hangs: 4 OCR requests, the hung item fails as not answered within 2 s and was not resent', async () => {
				const { execution, requests } = await run();
				const ocr = requests.filter((r) => r.route === 'ocr');
				assert.equal(ocr.length, 4, `OCR requests: ${ocr.length}`);
				const hung = ocr.find((r) => r.fault === 'latency');
				assert.ok(hung, 'one call met the latency');
				const hungItem = itemOfRequest(hung);
				assert.deepEqual(ocr.map(itemOfRequest).sort(), [0, 1, 2, 3], 'each item sent once');
				assertPassports(execution, 4, [hungItem]);
				const error = errorOf(execution.json('OCR', 0)[hungItem]);
				assert.equal(error.message, 'Apptenticate did not answer within 2 s');
				assert.match(
					error.description,
					/may have received and processed \(and billed\) the request, so it was not sent again/,
				);
				env.note(
					`hung call: item ${hungItem + 1} hung; ${ocr.length} OCR requests, ${routeCount(requests, 'token')} token request(s)`,
				);
			});

			it('the other 3 items were sent while the hung call was pending (no item waits for another item)', async () => {
				const { requests } = await run();
				const ocr = requests.filter((r) => r.route === 'ocr');
				const hung = ocr.find((r) => r.fault === 'latency');
				const hungEnded = hung.t + hung.durationMs;
				for (const other of ocr.filter((r) => r !== hung)) {
					assert.ok(
						other.t < hungEnded,
						`item ${itemOfRequest(other) + 1} was sent ${other.t - hung.t} ms after the hung call began, which n8n gave up after ${hung.durationMs} ms`,
					);
					assert.equal(other.status, 200);
				}
			});
		});

		describe('requests dropped connection', () => {
			it('a dropped OCR connection is not re-sent: 1 request for that item, the others succeed', async () => {
				const { execution, requests } = await runWith('requests-ocr-drop', [
					{ kind: 'drop', path: '/apptenticate/api/v3/ocr/', times: 1 },
				]);
				const ocr = requests.filter((r) => r.route === 'ocr');
				const dropped = ocr.find((r) => r.fault === 'drop');
				assert.ok(dropped, 'one call was dropped');
				const droppedItem = itemOfRequest(dropped);
				assert.equal(ocr.length, 4, `OCR requests: ${ocr.length}`);
				assert.equal(
					ocr.filter((r) => itemOfRequest(r) === droppedItem).length,
					1,
					'the dropped item was sent once',
				);
				assertPassports(execution, 4, [droppedItem]);
				const error = errorOf(execution.json('OCR', 0)[droppedItem]);
				assert.match(
					error.message,
					/^The connection to Apptenticate was closed before its answer came/,
				);
				assert.match(error.description, /so it was not sent again/);
				env.note(`dropped OCR: "${error.message}"`);
			});

			it('a dropped Progeny task look-up is sent again and the item succeeds', async () => {
				const { execution, requests } = await runWith('requests-progeny-drop', [
					{ kind: 'drop', path: '/services/task/', times: 1 },
				]);
				assert.ok(execution.ok, execution.describe());
				const items = execution.json('Progeny', 0);
				assert.deepEqual(
					items.map((json) => json.error ?? null),
					[null, null],
					JSON.stringify(items.map((json) => json.error)),
				);
				assert.deepEqual(
					items.map((json) => json.documentNumber),
					['FE123456', 'PX7654321'],
				);
				const polls = requests.filter((r) => r.route === 'task');
				const droppedPoll = polls.findIndex((r) => r.fault === 'drop');
				assert.ok(droppedPoll >= 0, 'one look-up was dropped');
				assert.equal(polls[droppedPoll].status, null, 'no answer to it');
				assert.equal(routeCount(requests, 'ocrPassport'), 2, 'each passport uploaded once');
				const sameTask = polls
					.slice(droppedPoll + 1)
					.find((r) => r.query === polls[droppedPoll].query);
				assert.ok(sameTask && sameTask.status === 200, 'the same task was looked up again');
			});
		});

		describe('requests login is a call like the others', () => {
			for (const [name, kind] of [
				['requests-login-503', '503'],
				['requests-login-drop', 'drop'],
			]) {
				it(`the token endpoint ${kind === 'drop' ? 'dropping the connection' : 'answering 503'} once: no item fails, 2 token requests`, async () => {
					const { execution, requests } = await runWith(name, [
						{ kind, path: '/apptenticate/api/token/', times: 1 },
					]);
					assertPassports(execution, 3);
					const tokens = requests.filter((r) => r.route === 'token');
					assert.deepEqual(
						tokens.map((r) => r.fault ?? r.status),
						[kind, 200],
						'the failed login, then one that worked',
					);
					assert.equal(routeCount(requests, 'ocr'), 3);
				});
			}
		});

		describe('requests refused login', () => {
			it('3 items with a wrong password cost exactly 1 token request, and each item says the login was refused', async () => {
				const { execution, requests } = await runWith('requests-login-refused');
				assert.ok(execution.ok, execution.describe());
				const tokens = requests.filter((r) => r.route === 'token');
				assert.equal(tokens.length, 1, `token requests: ${tokens.length}`);
				assert.equal(tokens[0].status, 401);
				assert.equal(routeCount(requests, 'ocr'), 0, 'no OCR call without a token');
				const items = execution.json('OCR', 0);
				assert.equal(items.length, 3);
				for (const json of items)
					assert.match(
						errorOf(json).message,
						/^Apptenticate refused the username or password of the credential/,
					);
				assert.doesNotMatch(JSON.stringify(items), /EKYC_LOGIN|not-the-password/);
			});
		});

		describe('requests token expiring mid-batch at Concurrency 10', () => {
			const run = env.once('expiry', async () => {
				env.sandbox.clearFaults();
				// The first 10 calls are held 3 s; while they are in flight, every token expires,
				// so the next 10 (sent together as the first 10 end) all meet a 401 at once.
				env.sandbox.setFault({
					kind: 'latency',
					path: '/apptenticate/api/v3/ocr/',
					ms: 3000,
					times: 10,
				});
				const mark = env.mark();
				const executing = env.execute('requests-expiry');
				let expiredWhileInFlight = 0;
				for (let waited = 0; waited < 60_000; waited += 50) {
					if (env.requestsSince(mark, { route: 'ocr' }).length >= 10) {
						expiredWhileInFlight = env.sandbox.expireTokens();
						break;
					}
					await sleep(50);
				}
				const execution = await executing;
				env.sandbox.clearFaults();
				return { execution, requests: env.requestsSince(mark), expiredWhileInFlight };
			});

			it('20 passports, 10 in flight when the token expires: every item succeeds', async () => {
				const { execution, requests, expiredWhileInFlight } = await run();
				assert.ok(expiredWhileInFlight > 0, 'the token was expired while 10 calls were in flight');
				assertPassports(execution, 20);
				assert.ok(
					env.sandbox.counters().maxInFlight.apptenticate >= 10,
					'10 calls were in flight at once',
				);
				assert.ok(
					requests.some((r) => r.route === 'ocr' && r.status === 401),
					'some call met the expired token',
				);
			});

			it('the expiry costs exactly 1 token request, however many calls met the 401', async () => {
				const { requests } = await run();
				const firstRejected = requests.findIndex((r) => r.route === 'ocr' && r.status === 401);
				assert.ok(firstRejected >= 0, 'some call met the expired token');
				const rejected = requests.filter((r) => r.route === 'ocr' && r.status === 401).length;
				const tokens = requests.filter((r) => r.route === 'token');
				const renewals = tokens.filter((r) => r.t >= requests[firstRejected].t).length;
				env.note(
					`mid-batch expiry at Concurrency 10: ${rejected} calls answered 401, ${renewals} token request(s) for the expiry, ${tokens.length} in all`,
				);
				assert.equal(
					renewals,
					1,
					`token requests after the expiry: ${renewals} (for ${rejected} calls answered 401)`,
				);
				assert.equal(tokens.length, 2, 'one login at the start, one for the expiry');
				assert.equal(routeCount(requests, 'ocr') - rejected, 20, 'each item answered once');
			});
		});
	},
);
