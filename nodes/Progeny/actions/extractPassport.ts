import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImageParameter } from '../../shared/binaryImage';
import { readOption, readParameter } from '../../shared/parameters';
import { readSecondsOption } from '../../shared/poll';
import type { WaitingItem } from '../../shared/poll';
import {
	extendDataOption,
	firstPollDelayOption,
	optionsProperty,
	passportImageProperty,
	pollIntervalOption,
	timeoutOption,
} from '../descriptions';
import { pollTask } from '../task';
import type { PollingSettings } from '../task';
import { PROGENY_IMAGE_RULES, uploadPassport } from '../transport';
import type { ProgenyContext } from '../transport';
import { readOutputSettings, taskOutput } from './taskOutput';

export function readPollingSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): PollingSettings {
	const firstDelay = readSecondsOption(ctx, itemIndex, options, firstPollDelayOption, true);
	const interval = readSecondsOption(ctx, itemIndex, options, pollIntervalOption, false);
	const timeout = readSecondsOption(ctx, itemIndex, options, timeoutOption, false);
	return {
		firstDelayMs: firstDelay * 1000,
		intervalMs: interval * 1000,
		timeoutMs: timeout * 1000,
		timeoutSeconds: timeout,
	};
}

/**
 * Operation "Extract Passport Data": upload, then poll the task to its end. The upload is the
 * item's start; its look-ups and the portrait download take turns with the other items' calls.
 */
export async function extractPassportItem(
	ctx: IExecuteFunctions,
	progeny: ProgenyContext,
	itemIndex: number,
	{ start, call }: WaitingItem,
): Promise<INodeExecutionData> {
	const { taskId, polling, output } = await start(async () => {
		const options = readParameter<IDataObject>(ctx, itemIndex, optionsProperty);
		const extendData = readOption(options, extendDataOption) === true;
		const polling = readPollingSettings(ctx, itemIndex, options);
		const output = readOutputSettings(ctx, itemIndex, options, extendData);
		const image = await readImageParameter(
			ctx,
			itemIndex,
			passportImageProperty,
			PROGENY_IMAGE_RULES,
		);
		const taskId = await uploadPassport(progeny, image, extendData, itemIndex);
		// The task is billed from here on: if this execution is lost (a worker dies), the log is
		// where the user finds the id to fetch the result with "Get Task Result".
		ctx.logger.info(`Progeny task ${taskId} created for item ${itemIndex + 1}`, {
			taskId,
			itemIndex,
			executionId: ctx.getExecutionId(),
			node: ctx.getNode().name,
		});
		return { taskId, polling, output };
	});
	const task = await pollTask(progeny, taskId, polling, itemIndex, call);
	return await call(async () => await taskOutput(progeny, taskId, task, output, itemIndex));
}
