import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { processItems } from '../shared/items';
import { readConcurrency } from '../shared/parameters';
import { biometryItem } from './actions/biometry';
import {
	biometryOperation,
	biometryOptions,
	citizenIdProperty,
	documentImageProperty,
	foreignDocumentTypeProperty,
	selfieImageProperty,
} from './descriptions';
import { apptenticateContext } from './transport';

export class ApptenticateBiometry implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Apptenticate Biometry',
		name: 'apptenticateBiometry',
		icon: {
			light: 'file:../../icons/apptenticate.svg',
			dark: 'file:../../icons/apptenticate.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{{"verifyCitizen": "Verify citizen", "compareForeignDocument": "Compare foreign document"}[$parameter["operation"]]}}',
		description:
			"Check a selfie against a Panamanian citizen's record or against a foreign identity document",
		defaults: { name: 'Apptenticate Biometry' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'apptenticateApi', required: true }],
		properties: [
			biometryOperation,
			citizenIdProperty,
			foreignDocumentTypeProperty,
			documentImageProperty,
			selfieImageProperty,
			biometryOptions,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const apptenticate = await apptenticateContext(this);
		const concurrency = readConcurrency(this, biometryOptions);
		return [
			await processItems(
				this,
				async (itemIndex) => await biometryItem(this, apptenticate, itemIndex),
				concurrency,
			),
		];
	}
}
