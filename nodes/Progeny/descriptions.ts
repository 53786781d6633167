import type { INodeProperties } from 'n8n-workflow';
import {
	concurrencyOption,
	imageProperty,
	includeRawOption,
	requestTimeoutOption,
	retryUncertainOption,
} from '../shared/descriptions';

/** The parameters of Progeny Passport OCR: declared here once, listed by the node, read by the actions. */

const extractOnly = { show: { '/operation': ['extractPassport'] } };

export const operationProperty: INodeProperties = {
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
};

export const passportImageProperty: INodeProperties = {
	...imageProperty({
		displayName: 'Input Binary Field',
		name: 'passportImageProperty',
		default: 'data',
		description:
			'Name of the binary property that holds the image of the passport photo page, as a PNG or JPEG. For the best results Progeny recommends a height of at most 1080 px.',
	}),
	hint: 'PNG or JPEG. Progeny recommends images at most 1080 px high.',
	displayOptions: { show: { operation: ['extractPassport'] } },
};

export const taskIdProperty: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'efe46711-b1d8-43f1-9d02-7a54c43b79a2',
	description:
		'The ID of a passport task: the <code>transactionId</code> of an earlier result, or the <code>taskId</code> of a timeout error',
	displayOptions: { show: { operation: ['getTaskResult'] } },
};

export const downloadPortraitOption: INodeProperties = {
	displayName: 'Download Portrait',
	name: 'downloadPortrait',
	type: 'boolean',
	default: false,
	description:
		'Whether to download the portrait Progeny cropped from the passport (<code>portrait_url</code>) as binary data',
};

export const extendDataOption: INodeProperties = {
	displayName: 'Extend Data',
	name: 'extendData',
	type: 'boolean',
	default: false,
	description:
		'Whether to ask Progeny for the original answer of its OCR provider. It is passed through under <code>vendorDetails.providerResponse</code>.',
	displayOptions: extractOnly,
};

export const firstPollDelayOption: INodeProperties = {
	displayName: 'First Poll Delay (Seconds)',
	name: 'firstDelaySeconds',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 1 },
	default: 2,
	description: 'How long to wait after the upload before the first look at the task',
	displayOptions: extractOnly,
};

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollIntervalSeconds',
	type: 'number',
	typeOptions: { minValue: 0.5, numberPrecision: 1 },
	default: 2,
	description: 'How long to wait between two looks at an unfinished task',
	displayOptions: extractOnly,
};

export const portraitPropertyOption: INodeProperties = {
	displayName: 'Put Portrait in Field',
	name: 'portraitBinaryProperty',
	type: 'string',
	default: 'portrait',
	description: 'Name of the output binary property the portrait is written to',
	displayOptions: { show: { downloadPortrait: [true] } },
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 120,
	description:
		'How long to wait for a task to finish. On a timeout the error gives the task ID, so the result can be fetched later with "Get Task Result".',
	displayOptions: extractOnly,
};

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		concurrencyOption,
		downloadPortraitOption,
		extendDataOption,
		firstPollDelayOption,
		includeRawOption,
		pollIntervalOption,
		portraitPropertyOption,
		requestTimeoutOption,
		retryUncertainOption,
		timeoutOption,
	],
};
