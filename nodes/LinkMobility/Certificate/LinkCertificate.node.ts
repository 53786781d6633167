import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import {
	concurrencyOption,
	requestTimeoutOption,
	retryUncertainOption,
} from '../../shared/descriptions';
import { processWaitingItems } from '../../shared/poll';
import { certificateItem, DEFAULT_CERTIFICATE_PROPERTY } from '../actions/certificate';
import { linkContext } from '../transport';

export class LinkCertificate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LINK Certificate',
		name: 'linkCertificate',
		icon: { light: 'file:../../../icons/link.svg', dark: 'file:../../../icons/link.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "byUrl" ? "Get certificate by URL" : "Get certificate by request ID"}}',
		description: 'Download the PDF certificate of a LINK Mobility KYC verification',
		defaults: { name: 'LINK Certificate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkMobilityKycApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'byId',
				options: [
					{
						name: 'Get by Request ID',
						value: 'byId',
						description: 'Download the certificate of a verification request',
						action: 'Get a certificate by request ID',
					},
					{
						name: 'Get by URL',
						value: 'byUrl',
						description: "Download the certificate from the URL of LINK's Certification callback",
						action: 'Get a certificate by URL',
					},
				],
			},
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '',
				required: true,
				placeholder: '00627e53-800b-4e6d-86ff-b933e2940a04',
				description: 'The ID of the verification request (the <code>transactionId</code> of LINK Verify and LINK Trigger)',
				displayOptions: { show: { operation: ['byId'] } },
			},
			{
				displayName: 'Certificate URL',
				name: 'certificateUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://kyc-api.linkmobility.es/certificate/…',
				description:
					"The <code>urlCertificateFile</code> of a Certification callback (LINK Trigger: <code>vendorDetails.certificateUrl</code>). It must be on the credential's LINK address: the access token is sent nowhere else.",
				displayOptions: { show: { operation: ['byUrl'] } },
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: DEFAULT_CERTIFICATE_PROPERTY,
				required: true,
				description: 'Name of the binary property the PDF is written to',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					concurrencyOption,
					{
						displayName: 'Keep Input Fields',
						name: 'keepInputFields',
						type: 'boolean',
						default: true,
						description:
							"Whether to keep the input item's fields (for example the person's record from LINK Verify) in the output, next to <code>requestId</code>, <code>fileName</code> and <code>ready</code>",
					},
					{
						displayName: 'Poll Interval (Seconds)',
						name: 'pollInterval',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 10,
						description: 'With "Wait Until Ready": how long to wait between two attempts',
					},
					requestTimeoutOption,
					retryUncertainOption,
					{
						displayName: 'Timeout (Seconds)',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 300,
						description: 'With "Wait Until Ready": how long to keep asking before giving up with an error',
					},
					{
						displayName: 'Wait Until Ready',
						name: 'waitUntilReady',
						type: 'boolean',
						default: false,
						description:
							'Whether to ask again while LINK has no certificate yet (it answers 404 until the certificate is made), instead of failing at once',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const link = await linkContext(this);
		const { concurrency } = this.getNodeParameter('options', 0, {}) as { concurrency?: number };
		return [
			await processWaitingItems(this, async (itemIndex, item) => await certificateItem(this, link, itemIndex, item), concurrency),
		];
	}
}
