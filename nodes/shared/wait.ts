import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

export type CancellableContext = Pick<IExecuteFunctions, 'getNode'> &
	Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>;

const cancelledError = (ctx: CancellableContext) => new NodeOperationError(ctx.getNode(), 'The execution was cancelled');

/** Throws when the execution was cancelled: checked before every vendor call of a loop. */
export function throwIfCancelled(ctx: CancellableContext): void {
	if (ctx.getExecutionCancelSignal?.()?.aborted) throw cancelledError(ctx);
}

/**
 * Waits `ms`, and stops at once when the execution is cancelled. Neither n8n version exports
 * `sleepWithAbort` from n8n-workflow (2.x has it inside `sleep(ms, signal)`; 1.x's `sleep` takes
 * no signal), so the signal is raced here for both (2.x's `sleep` also gets it, to clear its timer).
 */
export async function waitUnlessCancelled(ctx: CancellableContext, ms: number): Promise<void> {
	const signal = ctx.getExecutionCancelSignal?.();
	throwIfCancelled(ctx);
	if (!signal) return await sleep(ms);
	let onAbort: () => void = () => {};
	try {
		// Our listener is added before sleep's, so our error wins the race.
		const abort = new Promise<never>((_, reject) => {
			onAbort = () => reject(cancelledError(ctx));
			signal.addEventListener('abort', onAbort, { once: true });
		});
		await Promise.race([abort, sleep(ms, signal)]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
