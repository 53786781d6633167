import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { processItems } from '../shared/items';
import { readConcurrency, readParameter } from '../shared/parameters';
import { pingItem, verifyItem } from './actions/verify';
import {
	backImageProperty,
	certifyCallbackProperty,
	certifyProperty,
	expeditorCountryProperty,
	faceImageProperty,
	frontImageProperty,
	manualVerificationCallbackProperty,
	manualVerificationProperty,
	verifyOperation,
	verifyOptions,
	verifyRequestIdProperty,
} from './descriptions';
import { linkContext } from './transport';

export class LinkVerify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LINK Verify',
		name: 'linkVerify',
		icon: { light: 'file:../../icons/link.svg', dark: 'file:../../icons/link.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "ping" ? "Ping" : "Verify identity document"}}',
		description: 'Verify an identity document (and optionally a face) with LINK Mobility KYC',
		defaults: { name: 'LINK Verify' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkMobilityKycApi', required: true }],
		properties: [
			verifyOperation,
			frontImageProperty,
			backImageProperty,
			faceImageProperty,
			expeditorCountryProperty,
			verifyRequestIdProperty,
			certifyProperty,
			certifyCallbackProperty,
			manualVerificationProperty,
			manualVerificationCallbackProperty,
			verifyOptions,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const link = await linkContext(this);
		if (readParameter(this, 0, verifyOperation) === 'ping') {
			return [await processItems(this, async (itemIndex) => await pingItem(link, itemIndex))];
		}
		const concurrency = readConcurrency(this, verifyOptions);
		return [
			await processItems(
				this,
				async (itemIndex) => await verifyItem(this, link, itemIndex),
				concurrency,
			),
		];
	}
}
