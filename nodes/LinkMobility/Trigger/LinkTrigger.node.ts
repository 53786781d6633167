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
import { includeRawOption } from '../../shared/descriptions';
import {
	checkCallbackSecret,
	DEFAULT_REPEAT_WINDOW_SECONDS,
	LINK_CALLBACK_IPS,
	receiveCallback,
} from '../actions/callback';
import { DEFAULT_CERTIFICATE_PROPERTY } from '../actions/certificate';

export class LinkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LINK Trigger',
		name: 'linkTrigger',
		icon: { light: 'file:../../../icons/link.svg', dark: 'file:../../../icons/link.dark.svg' },
		group: ['trigger'],
		// Version 2 keeps the secret in a credential; version 1's "Secret Token" parameter still works.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: 'LINK Mobility KYC callbacks',
		description: "Starts the workflow when LINK Mobility KYC sends a callback: a certificate is ready or a manual verification is done",
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
			{
				displayName:
					'Give LINK this node\'s Production URL as callback: in LINK Verify ("Certification Callback URL", "Manual Verification Callback URL") or as the default callback of your LINK account. With a LINK Mobility Callback credential, add <code>?token=</code> and its secret to the URL.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Services',
				name: 'services',
				type: 'multiOptions',
				default: ['Certification', 'ManualIDVerification'],
				options: [
					{ name: 'Certification', value: 'Certification', description: 'A certificate is ready (or failed)' },
					{
						name: 'Manual ID Verification',
						value: 'ManualIDVerification',
						description: 'A person at LINK reviewed the document',
					},
				],
				description: 'Which callbacks start the workflow. Others are answered 200 and ignored. None selected: all.',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: ['Completed', 'Processing', 'Error'],
				options: [
					{ name: 'Completed', value: 'Completed' },
					{ name: 'Error', value: 'Error' },
					{ name: 'Processing', value: 'Processing' },
				],
				description: 'Which operation statuses start the workflow. Others are answered 200 and ignored. None selected: all.',
			},
			{
				displayName: 'Allowed IP Addresses',
				name: 'allowedIps',
				type: 'string',
				default: LINK_CALLBACK_IPS.join(', '),
				placeholder: LINK_CALLBACK_IPS.join(', '),
				description:
					'Comma-separated addresses allowed to call this webhook; other senders get 403 and start nothing. Pre-filled with the addresses LINK publishes. Empty: any sender.',
			},
			{
				displayName: 'Secret Token',
				name: 'secretToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Deprecated: stored in the workflow and its executions. Select a LINK Mobility Callback credential holding the same secret instead (it wins over this field), then empty this field. A secret that callbacks must carry in their URL as <code>?token=…</code>; others get 403 and start nothing.',
				displayOptions: { show: { '@version': [1] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Certificate',
						name: 'downloadCertificate',
						type: 'boolean',
						default: true,
						description:
							'Whether to download the PDF of a completed Certification and attach it as binary data. Needs the LINK Mobility credential on this node; without it, nothing is downloaded.',
					},
					{
						displayName: 'Put Certificate in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: DEFAULT_CERTIFICATE_PROPERTY,
						description: 'Name of the binary property the certificate PDF is written to',
					},
					includeRawOption,
					{
						displayName: 'Repeat Window (Seconds)',
						name: 'repeatWindow',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_REPEAT_WINDOW_SECONDS,
						description:
							'A callback with the same request ID, service and status as one accepted within this many seconds is answered 200 and starts nothing (LINK may send a callback again). Remembered by each n8n process. 0: every callback starts the workflow.',
					},
					{
						displayName: 'Trust X-Forwarded-For',
						name: 'trustForwardedFor',
						type: 'boolean',
						default: false,
						description:
							'Whether to check the last address of the X-Forwarded-For header instead of the connection\'s. Turn on only when n8n is behind a reverse proxy that sets that header (and N8N_PROXY_HOPS is not set); otherwise anyone could claim LINK\'s address.',
					},
				],
			},
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
