import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

export class ProgenyApi implements ICredentialType {
	name = 'progenyApi';

	displayName = 'Progeny API';

	icon = { light: 'file:../icons/progeny.svg', dark: 'file:../icons/progeny.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-kyc/n8n-nodes-kyc#progeny-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://be.progeny.tech/api/v3',
			description: 'Progeny API address, including the /api/v3 path. Change it only for a sandbox or a dedicated installation.',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'The username of your Progeny Console account',
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
			// Progeny's access token lives 5 minutes. n8n fills it through preAuthentication, stores
			// it with the credential, and calls preAuthentication again when a request answers 401.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		let answer: { access?: unknown };
		try {
			answer = await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/accounts/token/obtain/`,
				headers: { 'Content-Type': 'application/json' },
				body: {
					username: String(credentials.username ?? ''),
					password: String(credentials.password ?? ''),
				},
				json: true,
				timeout: 30_000,
			});
		} catch (error) {
			// Re-thrown without the original error: it holds the request body, i.e. the password.
			const status = (error as { response?: { status?: number } }).response?.status;
			throw new Error(
				status === 401 || status === 400
					? 'Progeny refused the username or password'
					: `Could not obtain a Progeny token from ${baseUrl} (${status ? `HTTP ${status}` : 'no answer'})`,
			);
		}
		if (typeof answer?.access !== 'string' || answer.access === '') {
			throw new Error('Progeny answered the token request without an access token');
		}
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
			url: '/accounts/token/obtain/',
			method: 'POST',
			body: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
		},
	};
}
