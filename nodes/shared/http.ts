import type { IExecuteFunctions, IHttpRequestOptions, IWebhookFunctions, NodeApiError } from 'n8n-workflow';
import { readHttpFailure } from './errors';
import { LOGIN_REFUSED } from './tokenCredential';
import type { HttpFailure } from './errors';
import { waitUnlessCancelled } from './wait';

/** n8n 1.x sets no timeout of its own: a hung vendor would hold the execution forever. */
export const REQUEST_TIMEOUT_MS = 120_000;
const MAX_RETRIES = 2;
const RETRYABLE_STATUSES = [429, 502, 503, 504];
const RETRYABLE_NETWORK_CODES = ['ECONNRESET', 'EPIPE', 'ECONNABORTED'];

/** How long to wait before trying again, or undefined when the failure is final. */
export function retryDelayMs(failure: HttpFailure, attempt: number): number | undefined {
	if (attempt >= MAX_RETRIES) return undefined;
	if (failure.status === 429) return Math.min(failure.retryAfterSeconds ?? 2, 30) * 1000;
	const retryable =
		(failure.status !== undefined && RETRYABLE_STATUSES.includes(failure.status)) ||
		(failure.status === undefined && RETRYABLE_NETWORK_CODES.includes(failure.networkCode ?? ''));
	return retryable ? 1000 * 2 ** attempt : undefined;
}

// Per execution context and credential type: the first call, which obtains the token. It
// settles with the error when the vendor refused the login, and with undefined otherwise.
const firstCalls = new WeakMap<object, Map<string, Promise<unknown>>>();

const refusedLogin = (error: unknown) => (readHttpFailure(error).networkCode === LOGIN_REFUSED ? error : undefined);

/**
 * Lets the first call of an execution go alone and holds the others until it has ended, so that
 * the credential's preAuthentication runs once and the whole batch shares its token. When the
 * vendor refused the login, the others fail with that error without logging in again (repeated
 * wrong logins can lock an account).
 */
async function afterFirstCall<T>(ctx: object, credentialType: string, call: () => Promise<T>): Promise<T> {
	let calls = firstCalls.get(ctx);
	if (!calls) firstCalls.set(ctx, (calls = new Map()));
	const first = calls.get(credentialType);
	if (first) {
		const refusal = await first;
		if (refusal) throw refusal;
		return await call();
	}
	const result = call();
	calls.set(
		credentialType,
		result.then(() => undefined, refusedLogin),
	);
	return await result;
}

/**
 * One authenticated call through n8n's request helper, so that the credential obtains, stores
 * and refreshes its token. Busy or briefly unavailable vendors (429, 502-504, dropped
 * connections) are retried twice; any other failure goes to `toError`, which turns it into
 * the vendor's explained NodeApiError.
 */
export async function authenticatedRequest<T = unknown>(
	ctx: IExecuteFunctions | IWebhookFunctions,
	credentialType: string,
	options: IHttpRequestOptions,
	toError: (failure: HttpFailure) => NodeApiError,
): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await afterFirstCall(
				ctx,
				credentialType,
				async () =>
					(await (ctx.helpers as IExecuteFunctions['helpers']).httpRequestWithAuthentication.call(ctx as IExecuteFunctions, credentialType, {
						timeout: REQUEST_TIMEOUT_MS,
						...options,
					})) as T,
			);
		} catch (error) {
			const failure = readHttpFailure(error);
			const delay = retryDelayMs(failure, attempt);
			if (delay === undefined) throw toError(failure);
			await waitUnlessCancelled(ctx, delay);
		}
	}
}

/** Trims a base URL so that paths can be appended with a single slash. */
export function trimBaseUrl(url: unknown): string {
	return String(url ?? '').trim().replace(/\/+$/, '');
}
