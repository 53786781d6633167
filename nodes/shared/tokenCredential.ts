import { createHash } from 'crypto';
import { sleep } from 'n8n-workflow';
import type {
	IAuthenticateRuleResponseCode,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The vendor's short-lived token. n8n fills it through preAuthentication when it is empty and
 * stores it with the credential (so later executions and other workers reuse it). After a 401
 * the package's request helper empties it and sends the call again (see http.ts).
 */
export const accessTokenProperty: INodeProperties = {
	displayName: 'Access Token',
	name: 'accessToken',
	type: 'hidden',
	typeOptions: { expirable: true, password: true },
	default: '',
};

/**
 * Adds the stored token to a request. A function rather than n8n's generic form
 * (`'=Bearer {{$credentials.accessToken}}'`): n8n evaluates that expression for every request,
 * about 2 ms of CPU each, a fifth of the package's time per item in the benchmark.
 */
export async function bearerAuthentication(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.headers = {
		...requestOptions.headers,
		Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
	};
	return requestOptions;
}

/** Trims a base URL so that paths can be appended with a single slash. */
export function trimUrl(value: unknown): string {
	return String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/**
 * A credential Test that logs in with the user and password as typed (not with the token n8n
 * may have stored), with the vendor's answers to a wrong login in plain words.
 */
export function loginTest(
	request: ICredentialTestRequest['request'],
	refusedMessage: string,
	extraRules: IAuthenticateRuleResponseCode[] = [],
): ICredentialTestRequest {
	return {
		request,
		rules: [
			{ type: 'responseCode', properties: { value: 400, message: refusedMessage } },
			{ type: 'responseCode', properties: { value: 401, message: refusedMessage } },
			...extraRules,
		],
	};
}

export interface LoginSpec {
	vendorName: string;
	/** How the vendor names the login field in its own texts: "username" or "user". */
	loginName: string;
	/** The login and password as typed in the credential: with the URL, they identify the account. */
	login: string;
	password: string;
	request: IHttpRequestOptions;
	/** The answer's field holding the token. */
	tokenField: string;
	/** How long a token lives when it is no JWT and the answer gives no `expiresIn`. */
	lifetimeSeconds: number;
	/** Whether a failed login means a wrong login (rather than the service failing). */
	isRefusal?: (status: number | undefined, vendorCode: string | undefined) => boolean;
}

interface StoredToken {
	token: string;
	/** When it stops being valid, and when it is renewed instead of sent (a tenth of its life earlier, at most a minute). */
	expiresAt: number;
	renewAt: number;
}

/** When the tokens this process obtained are renewed, by token. */
const renewals = new Map<string, number>();

/**
 * Tokens of this n8n process, by account. Every request in flight at an expiry meets the 401 and
 * asks for a token: without this, each would log in again.
 */
const tokens = new Map<string, StoredToken>();
const loginsInFlight = new Map<string, Promise<StoredToken>>();
const refusals = new Map<string, { message: string; until: number }>();
/** Messages of recent failed logins, so that a node can tell them apart once n8n has wrapped them. */
const loginFailureMessages = new Map<string, LoginFailureKind>();

/** A refused login is not tried again for the same account and password for this long. */
export const REFUSED_LOGIN_PAUSE_MS = 60_000;
const MAX_RENEWAL_MARGIN_MS = 60_000;
/** Waits before the 2nd and 3rd login attempt when the token endpoint is busy or unreachable. */
export const LOGIN_RETRY_DELAYS_MS = [1000, 2000];

export type LoginFailureKind = 'refused' | 'failed';

/** The failed login an error message tells of (n8n may have wrapped it), if any. */
export function loginFailureOf(
	message: string,
): { message: string; kind: LoginFailureKind } | undefined {
	for (const [known, kind] of loginFailureMessages)
		if (message.includes(known)) return { message: known, kind };
	return undefined;
}

const renewAtFor = (issuedAt: number, expiresAt: number) =>
	expiresAt - Math.min(MAX_RENEWAL_MARGIN_MS, Math.max(0, expiresAt - issuedAt) / 10);

/**
 * Whether a token is due for renewal (near the end of its life: see StoredToken), so the request
 * helper renews it before the vendor refuses it with a 401. Tokens from another process (stored
 * with the credential) are judged by their JWT's `iat` and `exp`; others are sent as they are.
 */
export function tokenDueForRenewal(token: string, now = Date.now()): boolean {
	if (!token) return false;
	let renewAt = renewals.get(token);
	if (renewAt === undefined) {
		const claims = jwtClaims(token);
		if (claims.exp !== undefined) renewAt = renewAtFor(claims.iat ?? claims.exp, claims.exp);
	}
	return renewAt !== undefined && renewAt <= now;
}

function jwtClaims(token: string): { iat?: number; exp?: number } {
	const payload = token.split('.')[1];
	if (!payload) return {};
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
			iat?: unknown;
			exp?: unknown;
		};
		const seconds = (value: unknown) =>
			Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) * 1000 : undefined;
		return { iat: seconds(claims.iat), exp: seconds(claims.exp) };
	} catch {
		return {};
	}
}

function loginError(message: string, kind: LoginFailureKind): Error {
	loginFailureMessages.delete(message);
	loginFailureMessages.set(message, kind);
	if (loginFailureMessages.size > 100)
		loginFailureMessages.delete(loginFailureMessages.keys().next().value!);
	// A plain Error with no `code`, `cause` or HTTP status: n8n shows a code instead of the
	// message, and would replace the message with a generic one for a status.
	return new Error(message);
}

