import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImageParameter } from '../../shared/binaryImage';
import { readSeconds } from '../../shared/poll';
import type { WaitingItem } from '../../shared/poll';
import { pollTask } from '../task';
import type { PollingSettings } from '../task';
import { PROGENY_IMAGE_RULES, uploadPassport } from '../transport';
import type { ProgenyContext } from '../transport';
import { readOutputSettings, taskOutput } from './taskOutput';

export const POLLING_DEFAULTS = { firstDelaySeconds: 2, pollIntervalSeconds: 2, timeoutSeconds: 120 };

export function readPollingSettings(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): PollingSettings {
	const seconds = (name: keyof typeof POLLING_DEFAULTS, label: string, allowZero: boolean) =>
		readSeconds(ctx, itemIndex, options[name], { label, default: POLLING_DEFAULTS[name], allowZero });
	const firstDelay = seconds('firstDelaySeconds', 'First Poll Delay (Seconds)', true);
	const interval = seconds('pollIntervalSeconds', 'Poll Interval (Seconds)', false);
	const timeout = seconds('timeoutSeconds', 'Timeout (Seconds)', false);
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
		const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const extendData = options.extendData === true;
		const polling = readPollingSettings(ctx, itemIndex, options);
		const output = readOutputSettings(ctx, itemIndex, options, extendData);
		const image = await readImageParameter(
			ctx,
			itemIndex,
			'passportImageProperty',
			'Passport Image Property',
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
