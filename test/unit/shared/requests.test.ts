import { sleep, NodeApiError } from 'n8n-workflow';
/**
 * The shared request layer against a real HTTP server on 127.0.0.1 (not nock): time-outs,
 * dropped connections, redirects, refused connections and single-flight logins behave as
 * sockets do. The nodes run through the n8n stand-in (test/helpers/fakeN8n.ts).
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { ApptenticateApi } from '../../../credentials/ApptenticateApi.credentials';
import { ApptenticateOcr } from '../../../nodes/Apptenticate/ApptenticateOcr.node';
import { ProgenyApi } from '../../../credentials/ProgenyApi.credentials';
import { ProgenyPassportOcr } from '../../../nodes/Progeny/ProgenyPassportOcr.node';
import { readHttpFailure } from '../../../nodes/shared/errors';
import type { HttpFailure } from '../../../nodes/shared/errors';
import { authenticatedRequest, retryDelayMs } from '../../../nodes/shared/http';
import type { VendorConnection } from '../../../nodes/shared/http';
import { freeAnsweredBody, newRequestBody } from '../../../nodes/shared/requestBody';
import {
	REFUSED_LOGIN_PAUSE_MS,
	obtainAccessToken,
	tokenExpiry,
} from '../../../nodes/shared/tokenCredential';
import { baseContext, binaryItem, httpRequest, runNode, testNode } from '../../helpers/fakeN8n';
import { makeJpeg } from '../../helpers/images';
import { Vendor } from '../../helpers/vendorServer';
import type { VendorResponse } from '../../helpers/vendorServer';

const json = (
	res: VendorResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) =>
	res
		.writeHead(status, { 'content-type': 'application/json', ...headers })
		.end(JSON.stringify(body));

const OCR = '/api/v3/ocr/';
const TOKEN = '/api/token/';
const PASSPORT = { document_number: 'PA123', names: 'Ana', surnames: 'Diaz', valid: true };
let vendor: Vendor;

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
beforeEach(async () => {
	vendor = await new Vendor().start();
	vendor.routes.set(`POST ${TOKEN}`, (_req, res) =>
		json(res, 200, { access: 'token-1', refresh: 'r' }),
	);
});
afterEach(async () => await vendor.stop());

function ocr(
	items: number,
	options: IDataObject = {},
	accessToken = '',
	extra: { continueOnFail?: boolean } = {},
) {
	return runNode(new ApptenticateOcr(), {
		items: Array.from({ length: items }, () => binaryItem({ front: makeJpeg('front') })),
		parameters: {
			documentType: 'passport',
			frontImageProperty: 'front',
			validateSides: false,
			options: { includeRaw: false, ...options },
		},
		credential: {
			type: new ApptenticateApi(),
			data: { baseUrl: vendor.url, username: 'ops', password: 'pw', accessToken },
		},
		continueOnFail: extra.continueOnFail ?? true,
	});
}

describe('retries: only what the vendor provably did not process', () => {
	test.each([
		['429', { kind: 'answer', status: 429, retryAfterSeconds: 1 }, 1000, 1000],
		['503', { kind: 'answer', status: 503 }, 1000, 1000],
		['connection refused', { kind: 'unreachable', networkCode: 'ECONNREFUSED' }, 1000, 1000],
		['time-out', { kind: 'timeout' }, undefined, 1000],
		['dropped connection', { kind: 'dropped', networkCode: 'ECONNRESET' }, undefined, 1000],
		['502', { kind: 'answer', status: 502 }, undefined, 1000],
		['504', { kind: 'answer', status: 504 }, undefined, 1000],
		['500', { kind: 'answer', status: 500 }, undefined, undefined],
		['400', { kind: 'answer', status: 400 }, undefined, undefined],
	] as const)('%s: billed call %p, look-up %p', (_, failure, billed, lookUp) => {
		expect(retryDelayMs(failure, 0, false)).toBe(billed);
		expect(retryDelayMs(failure, 0, true)).toBe(lookUp);
		expect(retryDelayMs(failure, 2, true)).toBeUndefined();
	});

	it('n8n 1.x and 2.x wrappings of the same dropped connection read the same', () => {
		const axios = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const v2 = Object.assign(new Error('socket hang up'), { cause: axios, httpCode: null });
		// 1.x: no cause, the code only in httpCode.
		const v1 = Object.assign(new Error('The connection to the server was closed unexpectedly'), {
			httpCode: 'ECONNRESET',
		});
		expect(readHttpFailure(v2)).toMatchObject({ kind: 'dropped', networkCode: 'ECONNRESET' });
		expect(readHttpFailure(v1)).toMatchObject({ kind: 'dropped', networkCode: 'ECONNRESET' });
		const refused = Object.assign(new Error('connect ECONNREFUSED'), { httpCode: 'ECONNREFUSED' });
		expect(readHttpFailure(refused)).toMatchObject({ kind: 'unreachable' });
		const timeout = Object.assign(new Error('timeout of 1000ms exceeded'), {
			httpCode: 'ECONNABORTED',
		});
		expect(readHttpFailure(timeout)).toMatchObject({ kind: 'timeout' });
	});

	it('a billed call that times out is sent once, and the error says what happened and what to check', async () => {
		vendor.routes.set(`POST ${OCR}`, () => {
			/* never answers */
		});
		const [item] = await ocr(1, { requestTimeout: 1 });
		expect(vendor.count(OCR)).toBe(1);
		expect(item.json.error).toMatchObject({
			message: 'Apptenticate did not answer within 1 s',
			description: expect.stringContaining(
				'may have received and processed (and billed) the request, so it was not sent again',
			),
		});
	});

	it('a billed call whose connection drops after sending is not sent again', async () => {
		vendor.routes.set(`POST ${OCR}`, (req) => req.socket.destroy());
		const [item] = await ocr(1);
		expect(vendor.count(OCR)).toBe(1);
		expect((item.json.error as IDataObject).message).toMatch(
			/^The connection to Apptenticate was closed before its answer came/,
		);
	});

	it('"Retry Uncertain Failures" sends it again', async () => {
		let calls = 0;
		vendor.routes.set(`POST ${OCR}`, (req, res) =>
			++calls === 1 ? req.socket.destroy() : json(res, 200, PASSPORT),
		);
		const [item] = await ocr(1, { retryUncertain: true });
		expect(vendor.count(OCR)).toBe(2);
		expect(item.json.documentNumber).toBe('PA123');
	});

	it('a status look-up (Progeny task) is sent again after a dropped connection', async () => {
		let calls = 0;
		vendor.routes.set('POST /accounts/token/obtain/', (_req, res) =>
			json(res, 200, { access: 't', refresh: 'r' }),
		);
		vendor.routes.set('GET /services/task/', (req, res) =>
			++calls === 1 ? req.socket.destroy() : json(res, 200, { id: 'task-1', status: 'PENDING' }),
		);
		const [item] = await runNode(new ProgenyPassportOcr(), {
			items: [{ json: {} }],
			parameters: { operation: 'getTaskResult', taskId: 'task-1', options: {} },
			credential: {
				type: new ProgenyApi(),
				data: { baseUrl: vendor.url, username: 'u', password: 'p', accessToken: '' },
			},
			continueOnFail: true,
		});
		expect(vendor.count('/services/task/')).toBe(2);
		expect(item.json.vendorDetails).toMatchObject({ taskId: 'task-1', taskStatus: 'PENDING' });
	});

	it('a refused connection is retried (nothing was sent), then explained', async () => {
		const port = vendor.port;
		await vendor.stop();
		const output = await runNode(new ApptenticateOcr(), {
			items: [binaryItem({ front: makeJpeg('front') })],
			parameters: {
				documentType: 'passport',
				frontImageProperty: 'front',
				validateSides: false,
				options: {},
			},
			credential: {
				type: new ApptenticateApi(),
				data: {
					baseUrl: `http://127.0.0.1:${port}`,
					username: 'ops',
					password: 'pw',
					accessToken: 'stored',
				},
			},
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({
			message: 'Apptenticate could not be reached (ECONNREFUSED)',
		});
		vendor = await new Vendor().start();
	}, 15_000);
});

