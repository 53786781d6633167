import { sleep } from 'n8n-workflow';
import type { IDataObject, NodeApiError } from 'n8n-workflow';
import nock from 'nock';
import { LinkCertificate } from '../../../nodes/Link/LinkCertificate.node';
import type { CredentialSetup } from '../../helpers/fakeN8n';
import { runNode, sentRequests } from '../../helpers/fakeN8n';
import {
	BASE,
	PDF,
	REQUEST_ID,
	linkCredential,
	requestsTo,
	resetHttp,
	tokenEndpoint,
} from './fixtures';

const node = new LinkCertificate();
const CERTIFICATE_PATH = `/certificate/${REQUEST_ID}`;
const certificateAnswer = (content: Buffer | string = PDF) => ({
	id: REQUEST_ID,
	content: Buffer.isBuffer(content) ? content.toString('base64') : content,
});

function run(
	parameters: Record<string, unknown> = {},
	extra: {
		items?: number | IDataObject[];
		credential?: CredentialSetup;
		continueOnFail?: boolean;
	} = {},
) {
	const items = Array.isArray(extra.items)
		? extra.items
		: Array.from({ length: extra.items ?? 1 }, () => ({}));
	return runNode(node, {
		items: items.map((json) => ({ json })),
		parameters: {
			operation: 'byId',
			requestId: REQUEST_ID,
			certificateUrl: '',
			binaryPropertyName: 'certificate',
			options: {},
			...parameters,
		},
		credential: extra.credential ?? linkCredential(),
		continueOnFail: extra.continueOnFail,
	});
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected the node to fail');
}

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe('LINK Certificate: by request ID', () => {
	it('GET /certificate/{id} with the bearer token; the PDF as binary data named <id>.pdf', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(200, certificateAnswer());
		const [item] = await run();
		expect(item.json).toEqual({
			requestId: REQUEST_ID,
			fileName: `${REQUEST_ID}.pdf`,
			ready: true,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		const binary = item.binary!.certificate;
		expect(binary).toMatchObject({ mimeType: 'application/pdf', fileName: `${REQUEST_ID}.pdf` });
		expect(Buffer.from(binary.data, 'base64').equals(PDF)).toBe(true);
		const [call] = requestsTo(CERTIFICATE_PATH);
		expect(call.method).toBe('GET');
		expect(call.headers.authorization).toBe('Bearer token-1');
	});

	it('the output binary property can be named; the id is trimmed and escaped in the path', async () => {
		tokenEndpoint();
		nock(BASE)
			.get('/certificate/crm%2F42')
			.reply(200, { id: 'crm/42', content: PDF.toString('base64') });
		const [item] = await run({ requestId: ' crm/42 ', binaryPropertyName: 'pdf' });
		expect(Object.keys(item.binary!)).toEqual(['pdf']);
		expect(item.json.fileName).toBe('crm_42.pdf');
	});

	it('404: "no certificate (yet)" for that id', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(404);
		const error = await failure(run());
		expect(error.message).toBe(`LINK Mobility has no certificate (yet) for request ${REQUEST_ID}`);
		expect(error.context).toMatchObject({ requestId: REQUEST_ID, itemIndex: 0 });
	});

	it('404 with continue on fail: an error item with the request id', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(404);
		const items = await run({}, { continueOnFail: true });
		expect(items).toEqual([
			{
				json: {
					error: expect.objectContaining({
						message: `LINK Mobility has no certificate (yet) for request ${REQUEST_ID}`,
						requestId: REQUEST_ID,
					}),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('an answer without content reads as "no certificate yet"', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(200, { id: REQUEST_ID, content: '' });
		const error = await failure(run());
		expect(error.message).toBe(`LINK Mobility has no certificate (yet) for request ${REQUEST_ID}`);
	});

	it('content that is not a PDF is an error', async () => {
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.reply(200, certificateAnswer(Buffer.from('<html>login</html>')));
		const error = await failure(run());
		expect(error.message).toBe(
			`LINK Mobility answered the certificate of request ${REQUEST_ID} (not a PDF) with something unexpected`,
		);
	});

	it('an empty request ID fails before anything is sent', async () => {
		const error = await failure(run({ requestId: '  ' }));
		expect(error.message).toBe('Item 1: "Request ID" is empty');
		expect(sentRequests).toHaveLength(0);
	});

	it('401: the token is renewed and the download retried', async () => {
		nock(BASE).get(CERTIFICATE_PATH).matchHeader('authorization', 'Bearer old').reply(401);
		tokenEndpoint(1, 'new');
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.matchHeader('authorization', 'Bearer new')
			.reply(200, certificateAnswer());
		const [item] = await run({}, { credential: linkCredential('old') });
		expect(item.json.ready).toBe(true);
	});
});

describe("LINK Certificate: by URL (a callback's urlCertificateFile)", () => {
	it("downloads from the URL when it is on the credential's address; the id is its last segment", async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(200, certificateAnswer());
		const [item] = await run({
			operation: 'byUrl',
			certificateUrl: ` ${BASE}${CERTIFICATE_PATH} `,
		});
		expect(item.json).toEqual({
			requestId: REQUEST_ID,
			fileName: `${REQUEST_ID}.pdf`,
			ready: true,
		});
		expect(requestsTo(CERTIFICATE_PATH)).toHaveLength(1);
	});

	test.each([
		[
			'https://evil.example/certificate/abc',
			"the URL is on https://evil.example, not on the credential's LINK Mobility address https://link.test",
		],
		[
			'http://link.test/certificate/abc',
			"the URL is on http://link.test, not on the credential's LINK Mobility address https://link.test",
		],
		['https://link.test:8443/certificate/abc', 'the URL is on https://link.test:8443, not on'],
		['not a url', '"not a url" is not a URL'],
		['https://link.test/', 'names no request ID'],
	])('%s is refused, nothing is sent (no token leaves)', async (url, problem) => {
		const error = await failure(run({ operation: 'byUrl', certificateUrl: url }));
		expect(error.message).toContain('Item 1: "Certificate URL" refused: ');
		expect(error.message).toContain(problem);
		expect(sentRequests).toHaveLength(0);
	});

	it('an empty URL names the field', async () => {
		const error = await failure(run({ operation: 'byUrl', certificateUrl: '' }));
		expect(error.message).toBe('Item 1: "Certificate URL" is empty');
	});
});

describe('LINK Certificate: wait until ready', () => {
	it('asks again after 404s until the certificate is there', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).times(2).reply(404);
		nock(BASE).get(CERTIFICATE_PATH).reply(200, certificateAnswer());
		const started = Date.now();
		const [item] = await run({ options: { waitUntilReady: true, pollInterval: 0.05, timeout: 5 } });
		expect(item.json.ready).toBe(true);
		expect(requestsTo(CERTIFICATE_PATH)).toHaveLength(3);
		expect(Date.now() - started).toBeGreaterThanOrEqual(100);
	});

	it('the last attempt is at the timeout (the shared deadline rule), not one interval before it', async () => {
		const attempts: number[] = [];
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.times(100)
			.reply(() => {
				attempts.push(Date.now());
				return [404];
			});
		const started = Date.now();
		// A stored token: no login before the first attempt.
		const error = await failure(
			run(
				{ options: { waitUntilReady: true, pollInterval: 0.4, timeout: 1 } },
				{ credential: linkCredential('token-1') },
			),
		);
		expect(error.message).toBe(
			`Item 1: LINK Mobility had no certificate for request ${REQUEST_ID} within 1 seconds`,
		);
		// Attempts at about 0, 0.4, 0.8 and 1 s: the last wait is cut to end at the timeout (the old
		// rule stopped after the attempt at 0.8 s, every wait a full interval).
		const last = attempts[attempts.length - 1];
		expect(last - started).toBeGreaterThanOrEqual(995);
		expect(last - attempts[attempts.length - 2]).toBeLessThan(350);
	});

	it('12 certificates waited for at Concurrency 2: each waits without holding a slot, output in input order', async () => {
		// A certificate is there only once every request was asked for: 2 waiting items holding
		// both slots (the old behaviour) could never finish this.
		tokenEndpoint();
		const ids = Array.from({ length: 12 }, (_, i) => `request-${i}`);
		const asked = new Set<string>();
		let inFlight = 0;
		let maxInFlight = 0;
		nock(BASE)
			.get(/^\/certificate\/request-\d+$/)
			.times(1000)
			.reply(async (uri) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await sleep(5);
				inFlight--;
				const id = uri.split('/').pop()!;
				asked.add(id);
				return asked.size < ids.length ? [404] : [200, { id, content: PDF.toString('base64') }];
			});
		const output = await run(
			{
				requestId: (i: number) => ids[i],
				options: { waitUntilReady: true, pollInterval: 0.05, timeout: 5, concurrency: 2 },
			},
			{ items: ids.map((id, i) => ({ person: `person ${i}`, transactionId: id })) },
		);
		expect(output.map((item) => item.json)).toEqual(
			ids.map((id, i) => ({
				person: `person ${i}`,
				transactionId: id,
				requestId: id,
				fileName: `${id}.pdf`,
				ready: true,
			})),
		);
		expect(output.map((item) => item.pairedItem)).toEqual(ids.map((_, i) => ({ item: i })));
		expect(maxInFlight).toBeLessThanOrEqual(2);
	});

	it.each([
		[
			{ pollInterval: 0 },
			'Item 1: "Poll Interval (Seconds)" must be a number of seconds greater than 0',
		],
		[
			{ timeout: 'later' },
			'Item 1: "Timeout (Seconds)" must be a number of seconds greater than 0',
		],
	])('bad wait options %p fail before anything is sent', async (options, message) => {
		const error = await failure(run({ options: { waitUntilReady: true, ...options } }));
		expect(error.message).toBe(message);
		expect(sentRequests).toHaveLength(0);
	});

	it('gives up at the timeout with an error naming the request', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).times(100).reply(404);
		const error = await failure(
			run({ options: { waitUntilReady: true, pollInterval: 0.05, timeout: 0.3 } }),
		);
		expect(error.message).toBe(
			`Item 1: LINK Mobility had no certificate for request ${REQUEST_ID} within 0.3 seconds`,
		);
		expect(error.context.requestId).toBe(REQUEST_ID);
		// Attempts at 0, 0.05, 0.1 ... s: never past the timeout.
		const attempts = requestsTo(CERTIFICATE_PATH).length;
		expect(attempts).toBeGreaterThanOrEqual(2);
		expect(attempts).toBeLessThanOrEqual(7);
	});

	it('another error is not waited out', async () => {
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.reply(500, { code: '001', message: 'Unknown Error: Error processing request' });
		const error = await failure(
			run({ options: { waitUntilReady: true, pollInterval: 0.05, timeout: 5 } }),
		);
		expect(error.message).toBe(
			'LINK Mobility could not process the request (code 001): Unknown Error: Error processing request',
		);
		expect(requestsTo(CERTIFICATE_PATH)).toHaveLength(1);
	});

	it('stops when the execution is cancelled', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).times(100).reply(404);
		const controller = new AbortController();
		const promise = runNode(node, {
			items: [{ json: {} }],
			parameters: {
				operation: 'byId',
				requestId: REQUEST_ID,
				binaryPropertyName: 'certificate',
				options: { waitUntilReady: true, pollInterval: 10, timeout: 60 },
			},
			credential: linkCredential(),
			signal: controller.signal,
		});
		await sleep(100);
		controller.abort();
		const error = await failure(promise);
		expect(error.message).toBe('The execution was cancelled');
	});
});

