import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImageParameter } from '../../shared/binaryImage';
import { waitUnlessCancelled } from '../../shared/wait';
import {
	PROGENY_IMAGE_RULES,
	getTask,
	taskFailedError,
	taskState,
	taskTimeoutError,
	uploadPassport,
} from '../transport';
import type { ProgenyContext, ProgenyTask } from '../transport';
import { readOutputSettings, taskOutput } from './taskOutput';

export const POLLING_DEFAULTS = { firstDelaySeconds: 2, pollIntervalSeconds: 2, timeoutSeconds: 120 };

export interface PollingSettings {
	firstDelayMs: number;
	intervalMs: number;
	timeoutMs: number;
	timeoutSeconds: number;
}

function readSeconds(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	name: keyof typeof POLLING_DEFAULTS,
	label: string,
	allowZero: boolean,
): number {
	const value = options[name] ?? POLLING_DEFAULTS[name];
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || (!allowZero && seconds === 0)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex + 1}: "${label}" must be a number of seconds ${allowZero ? 'of 0 or more' : 'greater than 0'}`,
			{ itemIndex, description: `Received: ${JSON.stringify(value)}. Default: ${POLLING_DEFAULTS[name]}.` },
		);
	}
	return seconds;
}

export function readPollingSettings(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): PollingSettings {
	const firstDelay = readSeconds(ctx, itemIndex, options, 'firstDelaySeconds', 'First Poll Delay (Seconds)', true);
	const interval = readSeconds(ctx, itemIndex, options, 'pollIntervalSeconds', 'Poll Interval (Seconds)', false);
	const timeout = readSeconds(ctx, itemIndex, options, 'timeoutSeconds', 'Timeout (Seconds)', false);
	return {
		firstDelayMs: firstDelay * 1000,
		intervalMs: interval * 1000,
		timeoutMs: timeout * 1000,
		timeoutSeconds: timeout,
	};
}

/**
 * Looks at the task until it succeeds, fails or runs out of time. Every wait is cancellable:
 * a stopped execution ends the polling at once.
 */
export async function pollTask(
	progeny: ProgenyContext,
	taskId: string,
	polling: PollingSettings,
	itemIndex: number,
): Promise<ProgenyTask> {
	const { ctx } = progeny;
	const deadline = Date.now() + polling.timeoutMs;
	await waitUnlessCancelled(ctx, Math.min(polling.firstDelayMs, polling.timeoutMs));
	for (;;) {
		const task = await getTask(progeny, taskId, itemIndex);
		const state = taskState(task);
		if (state === 'done') return task;
		if (state === 'failed') throw taskFailedError(ctx, taskId, task, itemIndex);
		const remaining = deadline - Date.now();
		if (remaining <= 0) throw taskTimeoutError(ctx, taskId, polling.timeoutSeconds, task.status, itemIndex);
		// The last wait ends at the deadline, so the task gets one last look before the timeout.
		await waitUnlessCancelled(ctx, Math.min(polling.intervalMs, remaining));
	}
}

/** Operation "Extract Passport Data": upload, then poll the task to its end. */
export async function extractPassportItem(
	ctx: IExecuteFunctions,
	progeny: ProgenyContext,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const extendData = options.extendData === true;
	const polling = readPollingSettings(ctx, itemIndex, options);
	const output = readOutputSettings(ctx, itemIndex, options, extendData);
	const image = await readImageParameter(
		ctx,
		itemIndex,
		'passportImageProperty',
		'Input Binary Field',
		PROGENY_IMAGE_RULES,
	);

	const taskId = await uploadPassport(progeny, image, extendData, itemIndex);
	const task = await pollTask(progeny, taskId, polling, itemIndex);
	return await taskOutput(progeny, taskId, task, output, itemIndex);
}
