import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { processItems } from '../shared/items';
import { readConcurrency } from '../shared/parameters';
import { ocrItem } from './actions/ocr';
import {
	backImageProperty,
	documentTypeProperty,
	frontImageProperty,
	ocrOptions,
	validateSidesProperty,
} from './descriptions';
import { apptenticateContext } from './transport';

export class ApptenticateOcr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Apptenticate OCR',
		name: 'apptenticateOcr',
		icon: {
			light: 'file:../../icons/apptenticate.svg',
			dark: 'file:../../icons/apptenticate.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{"Read " + {"identification_card": "Panamanian ID card", "passport": "passport", "ine": "Mexican INE/IFE"}[$parameter["documentType"]]}}',
		description:
			'Read the data of a Panamanian ID card, a passport or a Mexican INE/IFE card from photos',
		defaults: { name: 'Apptenticate OCR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'apptenticateApi', required: true }],
		properties: [
			documentTypeProperty,
			frontImageProperty,
			backImageProperty,
			validateSidesProperty,
			ocrOptions,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const apptenticate = await apptenticateContext(this);
		const concurrency = readConcurrency(this, ocrOptions);
		return [
			await processItems(
				this,
				async (itemIndex) => await ocrItem(this, apptenticate, itemIndex),
				concurrency,
			),
		];
	}
}