describe("the token goes only to the credential's address", () => {
	it('a redirect on the same address is followed with the token', async () => {
		vendor.routes.set(`POST ${OCR}`, (_req, res) =>
			res.writeHead(307, { location: '/api/v3/ocr-moved/' }).end(),
		);
		vendor.routes.set('POST /api/v3/ocr-moved/', (_req, res) => json(res, 200, PASSPORT));
		const [item] = await ocr(1);
		expect(item.json.documentNumber).toBe('PA123');
		expect(vendor.received.find((r) => r.path === '/api/v3/ocr-moved/')?.authorization).toBe(
			'Bearer token-1',
		);
	});

	it('a redirect to another port is not followed: the other server receives nothing', async () => {
		const collector = await new Vendor().start();
		collector.routes.set(`POST ${OCR}`, (_req, res) => json(res, 200, PASSPORT));
		vendor.routes.set(`POST ${OCR}`, (_req, res) =>
			res.writeHead(302, { location: `${collector.url}${OCR}` }).end(),
		);
		const [item] = await ocr(1);
		expect(collector.received).toHaveLength(0);
		await collector.stop();
		expect((item.json.error as IDataObject).message).toBe(
			`Apptenticate redirected the request to ${collector.url}, which is not the Apptenticate credential's address (${vendor.url}); the Apptenticate token is only sent to the credential's address, so the request was not sent there`,
		);
	});
});

