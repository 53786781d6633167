import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readParameter, requireText } from '../../shared/parameters';
import { optionsProperty, taskIdProperty } from '../descriptions';
import { taskFailedError, taskState } from '../task';
import { getTask } from '../transport';
import type { ProgenyContext } from '../transport';
import { readOutputSettings, taskOutput } from './taskOutput';

/**
 * Operation "Get Task Result": one look-up, no polling. An unfinished task is not an error: its
 * record carries vendorDetails.taskStatus (and nulls), so a workflow can wait and look again.
 */
export async function getTaskResultItem(
	ctx: IExecuteFunctions,
	progeny: ProgenyContext,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const options = readParameter<IDataObject>(ctx, itemIndex, optionsProperty);
	const taskId = requireText(
		ctx,
		itemIndex,
		taskIdProperty,
		'Enter the task ID that the operation "Extract Passport Data" returned (transactionId), or that a timeout error gave.',
	);
	// Only a task created with extend_data holds the provider's answer: pass it on when present.
	const output = readOutputSettings(ctx, itemIndex, options, true);

	const task = await getTask(progeny, taskId, itemIndex);
	if (taskState(task) === 'failed') throw taskFailedError(ctx, taskId, task, itemIndex);
	return await taskOutput(progeny, taskId, task, output, itemIndex);
}
