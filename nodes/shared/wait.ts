import * as n8nWorkflow from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n 1.x (n8n-workflow 1.120) exports `sleepWithAbort(ms, signal)`; 2.x (n8n-workflow 2.41) has
 * no such export and takes the signal in `sleep(ms, signal)` instead. Either clears its timer on abort.
 */
const sleepWithSignal: Sleep =
	(n8nWorkflow as { sleepWithAbort?: Sleep }).sleepWithAbort ?? n8nWorkflow.sleep;

export type CancellableContext = Pick<IExecuteFunctions, 'getNode'> &
	Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>;

const cancelledError = (ctx: CancellableContext) =>
	new NodeOperationError(ctx.getNode(), 'The execution was cancelled');

/** Throws when the execution was cancelled: checked before every vendor call of a loop. */
export function throwIfCancelled(ctx: CancellableContext): void {
	if (ctx.getExecutionCancelSignal?.()?.aborted) throw cancelledError(ctx);
}

/**
 * Waits `ms`, and stops at once when the execution is cancelled, with the same error in both n8n
 * versions (their sleeps reject with different errors, so the signal is raced here too).
 */
export async function waitUnlessCancelled(ctx: CancellableContext, ms: number): Promise<void> {
	const signal = ctx.getExecutionCancelSignal?.();
	throwIfCancelled(ctx);
	if (!signal) return await sleepWithSignal(ms);
	let onAbort: () => void = () => {};
	try {
		// Our listener is added before the sleep's, so our error wins the race.
		const abort = new Promise<never>((_, reject) => {
			onAbort = () => reject(cancelledError(ctx));
			signal.addEventListener('abort', onAbort, { once: true });
		});
		await Promise.race([abort, sleepWithSignal(ms, signal)]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
