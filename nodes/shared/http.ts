import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IWebhookFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { requestTimeoutOption, retryUncertainOption } from './descriptions';
import { answerFailure, readHttpFailure } from './errors';
import type { HttpFailure } from './errors';
import { freeAnsweredBody } from './requestBody';
import { forgetRefusedToken, tokenDueForRenewal, trimUrl } from './tokenCredential';
import { waitUnlessCancelled } from './wait';

const MAX_RETRIES = 2;
const MAX_REDIRECTS = 3;

/** A vendor as the request helper needs it: which credential signs its calls, how it is named. */
export interface VendorApi {
	credentialType: string;
	vendorName: string;
}

/** One node's way to a vendor: the credential's address and the node's request options. */
export interface VendorConnection {
	ctx: IExecuteFunctions | IWebhookFunctions;
	baseUrl: string;
	/** Read once per execution and handed to n8n with each call, which would read it again otherwise. */
	credentials: ICredentialsDecrypted;
	timeoutMs: number;
	/** Whether calls that may have been processed (time-out, dropped connection, 502/504) are sent again. */
	retryUncertain: boolean;
}

/** Reads the node's "Request Timeout" and "Retry Uncertain Failures" options (see descriptions.ts). */
function requestSettings(
	ctx: IExecuteFunctions | IWebhookFunctions,
): Pick<VendorConnection, 'timeoutMs' | 'retryUncertain'> {
	let options: IDataObject = {};
	try {
		options = (
			'getInputData' in ctx
				? (ctx as IExecuteFunctions).getNodeParameter('options', 0, {})
				: (ctx as IWebhookFunctions).getNodeParameter('options', {})
		) as IDataObject;
	} catch {
		// A node without options: the defaults.
	}
	const seconds = Number(options[requestTimeoutOption.name]);
	const fallback = requestTimeoutOption.default as number;
	return {
		timeoutMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : fallback) * 1000,
		retryUncertain: options[retryUncertainOption.name] === true,
	};
}

export async function vendorConnection(
	ctx: IExecuteFunctions | IWebhookFunctions,
	credentialType: string,
	baseUrlOf: (credentials: ICredentialDataDecryptedObject) => string = (credentials) =>
		trimUrl(credentials.baseUrl),
): Promise<VendorConnection> {
	const data = await ctx.getCredentials(credentialType);
	const { id, name } = ctx.getNode().credentials?.[credentialType] ?? {};
	return {
		ctx,
		baseUrl: baseUrlOf(data),
		credentials: { id: id ?? '', name: name ?? '', type: credentialType, data },
		...requestSettings(ctx),
	};
}

const originOf = (url: string) => {
	try {
		return new URL(url).origin;
	} catch {
		return undefined;
	}
};

/** Whether `url` is on the credential's address (same scheme, host and port). */
export function isSameOrigin(url: string, baseUrl: string): boolean {
	const origin = originOf(url);
	return origin !== undefined && origin === originOf(baseUrl);
}

/**
 * How long to wait before sending a call again, or undefined when it must not be. Only what the
 * vendor provably did not process is retried: 429 (after its Retry-After), 503, and connections
 * that were never made. A time-out, a dropped connection, 502 or 504 may hide a processed (and
 * billed) call: retried only for look-ups (`idempotent`) or when the user asked for it.
 */
export function retryDelayMs(
	failure: HttpFailure,
	attempt: number,
	retryUncertain: boolean,
): number | undefined {
	if (attempt >= MAX_RETRIES) return undefined;
	if (failure.status === 429) return Math.min(failure.retryAfterSeconds ?? 2, 30) * 1000;
	const safe = failure.status === 503 || failure.kind === 'unreachable';
	const uncertain =
		failure.kind === 'timeout' ||
		failure.kind === 'dropped' ||
		failure.status === 502 ||
		failure.status === 504;
	return safe || (uncertain && retryUncertain) ? 1000 * 2 ** attempt : undefined;
}

const isRedirect = (status: number | undefined) =>
	status !== undefined && status >= 300 && status < 400;

/** What n8n's request helper returns with `returnFullResponse`. */
interface FullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

export type VendorRequest = IHttpRequestOptions & {
	/** A look-up that changes nothing at the vendor (task status, certificate, ping): safe to send again. */
	idempotent?: boolean;
};

