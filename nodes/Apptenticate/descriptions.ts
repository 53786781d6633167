import type { INodeProperties } from 'n8n-workflow';

export const returnTransactionIdOption: INodeProperties = {
	displayName: 'Return Transaction ID',
	name: 'returnTransactionId',
	type: 'boolean',
	default: true,
	description: "Whether to ask Apptenticate for the transaction ID (output as <code>transactionId</code>), useful for audits and support requests",
};

export const deviceOption: INodeProperties = {
	displayName: 'Device',
	name: 'device',
	type: 'options',
	default: '',
	description: 'The kind of device that took the picture. Apptenticate uses it to improve the liveness test.',
	options: [
		{ name: 'Not Specified', value: '' },
		{ name: 'Android', value: 'ANDROID' },
		{ name: 'Desktop', value: 'DESKTOP' },
		{ name: 'iOS', value: 'IOS' },
	],
};
