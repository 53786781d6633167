import type { INodeProperties } from 'n8n-workflow';
import type { RuleName } from './rules';

/** The parameters of KYC Decision: declared here once, listed by the node, read by it and by records.ts. */

const RULE_OPTIONS: Array<{ name: string; value: RuleName; description: string }> = [
	{
		name: 'Document Not Expired',
		value: 'notExpired',
		description: 'The expiry date is today or later (UTC)',
	},
	{
		name: 'Document Valid',
		value: 'documentValid',
		description: "The vendor's document verdict is valid (and not found inauthentic)",
	},
	{
		name: 'Face Match',
		value: 'faceMatch',
		description: 'The selfie matches the document or the citizen registry',
	},
	{
		name: 'INE Identifiers',
		value: 'ineIdentifiers',
		description: 'On a Mexican voter ID, the CURP and the elector key are well-formed',
	},
	{ name: 'Liveness', value: 'liveness', description: 'The selfie passed a liveness check' },
	{
		name: 'Minimum Age',
		value: 'minimumAge',
		description: 'The person is at least the minimum age, from the birth date',
	},
	{
		name: 'Same Document Number',
		value: 'sameDocumentNumber',
		description: 'All the records give the same document number (when there are several)',
	},
	{
		name: 'Same Person',
		value: 'samePerson',
		description: 'All the records give the same name and birth date (when there are several)',
	},
	{
		name: 'Sides Match',
		value: 'sidesMatch',
		description: 'The front and the back of a two-sided document belong together',
	},
];

export const recordSourceProperty: INodeProperties = {
	displayName: 'Records',
	name: 'recordSource',
	type: 'options',
	noDataExpression: true,
	default: 'item',
	options: [
		{
			name: 'Input Item',
			value: 'item',
			description: "The input item is one identity record (a KYC node's output)",
		},
		{
			name: 'Fields of the Input Item',
			value: 'fields',
			description:
				'Fields of the input item hold the records, e.g. one from OCR and one from Biometry',
		},
		{
			name: 'JSON',
			value: 'json',
			description: 'A record or a list of records, as JSON or an expression',
		},
	],
};

export const recordFieldsProperty: INodeProperties = {
	displayName: 'Record Fields',
	name: 'recordFields',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'document, selfie',
	description:
		'The fields that hold the records, separated by commas. Dot paths are allowed; a field may hold a list of records.',
	displayOptions: { show: { recordSource: ['fields'] } },
};

export const recordsProperty: INodeProperties = {
	displayName: 'Records (JSON)',
	name: 'records',
	type: 'json',
	default: '[]',
	required: true,
	description:
		'One identity record or a list of them: JSON text, or an expression that returns them (an AI agent can fill it in)',
	displayOptions: { show: { recordSource: ['json'] } },
};

export const rulesProperty: INodeProperties = {
	displayName: 'Rules',
	name: 'rules',
	type: 'multiOptions',
	default: [
		'minimumAge',
		'notExpired',
		'documentValid',
		'faceMatch',
		'ineIdentifiers',
		'sameDocumentNumber',
	],
	options: RULE_OPTIONS,
	description:
		'The checks an applicant must pass to be approved. A record lacking what a rule needs always sends the item to Review.',
};

export const minimumAgeProperty: INodeProperties = {
	displayName: 'Minimum Age',
	name: 'minimumAge',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 18,
	description: 'Age in whole years at today (UTC), for the Minimum Age rule',
};

export const reviewOnProperty: INodeProperties = {
	displayName: 'Send to Review Instead of Rejecting',
	name: 'reviewOn',
	type: 'multiOptions',
	// A failed face or liveness check is often a poor selfie: a person looks at it before rejecting.
	default: ['faceMatch', 'liveness'],
	options: RULE_OPTIONS,
	description:
		'The rules whose failure sends the item to Review. A failure of any other chosen rule rejects.',
};

export const DEFAULT_RULES = rulesProperty.default as RuleName[];
export const DEFAULT_REVIEW_ON = reviewOnProperty.default as RuleName[];
export const DEFAULT_MINIMUM_AGE = minimumAgeProperty.default as number;
