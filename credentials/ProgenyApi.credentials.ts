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
	loginTest,
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
			description:
				'Progeny API address, including the /api/v3 path. Change it only for a sandbox or a dedicated installation.',
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
		return await obtainAccessToken(this.helpers, credentials, {
			vendorName: 'Progeny',
			loginName: 'username',
			login: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
			lifetimeSeconds: 300,
			request: {
				method: 'POST',
				url: `${trimUrl(credentials.baseUrl)}/accounts/token/obtain/`,
				body: {
					username: String(credentials.username ?? ''),
					password: String(credentials.password ?? ''),
				},
			},
			tokenField: 'access',
		});
	}

	authenticate = bearerAuthentication;

	// Logging in with the username and password as typed is the check.
	test: ICredentialTestRequest = loginTest(
		{
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/accounts/token/obtain/',
			method: 'POST',
			body: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
		},
		'Progeny refused the username or password of the credential',
	);
}
