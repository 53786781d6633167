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

export class ApptenticateApi implements ICredentialType {
	name = 'apptenticateApi';

	displayName = 'Apptenticate API';

	icon = {
		light: 'file:../icons/apptenticate.svg',
		dark: 'file:../icons/apptenticate.dark.svg',
	} as const;

	documentationUrl = 'https://github.com/n8n-nodes-kyc/n8n-nodes-kyc#apptenticate-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.apptenticate.com',
			description:
				'Apptenticate API address. Change it only for a sandbox or a dedicated installation.',
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
		accessTokenProperty,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const form = new URLSearchParams({
			username: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
		});
		return await obtainAccessToken(this.helpers, credentials, {
			vendorName: 'Apptenticate',
			loginName: 'username',
			login: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
			lifetimeSeconds: 300,
			request: {
				method: 'POST',
				url: `${trimUrl(credentials.baseUrl)}/api/token/`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: form.toString(),
			},
			tokenField: 'access',
		});
	}

	authenticate = bearerAuthentication;

	// Logging in with the username and password as typed is the check.
	test: ICredentialTestRequest = loginTest(
		{
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/api/token/',
			method: 'POST',
			body: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
		},
		'Apptenticate refused the username or password of the credential',
	);
}
