import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { concurrencyOption } from '../../shared/descriptions';
import { processItems } from '../../shared/items';
import { certificateItem, DEFAULT_CERTIFICATE_PROPERTY } from '../actions/certificate';
import type { CertificateParameters } from '../actions/certificate';
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
				displayName: 'Put Certificate in Field',
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
						displayName: 'Poll Interval (Seconds)',
						name: 'pollInterval',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 10,
						description: 'With "Wait Until Ready": how long to wait between two attempts',
					},
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
			await processItems(
				this,
				async (itemIndex) => {
					const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
					const parameters: CertificateParameters = {
						operation: this.getNodeParameter('operation', itemIndex) as CertificateParameters['operation'],
						binaryPropertyName: this.getNodeParameter('binaryPropertyName', itemIndex, '') as string,
						waitUntilReady: options.waitUntilReady === true,
						wait: {
							pollInterval: Number(options.pollInterval ?? 10),
							timeout: Number(options.timeout ?? 300),
						},
					};
					return await certificateItem(this, link, itemIndex, parameters);
				},
				concurrency,
			),
		];
	}
}