describe("n8n 1.x's errors without the answer's headers do not matter: answers are read in full", () => {
	/**
	 * n8n 1.x's NodeApiError drops its cause (the axios error): a 3xx error keeps its status in
	 * `httpCode` and loses the Location (found in real n8n 1.123.81 by test/e2e/requests.e2e.js).
	 * The request helper asks n8n for every answer in full, so no call is sent again to read it.
	 */
	function n8n1Connection(): VendorConnection {
		const httpRequestWithAuthentication = async (_type: string, options: IHttpRequestOptions) => {
			try {
				return await httpRequest({
					...options,
					headers: { ...options.headers, Authorization: 'Bearer token-1' },
				});
			} catch (error) {
				const status = (error as { response?: { status?: number } }).response?.status;
				throw Object.assign(new NodeApiError(testNode, { message: (error as Error).message }), {
					httpCode: status ? String(status) : null,
				});
			}
		};
		const ctx = {
			getNode: () => testNode,
			helpers: { httpRequestWithAuthentication },
		} as unknown as IExecuteFunctions;
		return {
			ctx,
			baseUrl: vendor.url,
			credentials: { id: '', name: '', type: 'apptenticateApi', data: {} },
			timeoutMs: 5000,
			retryUncertain: false,
		};
	}
	const api = { credentialType: 'apptenticateApi', vendorName: 'Apptenticate' };
	const toError = (failure: HttpFailure) =>
		Object.assign(new Error(failure.message ?? `HTTP ${failure.status}`), { failure }) as never;
	const lookUp = (method: 'GET' | 'POST', idempotent: boolean) =>
		authenticatedRequest(
			api,
			n8n1Connection(),
			{ method, url: `${vendor.url}/status/`, json: true, idempotent },
			toError,
		);

	it('a look-up redirected on the same address is followed with the token, asked once', async () => {
		vendor.routes.set('GET /status/', (_req, res) =>
			res.writeHead(302, { location: '/status-moved/' }).end(),
		);
		vendor.routes.set('GET /status-moved/', (_req, res) => json(res, 200, { ready: true }));
		await expect(lookUp('GET', true)).resolves.toEqual({ ready: true });
		expect(vendor.count('/status/')).toBe(1);
		expect(vendor.received.find((r) => r.path === '/status-moved/')?.authorization).toBe(
			'Bearer token-1',
		);
	});

	it('a look-up redirected to another port is refused: the other server receives nothing', async () => {
		const collector = await new Vendor().start();
		collector.routes.set('GET /status/', (_req, res) => json(res, 200, { ready: true }));
		vendor.routes.set('GET /status/', (_req, res) =>
			res.writeHead(302, { location: `${collector.url}/status/` }).end(),
		);
		const error = await lookUp('GET', true).catch((caught: Error) => caught);
		expect(collector.received).toHaveLength(0);
		await collector.stop();
		expect((error as Error).message).toBe(
			`Apptenticate redirected the request to ${collector.url}, which is not the Apptenticate credential's address (${vendor.url}); the Apptenticate token is only sent to the credential's address, so the request was not sent there`,
		);
	});

	it('a billed call answered 303 is sent once, and its answer fetched at the Location', async () => {
		vendor.routes.set('POST /status/', (_req, res) =>
			res.writeHead(303, { location: '/status-moved/' }).end(),
		);
		vendor.routes.set('GET /status-moved/', (_req, res) => json(res, 200, { ready: true }));
		await expect(lookUp('POST', false)).resolves.toEqual({ ready: true });
		expect(vendor.count('/status/')).toBe(1);
	});

	it('an error answer keeps its status, body and Retry-After', async () => {
		vendor.routes.set('POST /status/', (_req, res) =>
			json(res, 400, { error_code: 7 }, { 'retry-after': '3' }),
		);
		const error = await lookUp('POST', false).catch((caught: { failure: HttpFailure }) => caught);
		expect((error as { failure: HttpFailure }).failure).toMatchObject({
			kind: 'answer',
			status: 400,
			body: { error_code: 7 },
			retryAfterSeconds: 3,
		});
		expect(vendor.count('/status/')).toBe(1);
	});
});

