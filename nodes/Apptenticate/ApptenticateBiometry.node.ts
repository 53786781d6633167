import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import {
	concurrencyOption,
	imageProperty,
	includeRawOption,
	requestTimeoutOption,
	retryUncertainOption,
} from '../shared/descriptions';
import { processItems } from '../shared/items';
import { biometryItem } from './actions/biometry';
import { deviceOption, returnTransactionIdOption } from './descriptions';
import { apptenticateContext } from './transport';

export class ApptenticateBiometry implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Apptenticate Biometry',
		name: 'apptenticateBiometry',
		icon: { light: 'file:../../icons/apptenticate.svg', dark: 'file:../../icons/apptenticate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{{"verifyCitizen": "Verify citizen", "compareForeignDocument": "Compare foreign document"}[$parameter["operation"]]}}',
		description: "Check a selfie against a Panamanian citizen's record or against a foreign identity document",
		defaults: { name: 'Apptenticate Biometry' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'apptenticateApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'verifyCitizen',
				options: [
					{
						name: 'Verify Citizen',
						value: 'verifyCitizen',
						action: 'Verify a citizen selfie',
						description: "Compare a selfie with the photo on file at Panama's Electoral Tribunal for a citizen ID",
					},
					{
						name: 'Compare Foreign Document',
						value: 'compareForeignDocument',
						action: 'Compare a foreign document with a selfie',
						description: 'Compare a selfie with the photo on a foreign passport or ID card',
					},
				],
			},
			{
				displayName: 'Citizen ID',
				name: 'citizenId',
				type: 'string',
				default: '',
				required: true,
				placeholder: '8-123-456',
				description: 'The Panamanian ID number (cédula) of the person in the selfie',
				displayOptions: { show: { operation: ['verifyCitizen'] } },
			},
			{
				displayName: 'Foreign Document Type',
				name: 'foreignDocumentType',
				type: 'options',
				default: 'passport',
				options: [
					{ name: 'Passport', value: 'passport' },
					{ name: 'ID Card', value: 'identification_card' },
					{ name: 'Profile Image', value: 'profile_image', description: 'A portrait photo rather than a document' },
				],
				displayOptions: { show: { operation: ['compareForeignDocument'] } },
			},
			{
				...imageProperty(
					'Document Image Property',
					'documentImageProperty',
					'document',
					'Name of the binary property that holds the JPEG of the document page with the photo. At most 2 MB.',
				),
				displayOptions: { show: { operation: ['compareForeignDocument'] } },
			},
			imageProperty(
				'Selfie Image Property',
				'selfieImageProperty',
				'selfie',
				"Name of the binary property that holds the JPEG of the person's face. At most 2 MB.",
			),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					concurrencyOption,
					deviceOption,
					{
						displayName: 'Endpoint',
						name: 'endpoint',
						type: 'options',
						default: 'v3',
						description: 'Which Apptenticate API receives citizen verifications',
						options: [
							{ name: 'API V3 (Citizen_id, Selfie)', value: 'v3' },
							{ name: 'Legacy "Endpoint Biometría" (Cedula, Image)', value: 'legacy' },
						],
						displayOptions: { show: { '/operation': ['verifyCitizen'] } },
					},
					includeRawOption,
					{
						displayName: 'Legacy Field Names',
						name: 'legacyFieldNames',
						type: 'options',
						default: 'payload',
						description: 'The legacy document names its fields two ways; use the one your account expects',
						options: [
							{ name: 'Image, ID, Device (Payload Description)', value: 'payload' },
							{ name: 'Imagen, ID, Dispositivo (Code Example)', value: 'codeExample' },
						],
						displayOptions: { show: { endpoint: ['legacy'] } },
					},
					{
						displayName: 'Legacy Endpoint URL',
						name: 'legacyPath',
						type: 'string',
						default: '/api/biometrics/',
						description:
							"Path under the credential's base URL of your account's legacy biometry endpoint (a full URL must be on the credential's address: the token is sent nowhere else; for another host, use a credential with that base URL)",
						displayOptions: { show: { endpoint: ['legacy'] } },
					},
					requestTimeoutOption,
					retryUncertainOption,
					returnTransactionIdOption,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const apptenticate = await apptenticateContext(this);
		const { concurrency } = this.getNodeParameter('options', 0, {}) as { concurrency?: number };
		return [await processItems(this, async (itemIndex) => await biometryItem(this, apptenticate, itemIndex), concurrency)];
	}
}
