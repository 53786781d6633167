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
import { processWaitingItems } from '../shared/poll';
import { extractPassportItem } from './actions/extractPassport';
import { getTaskResultItem } from './actions/getTaskResult';
import { progenyContext } from './transport';

const extractOnly = { show: { '/operation': ['extractPassport'] } };

export class ProgenyPassportOcr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Progeny Passport OCR',
		name: 'progenyPassportOcr',
		icon: { light: 'file:../../icons/progeny.svg', dark: 'file:../../icons/progeny.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "getTaskResult" ? "Get task result" : "Extract passport data"}}',
		description: 'Read the data of a passport photo page with Progeny, and fetch the results of earlier passport tasks',
		defaults: { name: 'Progeny Passport OCR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'progenyApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'extractPassport',
				options: [
					{
						name: 'Extract Passport Data',
						value: 'extractPassport',
						action: 'Extract passport data',
						description: 'Upload a passport image and wait for Progeny to read it',
					},
					{
						name: 'Get Task Result',
						value: 'getTaskResult',
						action: 'Get the result of a passport task',
						description: 'Look up a task created earlier by its ID, once, without waiting',
					},
				],
			},
			{
				...imageProperty(
					'Passport Image Property',
					'passportImageProperty',
					'data',
					'Name of the binary property that holds the image of the passport photo page, as a PNG or JPEG. For the best results Progeny recommends a height of at most 1080 px.',
				),
				hint: 'PNG or JPEG. Progeny recommends images at most 1080 px high.',
				displayOptions: { show: { operation: ['extractPassport'] } },
			},
			{
				displayName: 'Task ID',
				name: 'taskId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'efe46711-b1d8-43f1-9d02-7a54c43b79a2',
				description:
					'The ID of a passport task: the <code>transactionId</code> of an earlier result, or the <code>taskId</code> of a timeout error',
				displayOptions: { show: { operation: ['getTaskResult'] } },
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
						displayName: 'Download Portrait',
						name: 'downloadPortrait',
						type: 'boolean',
						default: false,
						description:
							'Whether to download the portrait Progeny cropped from the passport (<code>portrait_url</code>) as binary data',
					},
					{
						displayName: 'Extend Data',
						name: 'extendData',
						type: 'boolean',
						default: false,
						description:
							"Whether to ask Progeny for the original answer of its OCR provider. It is passed through under <code>vendorDetails.providerResponse</code>.",
						displayOptions: extractOnly,
					},
					{
						displayName: 'First Poll Delay (Seconds)',
						name: 'firstDelaySeconds',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 1 },
						default: 2,
						description: 'How long to wait after the upload before the first look at the task',
						displayOptions: extractOnly,
					},
					includeRawOption,
					{
						displayName: 'Poll Interval (Seconds)',
						name: 'pollIntervalSeconds',
						type: 'number',
						typeOptions: { minValue: 0.5, numberPrecision: 1 },
						default: 2,
						description: 'How long to wait between two looks at an unfinished task',
						displayOptions: extractOnly,
					},
					{
						displayName: 'Portrait Binary Property',
						name: 'portraitBinaryProperty',
						type: 'string',
						default: 'portrait',
						description: 'Name of the output binary property the portrait is written to',
						displayOptions: { show: { downloadPortrait: [true] } },
					},
					requestTimeoutOption,
					retryUncertainOption,
					{
						displayName: 'Timeout (Seconds)',
						name: 'timeoutSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 120,
						description:
							'How long to wait for a task to finish. On a timeout the error gives the task ID, so the result can be fetched later with "Get Task Result".',
						displayOptions: extractOnly,
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const progeny = await progenyContext(this);
		const operation = this.getNodeParameter('operation', 0) as string;
		const { concurrency } = this.getNodeParameter('options', 0, {}) as { concurrency?: number };
		if (operation === 'getTaskResult') {
			return [await processItems(this, async (itemIndex) => await getTaskResultItem(this, progeny, itemIndex), concurrency)];
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