describe('one login per account and token lifetime', () => {
	it('a token expiring under 10 requests in flight costs one login, and every item succeeds', async () => {
		vendor.routes.set(
			`POST ${TOKEN}`,
			(_req, res) =>
				void sleep(100).then(() => json(res, 200, { access: 'token-2', refresh: 'r' })),
		);
		vendor.routes.set(`POST ${OCR}`, (req, res) =>
			req.headers.authorization === 'Bearer token-2'
				? json(res, 200, PASSPORT)
				: json(res, 401, { detail: 'Token is invalid or expired' }),
		);
		const output = await ocr(10, { concurrency: 10 }, 'expired-token');
		expect(vendor.count(TOKEN)).toBe(1);
		expect(output.map((item) => item.json.documentNumber)).toEqual(Array(10).fill('PA123'));
	});

	it('a 401 costs one login and one more send; a second 401 fails the item, with no third send', async () => {
		vendor.routes.set(`POST ${OCR}`, (_req, res) => json(res, 401, { detail: 'Token revoked' }));
		const [item] = await ocr(1, {}, 'stored-token');
		expect(vendor.count(OCR)).toBe(2);
		expect(vendor.count(TOKEN)).toBe(1);
		expect(vendor.received.filter((r) => r.path === OCR).map((r) => r.authorization)).toEqual([
			'Bearer stored-token',
			'Bearer token-1',
		]);
		expect(item.json.error).toMatchObject({
			message: expect.stringContaining('the credentials were refused'),
		});
	});

	it('a token refused with a 401 is forgotten: a new login replaces it, and later executions share that one', async () => {
		let revoked = false;
		vendor.routes.set(`POST ${TOKEN}`, (_req, res) =>
			json(res, 200, { access: revoked ? 'token-2' : 'token-1', refresh: 'r' }),
		);
		vendor.routes.set(`POST ${OCR}`, (req, res) =>
			req.headers.authorization === `Bearer ${revoked ? 'token-2' : 'token-1'}`
				? json(res, 200, PASSPORT)
				: json(res, 401, { detail: 'Token revoked' }),
		);
		await ocr(1);
		revoked = true;
		// A second execution still holding token-1 (read from the credential) meets the 401 once.
		await ocr(1, {}, 'token-1');
		const third = await ocr(1);
		expect(third[0].json.documentNumber).toBe('PA123');
		expect(vendor.count(TOKEN)).toBe(2);
		expect(vendor.received.filter((r) => r.path === OCR).map((r) => r.authorization)).toEqual([
			'Bearer token-1',
			'Bearer token-1',
			'Bearer token-2',
			'Bearer token-2',
		]);
	});

	it("with a stored token, no item waits for another item's vendor call", async () => {
		let first = true;
		vendor.routes.set(`POST ${OCR}`, (_req, res) => {
			const delay = first ? 400 : 0;
			first = false;
			void sleep(delay).then(() => json(res, 200, PASSPORT));
		});
		await ocr(4, { concurrency: 4 }, 'stored-token');
		expect(vendor.maxInFlight).toBeGreaterThanOrEqual(2);
		expect(vendor.count(TOKEN)).toBe(0);
	});

	it('a stored JWT near its expiry is renewed before it is sent: no request meets a 401', async () => {
		const now = Math.floor(Date.now() / 1000);
		const claims = Buffer.from(JSON.stringify({ iat: now - 295, exp: now + 5 })).toString(
			'base64url',
		);
		const nearlyExpired = `header.${claims}.signature`;
		vendor.routes.set(`POST ${OCR}`, (req, res) =>
			req.headers.authorization === 'Bearer token-1'
				? json(res, 200, PASSPORT)
				: json(res, 401, { detail: 'expired' }),
		);
		const output = await ocr(5, { concurrency: 5 }, nearlyExpired);
		expect(output.map((item) => item.json.documentNumber)).toEqual(Array(5).fill('PA123'));
		expect(vendor.count(TOKEN)).toBe(1);
		expect(vendor.received.filter((r) => r.path === OCR).map((r) => r.authorization)).toEqual(
			Array(5).fill('Bearer token-1'),
		);
	});

	it('the credential is read once per execution, not once per request', async () => {
		vendor.routes.set(`POST ${OCR}`, (_req, res) => json(res, 200, PASSPORT));
		const credential = {
			type: new ApptenticateApi(),
			data: { baseUrl: vendor.url, username: 'ops', password: 'pw', accessToken: '' },
		};
		let reads = 0;
		const context = baseContext({
			items: Array.from({ length: 6 }, () => binaryItem({ front: makeJpeg('front') })),
			parameters: {
				documentType: 'passport',
				frontImageProperty: 'front',
				validateSides: false,
				options: {},
			},
			credential,
		});
		const getCredentials = context.getCredentials;
		context.getCredentials = async (type: string) => {
			reads++;
			return await getCredentials(type);
		};
		const [output] = (await new ApptenticateOcr().execute.call(context as never)) as Array<
			Array<{ json: IDataObject }>
		>;
		expect(output).toHaveLength(6);
		expect(reads).toBe(1);
		expect(vendor.count(TOKEN)).toBe(1);
		// n8n stores the token with the credential; later executions start from it.
		expect(credential.data.accessToken).toBe('token-1');
	});

	const spec = (url: string, password = 'pw') => ({
		vendorName: 'Apptenticate',
		loginName: 'username',
		login: 'ops',
		password,
		lifetimeSeconds: 300,
		request: { method: 'POST' as const, url },
		tokenField: 'access',
	});

	it('a caller holding a token another request already replaced gets the new one without logging in', async () => {
		const url = `${vendor.url}${TOKEN}`;
		const fresh = await obtainAccessToken({ httpRequest } as never, { accessToken: '' }, spec(url));
		const stale = await obtainAccessToken(
			{ httpRequest } as never,
			{ accessToken: 'older-token' },
			spec(url),
		);
		expect(stale).toEqual(fresh);
		expect(vendor.count(TOKEN)).toBe(1);
		// The holder of the current token met a 401: it is replaced.
		await obtainAccessToken(
			{ httpRequest } as never,
			{ accessToken: fresh.accessToken },
			spec(url),
		);
		expect(vendor.count(TOKEN)).toBe(2);
	});

	it('different accounts never share a token', async () => {
		const url = `${vendor.url}${TOKEN}`;
		await Promise.all([
			obtainAccessToken({ httpRequest } as never, {}, spec(url, 'pw')),
			obtainAccessToken({ httpRequest } as never, {}, spec(url, 'other-password')),
			obtainAccessToken({ httpRequest } as never, {}, spec(`${url}?tenant=2`, 'pw')),
		]);
		expect(vendor.count(TOKEN)).toBe(3);
	});

	it(`a refused login is not tried again for ${REFUSED_LOGIN_PAUSE_MS / 1000} s, but a corrected password is`, async () => {
		vendor.routes.set(`POST ${TOKEN}`, (_req, res) =>
			json(res, 401, { detail: 'No active account found' }),
		);
		const url = `${vendor.url}${TOKEN}`;
		for (let i = 0; i < 3; i++) {
			await expect(obtainAccessToken({ httpRequest } as never, {}, spec(url))).rejects.toThrow(
				'Apptenticate refused the username or password of the credential (HTTP 401)',
			);
		}
		expect(vendor.count(TOKEN)).toBe(1);
		await expect(
			obtainAccessToken({ httpRequest } as never, {}, spec(url, 'corrected')),
		).rejects.toThrow();
		expect(vendor.count(TOKEN)).toBe(2);
	});

	it("a token is kept no longer than its JWT's exp, else the answer's expiresIn, else the vendor's lifetime", () => {
		const jwt = (claims: object) =>
			`h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
		expect(tokenExpiry(jwt({ exp: 2_000_000_000 }), {}, 300, 0)).toBe(2_000_000_000_000);
		expect(tokenExpiry('opaque', { expiresIn: 3600 }, 300, 1000)).toBe(1000 + 3_600_000);
		expect(tokenExpiry('opaque', {}, 300, 1000)).toBe(1000 + 300_000);
	});
});

describe('a body built for one call is freed once the vendor has answered it', () => {
	const api = { credentialType: 'apptenticateApi', vendorName: 'Apptenticate' };
	const toError = (failure: HttpFailure) =>
		Object.assign(new Error(`HTTP ${failure.status}`), { failure }) as never;
	const received: Buffer[] = [];
	function post(body: Buffer, accessToken = 'token-1') {
		const httpRequestWithAuthentication = async (
			_type: string,
			options: IHttpRequestOptions,
			additional: { credentialsDecrypted: { data: IDataObject } },
		) =>
			await httpRequest({
				...options,
				headers: {
					...options.headers,
					Authorization: `Bearer ${String(additional.credentialsDecrypted.data.accessToken)}`,
				},
			});
		const connection: VendorConnection = {
			ctx: { getNode: () => testNode, helpers: { httpRequestWithAuthentication } } as never,
			baseUrl: vendor.url,
			credentials: { id: '', name: '', type: 'apptenticateApi', data: { accessToken } },
			timeoutMs: 5000,
			retryUncertain: false,
		};
		return authenticatedRequest(
			api,
			connection,
			{ method: 'POST', url: `${vendor.url}/upload/`, body, json: true },
			toError,
		);
	}
	/** A 3 MB body as multipartBody and jsonBody build it, and a copy to compare with. */
	function builtBody(): [Buffer, Buffer] {
		const body = newRequestBody(3 * 2 ** 20);
		for (let i = 0; i < body.length; i++) body[i] = i % 251;
		return [body, Buffer.from(body)];
	}
	beforeEach(() => (received.length = 0));

	it('after a 2xx answer its memory is given back, and the vendor had received it whole', async () => {
		vendor.routes.set('POST /upload/', (_req, res, body) => {
			received.push(body);
			json(res, 200, { id: 1 });
		});
		const [body, sent] = builtBody();
		await expect(post(body)).resolves.toEqual({ id: 1 });
		expect(received).toHaveLength(1);
		expect(received[0].equals(sent)).toBe(true);
		expect(body.length).toBe(0);
		expect(body.buffer.byteLength).toBe(0);
	});

	it('a refused token: the whole body is sent again with the new token, then freed', async () => {
		vendor.routes.set('POST /upload/', (req, res, body) => {
			received.push(body);
			if (req.headers.authorization === 'Bearer stale') json(res, 401, { detail: 'expired' });
			else json(res, 200, { id: 2 });
		});
		const [body, sent] = builtBody();
		await expect(post(body, 'stale')).resolves.toEqual({ id: 2 });
		expect(received.map((b) => b.equals(sent))).toEqual([true, true]);
		expect(body.length).toBe(0);
	});

	it('an error answer leaves it alone: a vendor may answer before it has read the body', async () => {
		vendor.routes.set('POST /upload/', (_req, res) => json(res, 400, { error_code: 7 }));
		const [body, sent] = builtBody();
		await expect(post(body)).rejects.toMatchObject({ failure: { status: 400 } });
		expect(body.equals(sent)).toBe(true);
	});

	it('a Buffer the package did not build for the call is never freed', async () => {
		vendor.routes.set('POST /upload/', (_req, res) => json(res, 200, { id: 3 }));
		const callers = Buffer.alloc(3 * 2 ** 20, 7);
		await post(callers);
		expect(callers.length).toBe(3 * 2 ** 20);
		expect(callers.every((byte) => byte === 7)).toBe(true);
	});

	it("a small body has memory of its own: freeing it leaves Node's shared Buffer pool whole", () => {
		const pooled = Buffer.from('other data');
		const small = newRequestBody(16);
		expect(small.buffer.byteLength).toBe(16);
		freeAnsweredBody(small);
		expect(small.length).toBe(0);
		expect(pooled.toString()).toBe('other data');
		expect(Buffer.from('more').toString()).toBe('more');
	});
});
