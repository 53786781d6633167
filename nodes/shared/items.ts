import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export const DEFAULT_CONCURRENCY = 5;

export type ItemHandler = (itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>;

/** An error item for "Continue (using error output)" / "Continue On Fail": what and which vendor code. */
function errorItem(error: Error & { description?: string | null; context?: IDataObject }, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.errorDescription = error.description;
	if (error.context?.vendor !== undefined) json.vendor = error.context.vendor;
	if (error.context?.vendorCode !== undefined) json.errorCode = error.context.vendorCode;
	if (error.context?.vendorMessage !== undefined) json.vendorMessage = error.context.vendorMessage;
	for (const key of ['taskId', 'requestId'] as const) {
		if (error.context?.[key] !== undefined) json[key] = error.context[key];
	}
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs `handler` for every input item with at most `concurrency` in flight, and returns the
 * results in input order, each with `pairedItem`. (One token for the batch is the transport's
 * business: see authenticatedRequest.)
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
	const failures = new Map<number, Error>();
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
				caught instanceof Error
					? caught
					: new NodeOperationError(ctx.getNode(), String(caught), { itemIndex });
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
		const [itemIndex, error] = [...failures.entries()].sort(([a], [b]) => a - b)[0];
		if (error instanceof NodeOperationError || error instanceof NodeApiError) throw error;
		throw new NodeOperationError(ctx.getNode(), error, { itemIndex });
	}
	return results.flat();
}
