import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { includeRawOption } from '../../shared/descriptions';
import { identityRecord } from '../../shared/identity';
import { readOption } from '../../shared/parameters';
import { downloadPortraitOption, portraitPropertyOption } from '../descriptions';
import { normalizeTask } from '../normalize';
import { taskState } from '../task';
import { downloadPortrait } from '../transport';
import type { ProgenyContext, ProgenyTask } from '../transport';

export interface OutputSettings {
	includeRaw: boolean;
	/** Pass the provider's original answer through under vendorDetails.providerResponse. */
	providerResponse: boolean;
	/** The binary property for the portrait, when the portrait is to be downloaded. */
	portraitProperty?: string;
}

/** Reads the output options of an item; a wrong value fails before anything is sent. */
export function readOutputSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	providerResponse: boolean,
): OutputSettings {
	const settings: OutputSettings = {
		includeRaw: readOption(options, includeRawOption) !== false,
		providerResponse,
	};
	if (readOption(options, downloadPortraitOption) === true) {
		const property = String(readOption(options, portraitPropertyOption) ?? '').trim();
		if (property === '') {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex + 1}: "${portraitPropertyOption.displayName}" is empty`,
				{
					itemIndex,
					description:
						'Enter the name of the binary property the portrait is written to, for example "portrait".',
				},
			);
		}
		settings.portraitProperty = property;
	}
	return settings;
}

/** The output item of a task: the identity record, and the portrait when asked for and finished. */
export async function taskOutput(
	progeny: ProgenyContext,
	taskId: string,
	task: ProgenyTask,
	settings: OutputSettings,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const fields = normalizeTask(taskId, task, { providerResponse: settings.providerResponse });
	const json = identityRecord('progeny', fields, task as IDataObject, settings.includeRaw);
	const portraitUrl = fields.vendorDetails?.portraitUrl;
	if (!settings.portraitProperty || taskState(task) !== 'done' || typeof portraitUrl !== 'string') {
		return { json };
	}
	const portrait = await downloadPortrait(progeny, portraitUrl, taskId, itemIndex);
	const binary = await progeny.ctx.helpers.prepareBinaryData(
		portrait.data,
		portrait.fileName,
		portrait.mimeType,
	);
	return { json, binary: { [settings.portraitProperty]: binary } };
}
