import nock from 'nock';
import { Expression } from 'n8n-workflow';
import {
	LINK_STAGE_URL,
	LinkMobilityKycApi,
	linkBaseUrl,
} from '../../../credentials/LinkMobilityKycApi.credentials';
import { httpRequest } from '../../helpers/fakeN8n';
import { BASE, PASSWORD, jsonOf, linkCredential, requestsTo, resetHttp } from './fixtures';

const credentialType = new LinkMobilityKycApi();

async function login(data = linkCredential().data) {
	return await credentialType.preAuthentication.call({ helpers: { httpRequest } } as never, data);
}

async function loginError(data = linkCredential().data): Promise<Error & { code?: string }> {
	try {
		await login(data);
	} catch (error) {
		return error as Error & { code?: string };
	}
	throw new Error('the login did not fail');
}

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe('LINK credential: base URL', () => {
	test.each([
		[{ environment: 'production' }, 'https://kyc-api.linkmobility.es'],
		[{}, 'https://kyc-api.linkmobility.es'],
		[{ environment: 'stage' }, 'https://kyc-api-stage.linkmobility.es:51443'],
		[
			{ environment: 'custom', baseUrl: ' https://sandbox.example:8443/kyc// ' },
			'https://sandbox.example:8443/kyc',
		],
		// The base URL field is only used for "custom".
		[
			{ environment: 'stage', baseUrl: 'https://elsewhere.example' },
			'https://kyc-api-stage.linkmobility.es:51443',
		],
	])('%p -> %s', (data, expected) => {
		expect(linkBaseUrl(data)).toBe(expected);
	});

	test.each([
		[{ environment: 'production', baseUrl: '' }],
		[{ environment: 'stage', baseUrl: '' }],
		[{ environment: 'custom', baseUrl: ' https://sandbox.example:8443// ' }],
	])('the credential test logs in, as typed, at the address linkBaseUrl gives: %p', (data) => {
		const { request } = credentialType.test;
		expect(request).toMatchObject({
			url: '/auth/token',
			method: 'POST',
			body: { user: '={{$credentials.user}}', password: '={{$credentials.password}}' },
		});
		expect(credentialType.test.rules).toEqual(
			expect.arrayContaining([
				{
					type: 'responseCode',
					properties: {
						value: 401,
						message: 'LINK Mobility refused the user or password of the credential',
					},
				},
				expect.objectContaining({
					type: 'responseCode',
					properties: expect.objectContaining({ value: 500 }),
				}),
			]),
		);
		// The n8n expression, evaluated by n8n's own expression evaluator.
		expect(
			Expression.resolveWithoutWorkflow(request.baseURL!.slice(1), { $credentials: data }),
		).toBe(linkBaseUrl(data));
	});

	it('sends the token as a bearer header', async () => {
		const sent = await credentialType.authenticate(
			{ accessToken: 'tok-1' },
			{ url: '/x', headers: { Accept: 'application/json' } },
		);
		expect(sent.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok-1' });
		const token = credentialType.properties.find((property) => property.name === 'accessToken');
		expect(token).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		const password = credentialType.properties.find((property) => property.name === 'password');
		expect(password?.typeOptions?.password).toBe(true);
	});
});

describe('LINK credential: login (POST /auth/token)', () => {
	it('posts user and password as JSON and returns the token for the hidden property', async () => {
		nock(BASE)
			.post('/auth/token')
			.reply(200, { token: 'eyJ.token', scopes: [], expiresIn: 3600, token_type: 'bearer' });
		await expect(login()).resolves.toEqual({ accessToken: 'eyJ.token' });
		expect(jsonOf('/auth/token')).toEqual({ user: 'kyc-user', password: PASSWORD });
		expect(requestsTo('/auth/token')[0].headers['content-type']).toBe('application/json');
	});

	it('logs in on the stage host for the stage environment', async () => {
		nock(LINK_STAGE_URL).post('/auth/token').reply(200, { token: 'stage-token' });
		await expect(
			login({ environment: 'stage', user: 'u', password: 'p', accessToken: '' }),
		).resolves.toEqual({
			accessToken: 'stage-token',
		});
	});

	it("500 with code 003 is a refused login, with LINK's words and without the password", async () => {
		nock(BASE)
			.post('/auth/token')
			.reply(500, { code: '003', message: 'Validation Error: Invalid credentials' });
		const error = await loginError();
		expect(error.message).toBe(
			'LINK Mobility refused the user or password of the credential (HTTP 500, code 003: Validation Error: Invalid credentials)',
		);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(PASSWORD);
		// No `code`: n8n 2.x's credential test would show the code instead of the sentence.
		expect(error).not.toHaveProperty('code');
		expect(error).not.toHaveProperty('cause');
	});

	it('401 is a refused login too', async () => {
		nock(BASE).post('/auth/token').reply(401);
		const error = await loginError();
		expect(error.message).toBe(
			'LINK Mobility refused the user or password of the credential (HTTP 401)',
		);
	});

	it('an unavailable token endpoint is tried three times, then the error says where the token was asked for', async () => {
		const endpoint = nock(BASE).post('/auth/token').times(3).reply(503);
		const error = await loginError();
		expect(error.message).toBe(
			'Could not obtain a LINK Mobility token from https://link.test/auth/token (HTTP 503) after 3 attempts',
		);
		expect(endpoint.isDone()).toBe(true);
	});

	it('a token endpoint that answers 503 once does not fail the login', async () => {
		nock(BASE)
			.post('/auth/token')
			.reply(503)
			.post('/auth/token')
			.reply(200, { token: 'second-try' });
		await expect(login()).resolves.toEqual({ accessToken: 'second-try' });
	});

	it('a 500 with another code is not called a refused password', async () => {
		nock(BASE)
			.post('/auth/token')
			.reply(500, { code: '001', message: 'Unknown Error: Error processing request' });
		const error = await loginError();
		expect(error.message).toBe(
			'Could not obtain a LINK Mobility token from https://link.test/auth/token (HTTP 500, code 001)',
		);
	});

	it('an answer without a token is an error', async () => {
		nock(BASE).post('/auth/token').reply(200, { scopes: [] });
		const error = await loginError();
		expect(error.message).toBe('LINK Mobility answered the login without a token');
	});
});
