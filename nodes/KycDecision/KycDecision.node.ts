import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { processItems } from '../shared/items';
import { recordsOf } from './records';
import { decide, DEFAULT_MINIMUM_AGE, DEFAULT_REVIEW_ON, DEFAULT_RULES } from './rules';
import type { Decision, DecisionSettings, RuleName } from './rules';

const OUTPUT_OF: Record<Decision, number> = { approved: 0, review: 1, rejected: 2 };

const RULE_OPTIONS: Array<{ name: string; value: RuleName; description: string }> = [
	{ name: 'Document Not Expired', value: 'notExpired', description: 'The expiry date is today or later (UTC)' },
	{ name: 'Document Valid', value: 'documentValid', description: "The vendor's document verdict is valid (and not found inauthentic)" },
	{ name: 'Face Match', value: 'faceMatch', description: 'The selfie matches the document or the citizen registry' },
	{ name: 'INE Identifiers', value: 'ineIdentifiers', description: 'On a Mexican voter ID, the CURP and the elector key are well-formed' },
	{ name: 'Liveness', value: 'liveness', description: 'The selfie passed a liveness check' },
	{ name: 'Minimum Age', value: 'minimumAge', description: 'The person is at least the minimum age, from the birth date' },
	{ name: 'Same Document Number', value: 'sameDocumentNumber', description: 'All the records give the same document number (when there are several)' },
	{ name: 'Same Person', value: 'samePerson', description: 'All the records give the same name and birth date (when there are several)' },
	{ name: 'Sides Match', value: 'sidesMatch', description: 'The front and the back of a two-sided document belong together' },
];

export class KycDecision implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KYC Decision',
		name: 'kycDecision',
		icon: { light: 'file:../../icons/kycDecision.svg', dark: 'file:../../icons/kycDecision.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{($parameter["rules"] || []).length + " rules"}}',
		description: 'Approve, send to review or reject an applicant from the identity records of the KYC nodes',
		defaults: { name: 'KYC Decision' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Approved', 'Review', 'Rejected'],
		properties: [
			{
				displayName: 'Records',
				name: 'recordSource',
				type: 'options',
				noDataExpression: true,
				default: 'item',
				options: [
					{ name: 'Input Item', value: 'item', description: "The input item is one identity record (a KYC node's output)" },
					{
						name: 'Fields of the Input Item',
						value: 'fields',
						description: 'Fields of the input item hold the records, e.g. one from OCR and one from Biometry',
					},
					{ name: 'JSON', value: 'json', description: 'A record or a list of records, as JSON or an expression' },
				],
			},
			{
				displayName: 'Record Fields',
				name: 'recordFields',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'document, selfie',
				description: 'The fields that hold the records, separated by commas. Dot paths are allowed; a field may hold a list of records.',
				displayOptions: { show: { recordSource: ['fields'] } },
			},
			{
				displayName: 'Records (JSON)',
				name: 'records',
				type: 'json',
				default: '[]',
				required: true,
				description: 'One identity record or a list of them: JSON text, or an expression that returns them (an AI agent can fill it in)',
				displayOptions: { show: { recordSource: ['json'] } },
			},
			{
				displayName: 'Rules',
				name: 'rules',
				type: 'multiOptions',
				default: ['minimumAge', 'notExpired', 'documentValid', 'faceMatch', 'ineIdentifiers', 'sameDocumentNumber'],
				options: RULE_OPTIONS,
				description:
					'The checks an applicant must pass to be approved. A record lacking what a rule needs always sends the item to Review.',
			},
			{
				displayName: 'Minimum Age',
				name: 'minimumAge',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MINIMUM_AGE,
				description: 'Age in whole years at today (UTC), for the Minimum Age rule',
			},
			{
				displayName: 'Send to Review Instead of Rejecting',
				name: 'reviewOn',
				type: 'multiOptions',
				default: ['faceMatch', 'liveness'],
				options: RULE_OPTIONS,
				description: 'The rules whose failure sends the item to Review. A failure of any other chosen rule rejects.',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const now = new Date();
		const items = this.getInputData();
		const decided = await processItems(this, async (itemIndex) => {
			const records = recordsOf(this, itemIndex);
			const settings: DecisionSettings = {
				rules: this.getNodeParameter('rules', itemIndex, DEFAULT_RULES) as RuleName[],
				minimumAge: this.getNodeParameter('minimumAge', itemIndex, DEFAULT_MINIMUM_AGE) as number,
				reviewOn: this.getNodeParameter('reviewOn', itemIndex, DEFAULT_REVIEW_ON) as RuleName[],
			};
			if (settings.rules.length === 0) {
				// Without a rule every applicant would be approved.
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: no rule is chosen in "Rules"`, {
					itemIndex,
					description: 'Choose at least one rule, e.g. Document Valid and Face Match.',
				});
			}
			const { decision, reasons } = decide(records, settings, now);
			const { json, binary } = items[itemIndex];
			return { json: { ...json, decision, reasons }, ...(binary ? { binary } : {}) };
		});
		const outputs: INodeExecutionData[][] = [[], [], []];
		// Error items (On Error: Continue) carry no decision: they go to Review, never to Approved.
		for (const item of decided) outputs[OUTPUT_OF[item.json.decision as Decision] ?? OUTPUT_OF.review].push(item);
		return outputs;
	}
}
