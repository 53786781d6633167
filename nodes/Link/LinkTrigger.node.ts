import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { checkCallbackSecret, receiveCallback } from './callback';
import {
	allowedIpsProperty,
	secretTokenProperty,
	servicesProperty,
	setupNoticeProperty,
	statusesProperty,
	triggerOptions,
} from './descriptions';

export class LinkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LINK Trigger',
		name: 'linkTrigger',
		icon: { light: 'file:../../icons/link.svg', dark: 'file:../../icons/link.dark.svg' },
		group: ['trigger'],
		// Version 2 keeps the secret in a credential; version 1's "Secret Token" parameter still works.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: 'LINK Mobility KYC callbacks',
		description:
			'Starts the workflow when LINK Mobility KYC sends a callback: a certificate is ready or a manual verification is done',
		defaults: { name: 'LINK Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Optional: the secret that callbacks must carry in their URL.
			{ name: 'linkMobilityCallbackApi', required: false, testedBy: 'linkCallbackSecret' },
			// Optional: only used to download the certificate PDF of a Certification callback.
			{ name: 'linkMobilityKycApi', required: false },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// An empty 200: nothing of the callback goes back to the sender.
				responseData: 'noData',
				path: 'link',
			},
		],
		properties: [
			setupNoticeProperty,
			servicesProperty,
			statusesProperty,
			allowedIpsProperty,
			secretTokenProperty,
			triggerOptions,
		],
	};

	// LINK has no API to register a callback URL: it is given per request or in the account's
	// settings. There is nothing to create or delete on LINK's side.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	methods = {
		credentialTest: {
			async linkCallbackSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkCallbackSecret(String(credential.data?.secretToken ?? ''));
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallback(this);
	}
}
