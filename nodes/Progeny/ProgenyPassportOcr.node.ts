import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { processItems } from '../shared/items';
import { readConcurrency, readParameter } from '../shared/parameters';
import { processWaitingItems } from '../shared/poll';
import { extractPassportItem } from './actions/extractPassport';
import { getTaskResultItem } from './actions/getTaskResult';
import {
	operationProperty,
	optionsProperty,
	passportImageProperty,
	taskIdProperty,
} from './descriptions';
import { progenyContext } from './transport';

export class ProgenyPassportOcr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Progeny Passport OCR',
		name: 'progenyPassportOcr',
		icon: { light: 'file:../../icons/progeny.svg', dark: 'file:../../icons/progeny.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "getTaskResult" ? "Get task result" : "Extract passport data"}}',
		description:
			'Read the data of a passport photo page with Progeny, and fetch the results of earlier passport tasks',
		defaults: { name: 'Progeny Passport OCR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'progenyApi', required: true }],
		properties: [operationProperty, passportImageProperty, taskIdProperty, optionsProperty],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const progeny = await progenyContext(this);
		const operation = readParameter<string>(this, 0, operationProperty);
		const concurrency = readConcurrency(this, optionsProperty);
		if (operation === 'getTaskResult') {
			return [
				await processItems(
					this,
					async (itemIndex) => await getTaskResultItem(this, progeny, itemIndex),
					concurrency,
				),
			];
		}
		return [
			await processWaitingItems(
				this,
				async (itemIndex, item) => await extractPassportItem(this, progeny, itemIndex, item),
				concurrency,
			),
		];
	}
}
