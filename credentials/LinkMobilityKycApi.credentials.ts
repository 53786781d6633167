import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

export const LINK_PRODUCTION_URL = 'https://kyc-api.linkmobility.es';
export const LINK_STAGE_URL = 'https://kyc-api-stage.linkmobility.es:51443';

/**
 * Marks on the errors of preAuthentication. n8n wraps them in a NodeApiError whose cause keeps
 * this `code`, so the nodes can tell "LINK refused the login" from other failures.
 */
export const LINK_LOGIN_REFUSED = 'ELINK_LOGIN_REFUSED';
export const LINK_LOGIN_FAILED = 'ELINK_LOGIN_FAILED';

/** The API address of a credential: the chosen environment, or the custom URL without trailing slashes. */
export function linkBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.environment === 'stage') return LINK_STAGE_URL;
	if (credentials.environment === 'custom') {
		return String(credentials.baseUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
	}
	return LINK_PRODUCTION_URL;
}

interface LoginFailure {
	response?: { status?: number; data?: unknown };
	code?: string;
}

function loginError(baseUrl: string, failure: LoginFailure): Error {
	const status = failure.response?.status;
	let data = failure.response?.data;
	if (Buffer.isBuffer(data)) data = data.toString('utf8');
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			data = undefined;
		}
	}
	const body = (data ?? {}) as { code?: unknown; message?: unknown };
	const vendorCode = body.code === undefined ? undefined : String(body.code);
	const vendorMessage = typeof body.message === 'string' ? body.message : undefined;
	// LINK answers a wrong user or password with 401, or with 500 and its code 003.
	const refused = status === 401 || (status === 500 && vendorCode === '003');
	const detail = [status ? `HTTP ${status}` : failure.code ?? 'no answer', vendorCode ? `code ${vendorCode}` : undefined]
		.filter(Boolean)
		.join(', ');
	const message = refused
		? `LINK Mobility refused the user or password of the credential (${detail}${vendorMessage ? `: ${vendorMessage}` : ''})`
		: `Could not obtain a LINK Mobility token from ${baseUrl} (${detail})`;
	// A new Error, not the original: that one holds the request body, i.e. the password. No
	// HTTP status on it either: n8n would replace the message with a generic one for the status.
	return Object.assign(new Error(message), { code: refused ? LINK_LOGIN_REFUSED : LINK_LOGIN_FAILED });
}

export class LinkMobilityKycApi implements ICredentialType {
	name = 'linkMobilityKycApi';

	displayName = 'LINK Mobility KYC API';

	icon = { light: 'file:../icons/link.svg', dark: 'file:../icons/link.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-kyc/n8n-nodes-kyc#link-mobility-kyc-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				{ name: 'Production', value: 'production', description: LINK_PRODUCTION_URL },
				{ name: 'Stage', value: 'stage', description: LINK_STAGE_URL },
				{ name: 'Custom URL', value: 'custom', description: 'A sandbox or a dedicated installation' },
			],
			description: 'Which LINK Mobility KYC installation to use. Production and stage accounts are separate.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://kyc-api.example.com',
			description: 'Address of the LINK Mobility KYC API, without a trailing path',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'User provided by LINK Mobility',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Password provided by LINK Mobility',
		},
		{
			// The 60-minute bearer token. n8n fills it through preAuthentication, stores it with the
			// credential, and calls preAuthentication again when a request answers 401.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = linkBaseUrl(credentials);
		let answer: { token?: unknown };
		try {
			answer = await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/auth/token`,
				body: { user: String(credentials.user ?? ''), password: String(credentials.password ?? '') },
				json: true,
				timeout: 30_000,
			});
		} catch (error) {
			throw loginError(baseUrl, error as LoginFailure);
		}
		if (typeof answer?.token !== 'string' || answer.token === '') {
			throw Object.assign(new Error('LINK Mobility answered the token request without a token'), {
				code: LINK_LOGIN_FAILED,
			});
		}
		return { accessToken: answer.token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	// n8n logs in through preAuthentication before a credential test, so a wrong user or password
	// fails with the message above; the ping then proves that the token is accepted.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{$credentials.environment === "stage" ? "${LINK_STAGE_URL}" : $credentials.environment === "custom" ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : "${LINK_PRODUCTION_URL}"}}`,
			url: '/ping',
			method: 'POST',
		},
	};
}
