import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { concurrencyOption, requestTimeoutOption, retryUncertainOption } from './descriptions';
import { loginFailureOf } from './tokenCredential';

/**
 * What kind of failure a call met:
 * - `answer`: the vendor answered with an HTTP error status;
 * - `unreachable`: no connection was made (refused, DNS, TLS): nothing was sent;
 * - `timeout` / `dropped`: the request went out and no answer came: the vendor may have processed it;
 * - `loginRefused` / `loginFailed`: the credential's login failed (the message says why);
 * - `foreignAddress`: the call (or a redirect) was for another address than the credential's: not sent;
 * - `cancelled`: the execution was stopped;
 * - `internal`: something inside n8n failed (not the vendor's doing).
 */
export type FailureKind =
	| 'answer'
	| 'unreachable'
	| 'timeout'
	| 'dropped'
	| 'loginRefused'
	| 'loginFailed'
	| 'foreignAddress'
	| 'cancelled'
	| 'internal';

/** What a failed HTTP call left behind, with nothing secret in it (no headers, no request). */
export interface HttpFailure {
	kind: FailureKind;
	status?: number;
	body?: unknown;
	/** Network-level cause such as ECONNREFUSED, when no answer came. */
	networkCode?: string;
	retryAfterSeconds?: number;
	/** Where a 3xx answer points. */
	location?: string;
	/** The error's own message (for a failed login: the login's explanation). */
	message?: string;
	/** Set by the request helper: the time-out that ran out. */
	timeoutMs?: number;
	/** Set by the request helper: the request went out and may have been processed (and billed). */
	uncertain?: boolean;
}

