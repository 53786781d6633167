import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { readConcurrency } from '../shared/parameters';
import { processWaitingItems } from '../shared/poll';
import { certificateItem } from './actions/certificate';
import {
	certificateBinaryProperty,
	certificateOperation,
	certificateOptions,
	certificateRequestIdProperty,
	certificateUrlProperty,
} from './descriptions';
import { linkContext } from './transport';

export class LinkCertificate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LINK Certificate',
		name: 'linkCertificate',
		icon: { light: 'file:../../icons/link.svg', dark: 'file:../../icons/link.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "byUrl" ? "Get certificate by URL" : "Get certificate by request ID"}}',
		description: 'Download the PDF certificate of a LINK Mobility KYC verification',
		defaults: { name: 'LINK Certificate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkMobilityKycApi', required: true }],
		properties: [
			certificateOperation,
			certificateRequestIdProperty,
			certificateUrlProperty,
			certificateBinaryProperty,
			certificateOptions,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const link = await linkContext(this);
		const concurrency = readConcurrency(this, certificateOptions);
		return [
			await processWaitingItems(
				this,
				async (itemIndex, item) => await certificateItem(this, link, itemIndex, item),
				concurrency,
			),
		];
	}
}
