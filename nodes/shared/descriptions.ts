import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_CONCURRENCY } from './items';

export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Response',
	name: 'includeRaw',
	type: 'boolean',
	default: true,
	description: "Whether to add the vendor's untouched answer under <code>raw</code>",
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 50 },
	default: DEFAULT_CONCURRENCY,
	description:
		'How many items are sent to the vendor at the same time. Lower it if the vendor answers "too many requests".',
};

/** A required binary-property name holding an image; its default is also its placeholder. */
export function imageProperty({
	displayName,
	name,
	default: defaultValue,
	description,
}: {
	displayName: string;
	name: string;
	default: string;
	description: string;
}): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: defaultValue,
		required: true,
		placeholder: defaultValue,
		hint: 'The name of the input binary field containing the image',
		description,
	};
}

export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout',
	name: 'requestTimeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 600 },
	default: 60,
	description: 'How many seconds to wait for each answer of the vendor before the item fails',
};

export const retryUncertainOption: INodeProperties = {
	displayName: 'Retry Uncertain Failures',
	name: 'retryUncertain',
	type: 'boolean',
	default: false,
	description:
		'Whether to send a call again after a time-out, a dropped connection or HTTP 502/504. The vendor may have processed (and billed) the first one; off, such an item fails with a message saying so. Busy answers (429, 503) and connections that were never made are always retried.',
};

/** The request options every vendor node offers. */
export const requestOptions: INodeProperties[] = [requestTimeoutOption, retryUncertainOption];
