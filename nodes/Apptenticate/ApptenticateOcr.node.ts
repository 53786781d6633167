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
import { ocrItem } from './actions/ocr';
import { deviceOption, returnTransactionIdOption } from './descriptions';
import { apptenticateContext } from './transport';

export class ApptenticateOcr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Apptenticate OCR',
		name: 'apptenticateOcr',
		icon: { light: 'file:../../icons/apptenticate.svg', dark: 'file:../../icons/apptenticate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Read " + {"identification_card": "Panamanian ID card", "passport": "passport", "ine": "Mexican INE/IFE"}[$parameter["documentType"]]}}',
		description: 'Read the data of a Panamanian ID card, a passport or a Mexican INE/IFE card from photos',
		defaults: { name: 'Apptenticate OCR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'apptenticateApi', required: true }],
		properties: [
			{
				displayName: 'Document Type',
				name: 'documentType',
				type: 'options',
				default: 'identification_card',
				options: [
					{
						name: 'Panamanian ID Card',
						value: 'identification_card',
						description: 'Cédula: front and back images',
					},
					{ name: 'Passport', value: 'passport', description: 'The photo page with the MRZ' },
					{
						name: 'Mexican INE/IFE',
						value: 'ine',
						description: 'Voter card: front (OCR) and back (MRZ) images',
					},
				],
			},
			imageProperty(
				'Front Image Property',
				'frontImageProperty',
				'front',
				'Name of the binary property that holds the JPEG of the front of the document (or of the passport photo page). At most 2 MB.',
			),
			{
				...imageProperty(
					'Back Image Property',
					'backImageProperty',
					'back',
					'Name of the binary property that holds the JPEG of the back of the document. At most 2 MB.',
				),
				displayOptions: { show: { documentType: ['identification_card', 'ine'] } },
			},
			{
				displayName: 'Validate Sides',
				name: 'validateSides',
				type: 'boolean',
				default: false,
				description:
					'Whether to compare the data read from the front with the data read from the back. The output then has both sides under <code>vendorDetails</code>, <code>match</code> and <code>matchScore</code> (percentage).',
				displayOptions: { show: { documentType: ['identification_card', 'ine'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					concurrencyOption,
					deviceOption,
					includeRawOption,
					{
						displayName: 'INE Document Type Value',
						name: 'ineDocumentTypeValue',
						type: 'options',
						default: 'id_mexico',
						description:
							"The <code>document_type</code> value sent for INE/IFE. Apptenticate's documentation prescribes id_mexico in its text but shows mexican_id in examples; switch if your account expects the other.",
						options: [
							{ name: 'Id_mexico (Documented)', value: 'id_mexico' },
							{ name: 'Mexican_id (As in Examples)', value: 'mexican_id' },
						],
						displayOptions: { show: { '/documentType': ['ine'] } },
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
		return [await processItems(this, async (itemIndex) => await ocrItem(this, apptenticate, itemIndex), concurrency)];
	}
}
