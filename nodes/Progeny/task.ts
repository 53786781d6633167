import type { IExecuteFunctions } from 'n8n-workflow';
import { vendorError } from '../shared/errors';
import { pollUntil } from '../shared/poll';
import { timeoutOption } from './descriptions';
import { getTask, shorten, vendorWords } from './transport';
import type { ProgenyContext, ProgenyTask } from './transport';

/** A Progeny task: its states, how it ends, and the loop that waits for its end. */

export type TaskState = 'done' | 'failed' | 'running';

/** Celery's terminal failure states (Progeny runs its services as Celery tasks). */
const FAILED_STATUSES = ['FAILURE', 'REVOKED', 'REJECTED', 'ERROR'];

/** The HTTP-like status Progeny puts in `result.status`, when there is one. */
export function resultStatus(task: ProgenyTask): number | undefined {
	const result = task.result as { status?: unknown } | null | undefined;
	const status = Number(typeof result === 'object' && result !== null ? result.status : undefined);
	return Number.isFinite(status) ? status : undefined;
}

/**
 * SUCCESS is done, a Celery failure state is failed; anything else (PENDING, STARTED,
 * RECEIVED, RETRY, PROGRESS, unknown) is still running. A finished task whose result carries
 * an error status (>= 400) failed as well.
 */
export function taskState(task: ProgenyTask): TaskState {
	const status = task.status.trim().toUpperCase();
	if (FAILED_STATUSES.includes(status)) return 'failed';
	if (status !== 'SUCCESS') return 'running';
	const code = resultStatus(task);
	return code !== undefined && code >= 400 ? 'failed' : 'done';
}

/** A failed task: the vendor's answer is kept in the description, the task id in the context. */
export function taskFailedError(
	ctx: IExecuteFunctions,
	taskId: string,
	task: ProgenyTask,
	itemIndex: number,
) {
	const code = resultStatus(task);
	const status = task.status.trim().toUpperCase();
	const words =
		vendorWords((task.result as { data?: unknown } | undefined)?.data) ?? vendorWords(task.result);
	const answer = shorten(JSON.stringify(task.result ?? null));
	const error = vendorError(ctx, {
		vendor: 'progeny',
		message:
			status === 'SUCCESS'
				? `Progeny could not read the passport (task ${taskId} finished with status ${code})`
				: `Progeny's passport reading failed (task ${taskId} ended with status ${status})`,
		description: `Progeny's answer: ${answer}. Check that the image shows the passport's photo page, sharp and at most 1080 px high, then try again.`,
		vendorCode: status === 'SUCCESS' ? code : status,
		vendorMessage: words,
		itemIndex,
	});
	error.context.taskId = taskId;
	return error;
}

/** The task did not finish in time: the id is kept so the result can be fetched later. */
export function taskTimeoutError(
	ctx: IExecuteFunctions,
	taskId: string,
	timeoutSeconds: number,
	lastStatus: string,
	itemIndex: number,
) {
	const error = vendorError(ctx, {
		vendor: 'progeny',
		message: `Progeny did not finish task ${taskId} within ${timeoutSeconds} seconds (last status: ${lastStatus})`,
		description: `The task may still finish. Fetch it later with the operation "Get Task Result" and task ID ${taskId}, or raise the option "${timeoutOption.displayName}".`,
		itemIndex,
	});
	error.context.taskId = taskId;
	return error;
}

export interface PollingSettings {
	firstDelayMs: number;
	intervalMs: number;
	timeoutMs: number;
	timeoutSeconds: number;
}

/**
 * Looks at the task until it succeeds, fails or runs out of time (the shared deadline rule: a
 * last look at the deadline). `look` runs one look-up: the caller decides when its turn comes.
 */
export async function pollTask(
	progeny: ProgenyContext,
	taskId: string,
	polling: PollingSettings,
	itemIndex: number,
	look: (lookUp: () => Promise<ProgenyTask>) => Promise<ProgenyTask> = async (lookUp) =>
		await lookUp(),
): Promise<ProgenyTask> {
	const { ctx } = progeny;
	let lastStatus = '';
	return await pollUntil(
		ctx,
		{
			firstDelayMs: polling.firstDelayMs,
			intervalMs: polling.intervalMs,
			deadline: Date.now() + polling.timeoutMs,
		},
		async () => {
			const task = await look(async () => await getTask(progeny, taskId, itemIndex));
			const state = taskState(task);
			if (state === 'failed') throw taskFailedError(ctx, taskId, task, itemIndex);
			lastStatus = task.status;
			return state === 'done' ? task : undefined;
		},
		() => taskTimeoutError(ctx, taskId, polling.timeoutSeconds, lastStatus, itemIndex),
	);
}
