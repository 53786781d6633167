import nock from 'nock';
import { ProgenyApi } from '../../../credentials/ProgenyApi.credentials';
import { httpRequest } from '../../helpers/fakeN8n';
import { bearerAuthentication } from '../../../nodes/shared/tokenCredential';
import { BASE, ORIGIN, TOKEN_PATH, requestsTo, resetHttp, tokenEndpoint } from './fixtures';

const credential = new ProgenyApi();
const login = (data: Record<string, unknown>) =>
	credential.preAuthentication.call({ helpers: { httpRequest } } as never, data as never);

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe('Progeny credential', () => {
	it('logs in with JSON username/password at /accounts/token/obtain/ and keeps the access token', async () => {
		tokenEndpoint('access-jwt');
		const result = await login({ baseUrl: ` ${BASE}// `, username: 'ops', password: 'pw' });
		expect(result).toEqual({ accessToken: 'access-jwt' });
		const [request] = requestsTo(TOKEN_PATH);
		expect(request.method).toBe('POST');
		expect(JSON.parse(request.body.toString())).toEqual({ username: 'ops', password: 'pw' });
	});

	it.each([400, 401])(
		'a refused login (%p) reads clearly, without the password',
		async (status) => {
			nock(ORIGIN)
				.post(TOKEN_PATH)
				.reply(status, { detail: 'No active account found with the given credentials' });
			const error = await login({
				baseUrl: BASE,
				username: 'ops',
				password: 'pw-secret-123',
			}).catch((e: Error) => e);
			expect((error as Error).message).toBe(
				`Progeny refused the username or password of the credential (HTTP ${status})`,
			);
			expect(JSON.stringify(error)).not.toContain('pw-secret-123');
			expect((error as Error & { cause?: unknown }).cause).toBeUndefined();
		},
	);

	it('a server error names the address and status', async () => {
		nock(ORIGIN).post(TOKEN_PATH).reply(500, 'down');
		await expect(login({ baseUrl: BASE, username: 'ops', password: 'pw' })).rejects.toThrow(
			`Could not obtain a Progeny token from ${BASE}/accounts/token/obtain/ (HTTP 500)`,
		);
	});

	it('an answer without an access token is an error', async () => {
		nock(ORIGIN).post(TOKEN_PATH).reply(200, { refresh: 'only-refresh' });
		await expect(login({ baseUrl: BASE, username: 'ops', password: 'pw' })).rejects.toThrow(
			'Progeny answered the login without a token',
		);
	});

	it('declares the fields, the expirable hidden token, the bearer header and a test request', () => {
		expect(credential.name).toBe('progenyApi');
		const byName = Object.fromEntries(
			credential.properties.map((property) => [property.name, property]),
		);
		expect(byName.baseUrl.default).toBe('https://be.progeny.tech/api/v3');
		expect(byName.password.typeOptions?.password).toBe(true);
		expect(byName.accessToken).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(credential.authenticate).toBe(bearerAuthentication);
		expect(credential.test.request).toMatchObject({
			url: '/accounts/token/obtain/',
			method: 'POST',
		});
	});
});
