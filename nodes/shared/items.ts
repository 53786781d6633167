import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export const DEFAULT_CONCURRENCY = 5;

export type ItemHandler = (itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>;

/**
 * An error item for "On Error: Continue". Everything sits under `json.error`: n8n's "Continue
 * (using error output)" only routes items whose json holds nothing but `error` (1.x: exactly that).
 */
function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const details: IDataObject = { message: error.message };
	if (error.description) details.description = error.description;
	const context = error.context ?? {};
	const fields = {
		vendor: 'vendor',
		code: 'vendorCode',
		vendorMessage: 'vendorMessage',
		taskId: 'taskId',
		requestId: 'requestId',
	};
	for (const [name, key] of Object.entries(fields)) {
		if (context[key] !== undefined) details[name] = context[key];
	}
	return { json: { error: details }, pairedItem: { item: itemIndex } };
}

/**
 * Runs `handler` for every input item with at most `concurrency` in flight, and returns the
 * results in input order, each with `pairedItem`. (One token for the batch is the transport's
 * business: see tokenCredential.ts.)
 *
 * With continueOnFail an error becomes an error item in the failed item's place; otherwise no
 * new item starts after a failure, and the error of the first failed item is thrown.
 */
export async function processItems(
	ctx: IExecuteFunctions,
	handler: ItemHandler,
	concurrency = DEFAULT_CONCURRENCY,
): Promise<INodeExecutionData[]> {
	const count = ctx.getInputData().length;
	const results: INodeExecutionData[][] = new Array(count);
	const failures = new Map<number, NodeApiError | NodeOperationError>();
	const continueOnFail = ctx.continueOnFail();
	let next = 0;

	const runOne = async (itemIndex: number) => {
		try {
			const output = await handler(itemIndex);
			results[itemIndex] = (Array.isArray(output) ? output : [output]).map((item) => ({
				...item,
				pairedItem: item.pairedItem ?? { item: itemIndex },
			}));
		} catch (caught) {
			const error =
				caught instanceof NodeApiError || caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(ctx.getNode(), caught as Error, { itemIndex });
			if (continueOnFail) results[itemIndex] = [errorItem(error, itemIndex)];
			else failures.set(itemIndex, error);
		}
	};
	const worker = async () => {
		while (next < count && failures.size === 0) await runOne(next++);
	};

	const width = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));
	await Promise.all(Array.from({ length: width }, worker));

	if (failures.size > 0) {
		const [, error] = [...failures.entries()].sort(([a], [b]) => a - b)[0];
		throw error;
	}
	return results.flat();
}
