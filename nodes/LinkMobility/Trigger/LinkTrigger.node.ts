import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { includeRawOption } from '../../shared/descriptions';
import { LINK_CALLBACK_IPS, receiveCallback } from '../actions/callback';
import { DEFAULT_CERTIFICATE_PROPERTY } from '../actions/certificate';

export class LinkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LINK Trigger',
		name: 'linkTrigger',
		icon: { light: 'file:../../../icons/link.svg', dark: 'file:../../../icons/link.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'LINK Mobility KYC callbacks',
		description: "Starts the workflow when LINK Mobility KYC sends a callback: a certificate is ready or a manual verification is done",
		defaults: { name: 'LINK Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Optional: only used to download the certificate PDF of a Certification callback.
		credentials: [{ name: 'linkMobilityKycApi', required: false }],
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
					'Give LINK this node\'s Production URL as callback: in LINK Verify ("Certification Callback URL", "Manual Verification Callback URL") or as the default callback of your LINK account. With a Secret Token, add <code>?token=</code> and the token to the URL.',
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
					'A secret that callbacks must carry in their URL as <code>?token=…</code>; others get 403 and start nothing. LINK cannot sign its callbacks, so the URL is where a secret can live. Empty: no token required.',
				hint: 'Callback URL to give LINK: this node\'s Production URL followed by <code>?token=</code> and this token',
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

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallback(this);
	}
}
