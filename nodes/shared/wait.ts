import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Waits `ms`, and stops at once when the execution is cancelled. n8n 1.x's `sleep` takes no
 * abort signal, so the signal is raced here for both versions (2.x's `sleep` also gets it, to
 * clear its timer).
 */
export async function waitUnlessCancelled(
	ctx: Pick<IExecuteFunctions, 'getNode'> & Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>,
	ms: number,
): Promise<void> {
	const signal = ctx.getExecutionCancelSignal?.();
	const cancelled = () => new NodeOperationError(ctx.getNode(), 'The execution was cancelled');
	if (signal?.aborted) throw cancelled();
	if (!signal) return await sleep(ms);
	let onAbort: () => void = () => {};
	try {
		// Our listener is added before sleep's, so our error wins the race.
		const abort = new Promise<never>((_, reject) => {
			onAbort = () => reject(cancelled());
			signal.addEventListener('abort', onAbort, { once: true });
		});
		await Promise.race([abort, sleep(ms, signal)]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