describe('LINK Certificate: the input record', () => {
	it("keeps the input item's fields (the person's record) by default, next to requestId, fileName and ready", async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(200, certificateAnswer());
		const person = {
			vendor: 'linkMobility',
			givenNames: 'LUIS',
			documentNumber: '12345678Z',
			transactionId: REQUEST_ID,
		};
		const [item] = await run({}, { items: [person] });
		expect(item.json).toEqual({
			...person,
			requestId: REQUEST_ID,
			fileName: `${REQUEST_ID}.pdf`,
			ready: true,
		});
		expect(Object.keys(item.binary!)).toEqual(['certificate']);
	});

	it('Keep Input Fields off: only requestId, fileName and ready', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(200, certificateAnswer());
		const [item] = await run(
			{ options: { keepInputFields: false } },
			{ items: [{ givenNames: 'LUIS' }] },
		);
		expect(item.json).toEqual({
			requestId: REQUEST_ID,
			fileName: `${REQUEST_ID}.pdf`,
			ready: true,
		});
	});

	it('the wait defaults shown in n8n are the ones the code uses', () => {
		const options = node.description.properties.find((property) => property.name === 'options')!
			.options as Array<{
			name: string;
			default: unknown;
		}>;
		const defaults = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(defaults).toMatchObject({
			pollInterval: 10,
			timeout: 300,
			keepInputFields: true,
			waitUntilReady: false,
		});
	});
});
