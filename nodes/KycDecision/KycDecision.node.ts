import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { processItems } from '../shared/items';
import { readParameter } from '../shared/parameters';
import {
	minimumAgeProperty,
	recordFieldsProperty,
	recordSourceProperty,
	recordsProperty,
	reviewOnProperty,
	rulesProperty,
} from './descriptions';
import { recordsOf } from './records';
import { decide } from './rules';
import type { Decision, DecisionSettings, RuleName } from './rules';

const OUTPUT_OF: Record<Decision, number> = { approved: 0, review: 1, rejected: 2 };

export class KycDecision implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KYC Decision',
		name: 'kycDecision',
		icon: {
			light: 'file:../../icons/kycDecision.svg',
			dark: 'file:../../icons/kycDecision.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{($parameter["rules"] || []).length + " rules"}}',
		description:
			'Approve, send to review or reject an applicant from the identity records of the KYC nodes',
		defaults: { name: 'KYC Decision' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Approved', 'Review', 'Rejected'],
		properties: [
			recordSourceProperty,
			recordFieldsProperty,
			recordsProperty,
			rulesProperty,
			minimumAgeProperty,
			reviewOnProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const now = new Date();
		const items = this.getInputData();
		const decided = await processItems(this, async (itemIndex) => {
			const records = recordsOf(this, itemIndex);
			const settings: DecisionSettings = {
				rules: readParameter<RuleName[]>(this, itemIndex, rulesProperty),
				minimumAge: readParameter<number>(this, itemIndex, minimumAgeProperty),
				reviewOn: readParameter<RuleName[]>(this, itemIndex, reviewOnProperty),
			};
			if (settings.rules.length === 0) {
				// Without a rule every applicant would be approved.
				throw new NodeOperationError(
					this.getNode(),
					`Item ${itemIndex + 1}: no rule is chosen in "${rulesProperty.displayName}"`,
					{
						itemIndex,
						description: 'Choose at least one rule, e.g. Document Valid and Face Match.',
					},
				);
			}
			const { decision, reasons } = decide(records, settings, now);
			const { json, binary } = items[itemIndex];
			return { json: { ...json, decision, reasons }, ...(binary ? { binary } : {}) };
		});
		const outputs: INodeExecutionData[][] = [[], [], []];
		// Error items (On Error: Continue) carry no decision: they go to Review, never to Approved.
		for (const item of decided)
			outputs[OUTPUT_OF[item.json.decision as Decision] ?? OUTPUT_OF.review].push(item);
		return outputs;
	}
}
