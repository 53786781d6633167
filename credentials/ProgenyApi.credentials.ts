import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';
import {
	accessTokenProperty,
	bearerAuthentication,
	obtainAccessToken,
	trimUrl,
} from '../nodes/shared/tokenCredential';

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
		accessTokenProperty,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await obtainAccessToken(this.helpers, {
			vendorName: 'Progeny',
			loginName: 'username',
			request: {
				method: 'POST',
				url: `${trimUrl(credentials.baseUrl)}/accounts/token/obtain/`,
				body: { username: String(credentials.username ?? ''), password: String(credentials.password ?? '') },
			},
			tokenField: 'access',
		});
	}

	authenticate = bearerAuthentication;

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
