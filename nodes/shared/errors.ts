import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { LOGIN_FAILED, LOGIN_REFUSED } from './tokenCredential';

/** What a failed HTTP call left behind, with nothing secret in it (no headers, no request). */
export interface HttpFailure {
	status?: number;
	body?: unknown;
	/** Network-level cause such as ECONNREFUSED, when no answer came. */
	networkCode?: string;
	retryAfterSeconds?: number;
	/** The error's own message, for failures that are not HTTP answers (e.g. a refused login). */
	message?: string;
}

type Loose = { [key: string]: Loose | undefined };

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

/**
 * n8n wraps HTTP errors differently across versions (NodeApiError with httpCode/context.data,
 * or the axios error itself as cause). This reads the status and body from any of them.
 */
export function readHttpFailure(error: unknown): HttpFailure {
	const e = (error ?? {}) as Loose;
	const response = e.response ?? e.cause?.response ?? e.cause?.cause?.response;
	const status = Number(response?.status ?? e.httpCode ?? e.statusCode ?? e.cause?.httpCode);
	const body = parseBody(response?.data ?? response?.body ?? e.context?.data ?? e.error);
	const headers = (response?.headers ?? {}) as Loose;
	const retryAfter = Number(headers['retry-after']);
	const networkCode = [e.code, e.cause?.code, e.cause?.cause?.code].find(
		(code) => typeof code === 'string' && /^E[A-Z_]+$/.test(code),
	);
	return {
		status: Number.isFinite(status) && status > 0 ? status : undefined,
		body,
		networkCode,
		retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
		message: typeof e.message === 'string' ? e.message : undefined,
	};
}

const HTTP_EXPLANATIONS: Record<number, string> = {
	400: 'the request was rejected as invalid',
	401: 'the credentials were refused (check the username and password of the credential)',
	403: 'the account is not allowed to use this service',
	404: 'the resource was not found',
	413: 'the upload is too large',
	429: 'too many requests were sent; try again later or lower the node\'s "Concurrency" option',
	500: 'the vendor had an internal error; try again later',
	502: 'the vendor is temporarily unreachable; try again later',
	503: 'the vendor is temporarily unavailable (maintenance); try again later',
	504: 'the vendor took too long to answer; try again later',
};

export function explainHttpStatus(status: number): string {
	return HTTP_EXPLANATIONS[status] ?? `it answered HTTP ${status}`;
}

/** Why a call failed, in plain English, from its status, network code or message. */
export function explainFailure(failure: HttpFailure): string {
	if (failure.status !== undefined) return explainHttpStatus(failure.status);
	// A credential's refused or failed login carries its own explanation (see tokenCredential).
	if (failure.networkCode && ![LOGIN_REFUSED, LOGIN_FAILED].includes(failure.networkCode)) {
		return `the vendor could not be reached (${failure.networkCode})`;
	}
	return failure.message ?? 'no answer came back';
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
export function vendorError(ctx: Pick<IExecuteFunctions, 'getNode'>, details: VendorErrorDetails): NodeApiError {
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
