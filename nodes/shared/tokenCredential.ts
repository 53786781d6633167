import type {
	IAuthenticateGeneric,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Marks on the errors of a credential's login. n8n wraps them in a NodeApiError that keeps this
 * `code`, so a node can tell "the vendor refused the login" from other failures.
 */
export const LOGIN_REFUSED = 'EKYC_LOGIN_REFUSED';
export const LOGIN_FAILED = 'EKYC_LOGIN_FAILED';

/**
 * The vendor's short-lived token. n8n fills it through preAuthentication, stores it with the
 * credential, and calls preAuthentication again when a request answers 401.
 */
export const accessTokenProperty: INodeProperties = {
	displayName: 'Access Token',
	name: 'accessToken',
	type: 'hidden',
	typeOptions: { expirable: true, password: true },
	default: '',
};

export const bearerAuthentication: IAuthenticateGeneric = {
	type: 'generic',
	properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
};

export function trimUrl(value: unknown): string {
	return String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
}

export interface LoginSpec {
	vendorName: string;
	/** How the vendor names the login field in its own texts: "username" or "user". */
	loginName: string;
	request: IHttpRequestOptions;
	/** The answer's field holding the token. */
	tokenField: string;
	/** Whether a failed login means a wrong login (rather than the service failing). */
	isRefusal?: (status: number | undefined, vendorCode: string | undefined) => boolean;
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

/**
 * Logs in and returns the token for preAuthentication. A failure is re-thrown as a new Error:
 * the original holds the request body, i.e. the password. It carries no HTTP status either,
 * since n8n would replace the message with a generic one for the status.
 */
export async function obtainAccessToken(
	helpers: IHttpRequestHelper['helpers'],
	{ vendorName, loginName, request, tokenField, isRefusal = (status) => status === 400 || status === 401 }: LoginSpec,
): Promise<{ accessToken: string }> {
	let answer: IDataObject;
	try {
		answer = parsed(await helpers.httpRequest({ json: true, timeout: 30_000, ...request }));
	} catch (error) {
		const failure = error as { response?: { status?: number; data?: unknown }; code?: string };
		const status = failure.response?.status;
		const body = parsed(failure.response?.data);
		const vendorCode = body.code === undefined ? undefined : String(body.code);
		const vendorMessage = typeof body.message === 'string' ? body.message : undefined;
		const refused = isRefusal(status, vendorCode);
		const detail = [status ? `HTTP ${status}` : (failure.code ?? 'no answer'), vendorCode && `code ${vendorCode}`]
			.filter(Boolean)
			.join(', ');
		const message = refused
			? `${vendorName} refused the ${loginName} or password of the credential (${detail}${vendorMessage ? `: ${vendorMessage}` : ''})`
			: `Could not obtain a ${vendorName} token from ${String(request.url)} (${detail})`;
		throw Object.assign(new Error(message), { code: refused ? LOGIN_REFUSED : LOGIN_FAILED });
	}
	const token = answer[tokenField];
	if (typeof token !== 'string' || token === '') {
		throw Object.assign(new Error(`${vendorName} answered the login without a token`), { code: LOGIN_FAILED });
	}
	return { accessToken: token };
}