/**
 * One authenticated call through n8n's request helper, so that the credential obtains and stores
 * its token (one login per account: see tokenCredential.ts). n8n returns every answer in full
 * and this function reads the status itself:
 * - a 401 (the vendor refused the token before doing anything) empties the token, so that n8n
 *   logs in (once, shared with the other calls in flight), and sends the call again, once. n8n's
 *   own 401 handling is not used: 2.41.1 walks a Buffer body byte by byte there (about 80 MB of
 *   garbage for a 2 MB image) and 1.x drops the answer's headers from its errors;
 * - the token only goes to the credential's own address: another address is refused before
 *   anything is sent, and a redirect is only followed on the same address.
 * - a body built for the call (requestBody.ts) is freed once the vendor answered it with 2xx.
 * Any failure goes to `toError`, which turns it into the vendor's explained NodeApiError.
 */
export async function authenticatedRequest<T = unknown>(
	api: VendorApi,
	connection: VendorConnection,
	{ idempotent = false, ...request }: VendorRequest,
	toError: (failure: HttpFailure) => NodeApiError,
): Promise<T> {
	const { ctx, baseUrl, timeoutMs } = connection;
	const retryUncertain = idempotent || connection.retryUncertain;
	let options: IHttpRequestOptions = {
		...request,
		timeout: timeoutMs,
		disableFollowRedirect: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	let redirects = 0;
	let refusedToken: string | undefined;
	for (let attempt = 0; ; ) {
		if (!isSameOrigin(options.url, baseUrl)) {
			throw toError({
				kind: 'foreignAddress',
				message: `${redirects > 0 ? `${api.vendorName} redirected the request to` : 'The address'} ${originOf(options.url) ?? options.url}, which is not the ${api.vendorName} credential's address (${originOf(baseUrl) ?? baseUrl}); the ${api.vendorName} token is only sent to the credential's address, so the request was not sent there`,
			});
		}
		// Each call gets its own copy, which n8n updates when it logs in; the token it ends with is
		// the one the next calls start from. A token near its end, or refused, is replaced before
		// it is sent: an empty token makes n8n log in.
		const shared = connection.credentials.data ?? {};
		const held = String(shared.accessToken ?? '');
		const replace = held === refusedToken || tokenDueForRenewal(held);
		const data = { ...shared, accessToken: replace ? '' : held };
		let failure: HttpFailure;
		try {
			const answer = (await (
				ctx.helpers as IExecuteFunctions['helpers']
			).httpRequestWithAuthentication.call(ctx as IExecuteFunctions, api.credentialType, options, {
				credentialsDecrypted: { ...connection.credentials, data },
			})) as FullResponse;
			if (answer.statusCode < 300) {
				freeAnsweredBody(options.body);
				return answer.body as T;
			}
			failure = answerFailure(answer.statusCode, answer.headers, answer.body);
		} catch (error) {
			failure = readHttpFailure(error);
		} finally {
			if (data.accessToken && data.accessToken !== held) shared.accessToken = data.accessToken;
		}
		if (failure.status === 401 && refusedToken === undefined && data.accessToken) {
			refusedToken = String(data.accessToken);
			forgetRefusedToken(refusedToken);
			continue;
		}
		if (isRedirect(failure.status) && failure.location && redirects < MAX_REDIRECTS) {
			// Followed by hand so that the token never travels to another address (n8n's own
			// redirect handling re-sends it there).
			redirects++;
			const keepsMethod = failure.status === 307 || failure.status === 308;
			options = keepsMethod
				? { ...options, url: new URL(failure.location, options.url).href }
				: {
						...options,
						url: new URL(failure.location, options.url).href,
						method: 'GET',
						body: undefined,
					};
			continue;
		}
		const delay = retryDelayMs(failure, attempt++, retryUncertain);
		if (delay === undefined) {
			throw toError({
				...failure,
				timeoutMs,
				uncertain:
					!idempotent &&
					(failure.kind === 'timeout' ||
						failure.kind === 'dropped' ||
						failure.status === 502 ||
						failure.status === 504),
			});
		}
		await waitUnlessCancelled(ctx, delay);
	}
}
