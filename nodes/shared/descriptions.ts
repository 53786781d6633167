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
	description: 'How many items are sent to the vendor at the same time. Lower it if the vendor answers "too many requests".',
};

export function imageProperty(
	displayName: string,
	name: string,
	defaultValue: string,
	description: string,
): INodeProperties {
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