/** No connection was made: the vendor cannot have seen the request. */
const UNREACHABLE_CODES = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EPROTO',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
];
const TIMEOUT_CODES = ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'];
const DROPPED_CODES = ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'];
const CANCELLED_CODES = ['ERR_CANCELED', 'ABORT_ERR'];
const NETWORK_CODE =
	/^(E[A-Z_]+|ERR_[A-Z_]+|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/;

/** The shape n8n's and axios' errors have, as far as this module reads them. */
interface LooseError {
	message?: unknown;
	messages?: unknown;
	code?: unknown;
	httpCode?: unknown;
	statusCode?: unknown;
	error?: unknown;
	name?: unknown;
	response?: {
		status?: unknown;
		data?: unknown;
		body?: unknown;
		headers?: Record<string, unknown>;
	};
	context?: { data?: unknown };
	cause?: LooseError;
}

function parseBody(data: unknown): unknown {
	if (Buffer.isBuffer(data)) data = data.toString('utf8');
	if (typeof data === 'string') {
		try {
			return JSON.parse(data);
		} catch {
			return data === '' ? undefined : data;
		}
	}
	return data;
}

/** The failure an HTTP error answer stands for (status 300 and up, as n8n returned it in full). */
export function answerFailure(
	statusCode: number,
	headers: Record<string, unknown> | undefined,
	body: unknown,
): HttpFailure {
	const header = (name: string) => {
		const value = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
		return typeof value === 'string' ? value : undefined;
	};
	const retryAfter = Number(header('retry-after'));
	return {
		kind: 'answer',
		status: statusCode,
		body: parseBody(body),
		retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
		location: header('location'),
	};
}

/**
 * n8n wraps HTTP errors differently across versions (2.x: NodeApiError with the axios error as
 * cause; 1.x: no cause, the network code only in `httpCode`). This reads the same failure from
 * any of them.
 */
export function readHttpFailure(error: unknown): HttpFailure {
	const e = (error ?? {}) as LooseError;
	const chain = [e, e.cause, e.cause?.cause].filter(
		(link): link is LooseError => typeof link === 'object' && link !== null,
	);
	const response = chain.map((link) => link.response).find((r) => r !== undefined);
	const numeric = [response?.status, ...chain.flatMap((link) => [link.httpCode, link.statusCode])]
		.map(Number)
		.find((value) => Number.isInteger(value) && value >= 100 && value < 600);
	const body = parseBody(response?.data ?? response?.body ?? e.context?.data ?? e.error);
	const headers = response?.headers ?? {};
	const retryAfter = Number(headers['retry-after']);
	const networkCode = chain
		.flatMap((link) => [link.code, link.httpCode])
		.find((code): code is string => typeof code === 'string' && NETWORK_CODE.test(code));
	const texts = chain
		.flatMap((link) => [link.message, ...(Array.isArray(link.messages) ? link.messages : [])])
		.filter((t): t is string => typeof t === 'string');
	const login = texts.map(loginFailureOf).find((found) => found !== undefined);

	let kind: FailureKind;
	if (login) kind = login.kind === 'refused' ? 'loginRefused' : 'loginFailed';
	else if (numeric !== undefined) kind = 'answer';
	else if (networkCode && CANCELLED_CODES.includes(networkCode)) kind = 'cancelled';
	else if (chain.some((link) => link.name === 'CanceledError' || link.name === 'AbortError'))
		kind = 'cancelled';
	else if (networkCode && UNREACHABLE_CODES.includes(networkCode)) kind = 'unreachable';
	else if (
		(networkCode && TIMEOUT_CODES.includes(networkCode)) ||
		texts.some((t) => /timeout of \d+ms exceeded/i.test(t))
	)
		kind = 'timeout';
	else if (
		(networkCode && DROPPED_CODES.includes(networkCode)) ||
		texts.some((t) => /socket hang up/i.test(t))
	)
		kind = 'dropped';
	else if (networkCode) kind = 'unreachable';
	else kind = 'internal';

	return {
		kind,
		status: kind === 'answer' ? numeric : undefined,
		body,
		networkCode,
		retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
		location: typeof headers.location === 'string' ? headers.location : undefined,
		message: login?.message ?? texts[0],
	};
}

const HTTP_EXPLANATIONS: Record<number, string> = {
	400: 'the request was rejected as invalid',
	401: 'the credentials were refused (check the username and password of the credential)',
	403: 'the account is not allowed to use this service',
	404: 'the resource was not found',
	413: 'the upload is too large',
	429: `too many requests were sent; try again later or lower the node's "${concurrencyOption.displayName}" option`,
	500: 'the vendor had an internal error; try again later',
	502: 'the vendor is temporarily unreachable; try again later',
	503: 'the vendor is temporarily unavailable (maintenance); try again later',
	504: 'the vendor took too long to answer; try again later',
};

export function explainHttpStatus(status: number): string {
	return HTTP_EXPLANATIONS[status] ?? `it answered HTTP ${status}`;
}

/** Why a call that got an HTTP answer failed, in plain English. */
export function explainFailure(failure: HttpFailure): string {
	if (failure.status !== undefined) return explainHttpStatus(failure.status);
	return failure.message ?? 'no answer came back';
}

const RESEND_ADVICE = (vendorName: string) =>
	`${vendorName} may have received and processed (and billed) the request, so it was not sent again. Check at ${vendorName} before you send it again, or turn on the node's option "${retryUncertainOption.displayName}" to have such calls sent again automatically.`;

/**
 * The message and explanation of a failure that is not an HTTP error answer, written once for
 * every vendor; undefined for an HTTP answer, which each vendor explains in its own terms.
 */
export function failureWithoutAnswer(
	vendorName: string,
	failure: HttpFailure,
): { message: string; description?: string } | undefined {
	const code = failure.networkCode ? ` (${failure.networkCode})` : '';
	switch (failure.kind) {
		case 'answer':
			return undefined;
		case 'loginRefused':
			return {
				message: failure.message ?? `${vendorName} refused the login of the credential`,
				description: `Check the ${vendorName} credential. A refused login is not tried again for a minute, since repeated wrong logins can lock the account.`,
			};
		case 'loginFailed':
			return {
				message: failure.message ?? `Could not obtain a ${vendorName} token`,
				description:
					"Check the credential's address (Base URL or Environment), and try again later.",
			};
		case 'unreachable':
			return {
				message: `${vendorName} could not be reached${code}`,
				description:
					"Nothing was sent. Check the credential's address (Base URL or Environment) and the network of the n8n server.",
			};
		case 'timeout': {
			const seconds = failure.timeoutMs
				? ` within ${Math.round(failure.timeoutMs / 1000)} s`
				: ' in time';
			return {
				message: `${vendorName} did not answer${seconds}`,
				description: failure.uncertain
					? RESEND_ADVICE(vendorName)
					: `Try again later, or raise the node's option "${requestTimeoutOption.displayName}".`,
			};
		}
		case 'dropped':
			return {
				message: `The connection to ${vendorName} was closed before its answer came${code}`,
				description: failure.uncertain ? RESEND_ADVICE(vendorName) : 'Try again later.',
			};
		case 'foreignAddress':
			return {
				message: failure.message ?? `The address is not the ${vendorName} credential's`,
				description: `To call ${vendorName} at another address, set that address in a ${vendorName} credential (only its owner can).`,
			};
		case 'cancelled':
			return { message: 'The execution was cancelled' };
		case 'internal':
			return {
				message: `n8n could not complete the call to ${vendorName}: ${failure.message ?? 'no reason given'}`,
				description: `${vendorName} did not answer with an error: the failure happened inside n8n (for example its database). Try again; if it persists, check n8n's database and log.`,
			};
	}
}

export interface VendorErrorDetails {
	vendor: string;
	/** The English sentence the user reads first. */
	message: string;
	/** Longer explanation: the vendor's own words, what to do. */
	description?: string;
	/** The vendor's error code (e.g. Apptenticate 806, LINK "003"), kept as the vendor gives it. */
	vendorCode?: string | number;
	vendorMessage?: string;
	httpCode?: number;
	itemIndex?: number;
}

/**
 * A NodeApiError built from a clean object: never from the raw HTTP error, which carries the
 * request's Authorization header and body.
 */
export function vendorError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	details: VendorErrorDetails,
): NodeApiError {
	const response: JsonObject = { vendor: details.vendor, message: details.message };
	if (details.vendorCode !== undefined) response.code = details.vendorCode;
	if (details.vendorMessage !== undefined) response.vendorMessage = details.vendorMessage;
	const error = new NodeApiError(ctx.getNode(), response, {
		message: details.message,
		description: details.description,
		httpCode: details.httpCode !== undefined ? String(details.httpCode) : undefined,
		itemIndex: details.itemIndex,
	});
	// setDescriptiveErrorMessage may replace our message with a generic one for known HTTP codes.
	error.message = details.message;
	if (details.description !== undefined) error.description = details.description;
	error.context.vendor = details.vendor;
	if (details.vendorCode !== undefined) error.context.vendorCode = details.vendorCode;
	if (details.vendorMessage !== undefined) error.context.vendorMessage = details.vendorMessage;
	return error;
}