/** Forgets every token, login and refusal (for tests). */
export function resetTokenStore(): void {
	tokens.clear();
	renewals.clear();
	loginsInFlight.clear();
	refusals.clear();
	loginFailureMessages.clear();
}

function accountKey(spec: LoginSpec): string {
	return createHash('sha256')
		.update([spec.request.url, spec.login, spec.password].join('\u0000'))
		.digest('hex');
}

function parsed(data: unknown): IDataObject {
	if (Buffer.isBuffer(data)) data = data.toString('utf8');
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			return {};
		}
	}
	return typeof data === 'object' && data !== null ? (data as IDataObject) : {};
}

/** When a token stops being valid: the JWT's `exp`, else the answer's `expiresIn`, else the vendor's lifetime. */
export function tokenExpiry(
	token: string,
	answer: IDataObject,
	lifetimeSeconds: number,
	now = Date.now(),
): number {
	const { exp } = jwtClaims(token);
	if (exp !== undefined) return exp;
	const expiresIn = Number(answer.expiresIn ?? answer.expires_in);
	return now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : lifetimeSeconds) * 1000;
}

async function logIn(
	helpers: IHttpRequestHelper['helpers'],
	spec: LoginSpec,
	key: string,
): Promise<StoredToken> {
	const { vendorName, loginName, request, tokenField } = spec;
	const isRefusal = spec.isRefusal ?? ((status) => status === 400 || status === 401);
	for (let attempt = 0; ; attempt++) {
		let answer: IDataObject;
		try {
			answer = parsed(await helpers.httpRequest({ json: true, timeout: 30_000, ...request }));
		} catch (error) {
			const failure = error as {
				response?: { status?: number; data?: unknown; headers?: IDataObject };
				code?: string;
			};
			const status = failure.response?.status;
			const body = parsed(failure.response?.data);
			const vendorCode = body.code === undefined ? undefined : String(body.code);
			const vendorMessage = typeof body.message === 'string' ? body.message : undefined;
			const detail = [
				status ? `HTTP ${status}` : (failure.code ?? 'no answer'),
				vendorCode && `code ${vendorCode}`,
			]
				.filter(Boolean)
				.join(', ');
			if (isRefusal(status, vendorCode)) {
				const message = `${vendorName} refused the ${loginName} or password of the credential (${detail}${vendorMessage ? `: ${vendorMessage}` : ''})`;
				refusals.set(key, { message, until: Date.now() + REFUSED_LOGIN_PAUSE_MS });
				throw loginError(message, 'refused');
			}
			// A login bills nothing: a busy, unavailable or unreachable token endpoint is tried again.
			const transient = status === undefined || [429, 502, 503, 504].includes(status);
			if (transient && attempt < LOGIN_RETRY_DELAYS_MS.length) {
				const retryAfter = Number(failure.response?.headers?.['retry-after']);
				await sleep(
					status === 429 && retryAfter > 0
						? Math.min(retryAfter, 10) * 1000
						: LOGIN_RETRY_DELAYS_MS[attempt],
				);
				continue;
			}
			const tries = attempt > 0 ? ` after ${attempt + 1} attempts` : '';
			throw loginError(
				`Could not obtain a ${vendorName} token from ${String(request.url)} (${detail})${tries}`,
				'failed',
			);
		}
		const token = answer[tokenField];
		if (typeof token !== 'string' || token === '')
			throw loginError(`${vendorName} answered the login without a token`, 'failed');
		const now = Date.now();
		const expiresAt = tokenExpiry(token, answer, spec.lifetimeSeconds, now);
		const stored = { token, expiresAt, renewAt: renewAtFor(now, expiresAt) };
		tokens.set(key, stored);
		for (const [known, renewAt] of renewals) if (renewAt < now) renewals.delete(known);
		renewals.set(token, stored.renewAt);
		return stored;
	}
}

/**
 * Forgets a token the vendor refused with a 401 (expired or revoked before its time), so that the
 * next request of any execution logs in (once: see obtainAccessToken) instead of sending it again.
 */
export function forgetRefusedToken(token: string): void {
	for (const [key, stored] of tokens) if (stored.token === token) tokens.delete(key);
}

/**
 * preAuthentication for the three token credentials: one login per account and token lifetime
 * in this process, whatever the number of requests in flight. A caller whose token another
 * request has already replaced gets the new one; concurrent callers share one login; a refused
 * login is not repeated for REFUSED_LOGIN_PAUSE_MS (repeated wrong logins lock vendor accounts).
 * Errors hold neither the password nor the request.
 */
export async function obtainAccessToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
	spec: LoginSpec,
): Promise<{ accessToken: string }> {
	const key = accountKey(spec);
	const now = Date.now();
	const heldToken = String(credentials.accessToken ?? '');
	const known = tokens.get(key);
	if (known && known.token !== heldToken && known.renewAt > now)
		return { accessToken: known.token };
	if (known) tokens.delete(key);

	const refusal = refusals.get(key);
	if (refusal && refusal.until > now) throw loginError(refusal.message, 'refused');

	let login = loginsInFlight.get(key);
	if (!login) {
		login = logIn(helpers, spec, key).finally(() => loginsInFlight.delete(key));
		loginsInFlight.set(key, login);
	}
	return { accessToken: (await login).token };
}
