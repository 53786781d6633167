import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

export class ApptenticateApi implements ICredentialType {
	name = 'apptenticateApi';

	displayName = 'Apptenticate API';

	icon = { light: 'file:../icons/apptenticate.svg', dark: 'file:../icons/apptenticate.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-kyc/n8n-nodes-kyc#apptenticate-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.apptenticate.com',
			description: 'Apptenticate API address. Change it only for a sandbox or a dedicated installation.',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			// The 5-minute access JWT. n8n fills it through preAuthentication, stores it with the
			// credential, and calls preAuthentication again when a request answers 401.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		const form = new URLSearchParams({
			username: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
		});
		let answer: { access?: string };
		try {
			answer = await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/api/token/`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: form.toString(),
				json: true,
				timeout: 30_000,
			});
		} catch (error) {
			// Re-thrown without the original error: it holds the request body, i.e. the password.
			const status = (error as { response?: { status?: number } }).response?.status;
			throw new Error(
				status === 401 || status === 400
					? 'Apptenticate refused the username or password'
					: `Could not obtain an Apptenticate token from ${baseUrl} (${status ? `HTTP ${status}` : 'no answer'})`,
			);
		}
		if (!answer?.access) throw new Error('Apptenticate answered the token request without an access token');
		return { accessToken: answer.access };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	// Logging in is the check: the token endpoint answers 401 for a wrong username or password.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/token/',
			method: 'POST',
			body: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
		},
	};
}
