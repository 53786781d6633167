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

export const LINK_PRODUCTION_URL = 'https://kyc-api.linkmobility.es';
export const LINK_STAGE_URL = 'https://kyc-api-stage.linkmobility.es:51443';

/** The API address of a credential: the chosen environment, or the custom URL without trailing slashes. */
export function linkBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.environment === 'stage') return LINK_STAGE_URL;
	if (credentials.environment === 'custom') {
		return trimUrl(credentials.baseUrl);
	}
	return LINK_PRODUCTION_URL;
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
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'A sandbox or a dedicated installation',
				},
			],
			description:
				'Which LINK Mobility KYC installation to use. Production and stage accounts are separate.',
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
		accessTokenProperty,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await obtainAccessToken(this.helpers, credentials, {
			vendorName: 'LINK Mobility',
			loginName: 'user',
			login: String(credentials.user ?? ''),
			password: String(credentials.password ?? ''),
			// LINK's answer says `expiresIn` (3600 s); this is the fallback.
			lifetimeSeconds: 3600,
			request: {
				method: 'POST',
				url: `${linkBaseUrl(credentials)}/auth/token`,
				body: {
					user: String(credentials.user ?? ''),
					password: String(credentials.password ?? ''),
				},
			},
			tokenField: 'token',
			// LINK answers a wrong user or password with 401, or with 500 and its code 003.
			isRefusal: (status, vendorCode) => status === 401 || (status === 500 && vendorCode === '003'),
		});
	}

	authenticate = bearerAuthentication;

	// Logging in with the user and password as typed is the check (a ping would only prove that
	// the token n8n stored an hour ago still works). LINK answers a wrong login with 401, or 500
	// and its code 003.
	test: ICredentialTestRequest = loginTest(
		{
			baseURL: `={{$credentials.environment === "stage" ? "${LINK_STAGE_URL}" : $credentials.environment === "custom" ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : "${LINK_PRODUCTION_URL}"}}`,
			url: '/auth/token',
			method: 'POST',
			body: { user: '={{$credentials.user}}', password: '={{$credentials.password}}' },
		},
		'LINK Mobility refused the user or password of the credential',
		[
			{
				type: 'responseCode',
				properties: {
					value: 500,
					message:
						'LINK Mobility answered the login with HTTP 500, which is how it refuses a wrong user or password (code 003). Check the User, the Password and the Environment.',
				},
			},
		],
	);
}
