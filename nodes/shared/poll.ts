import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_CONCURRENCY, processItems } from './items';
import { throwIfCancelled, waitUnlessCancelled } from './wait';
import type { CancellableContext } from './wait';

export interface PollSchedule {
	/** Wait before the first look. */
	firstDelayMs: number;
	/** Wait between the end of one look and the next. */
	intervalMs: number;
	/** When to give up (epoch ms). */
	deadline: number;
}

/**
 * Looks until `look` gives a value. The one deadline rule of the package: the wait before a look
 * never runs past the deadline, so the last look is at the deadline itself, and only a look at or
 * after the deadline that finds nothing ends in `timedOut`. Every round checks the execution's
 * cancel signal, so a stopped execution makes no further call.
 */
export async function pollUntil<T>(
	ctx: CancellableContext,
	schedule: PollSchedule,
	look: () => Promise<T | undefined>,
	timedOut: () => Error,
): Promise<T> {
	const remaining = () => schedule.deadline - Date.now();
	await waitUnlessCancelled(ctx, Math.max(0, Math.min(schedule.firstDelayMs, remaining())));
	for (;;) {
		throwIfCancelled(ctx);
		const value = await look();
		if (value !== undefined) return value;
		if (remaining() <= 0) throw timedOut();
		await waitUnlessCancelled(ctx, Math.min(schedule.intervalMs, remaining()));
	}
}

/** Reads a number of seconds from an option; a wrong value names the item and the option. */
export function readSeconds(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	value: unknown,
	option: { label: string; default: number; allowZero: boolean },
): number {
	const raw = value ?? option.default;
	const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (
		typeof seconds !== 'number' ||
		!Number.isFinite(seconds) ||
		seconds < 0 ||
		(!option.allowZero && seconds === 0)
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex + 1}: "${option.label}" must be a number of seconds ${option.allowZero ? 'of 0 or more' : 'greater than 0'}`,
			{ itemIndex, description: `Received: ${JSON.stringify(raw)}. Default: ${option.default}.` },
		);
	}
	return seconds;
}

/** `readSeconds` for a declared option of the node's options collection: its label and default. */
export function readSecondsOption(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	options: IDataObject,
	property: INodeProperties,
	allowZero: boolean,
): number {
	return readSeconds(ctx, itemIndex, options[property.name], {
		label: property.displayName,
		default: property.default as number,
		allowZero,
	});
}

/** Takes turns: at most `width` calls run at once, the others wait first come, first served. */
class CallSlots {
	private free: number;

	private readonly waiting: Array<() => void> = [];

	constructor(width: number) {
		this.free = Math.max(1, Math.floor(width) || 1);
	}

	async take(): Promise<void> {
		if (this.free > 0) {
			this.free--;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	give(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.free++;
	}
}

/** Raised for an item that never started because an earlier item failed (never shown: see below). */
class NotStartedError extends NodeOperationError {}

export interface WaitingItem {
	/**
	 * The item's first step (reading its parameters, its first, billed, vendor call), in a slot.
	 * Items start in input order; after a failure without Continue On Fail, or once the execution
	 * is cancelled, no further item starts.
	 */
	start<T>(step: () => Promise<T>): Promise<T>;
	/** Any later vendor call of the item (a look at its task, a download), in a slot. */
	call<T>(step: () => Promise<T>): Promise<T>;
}

/**
 * Runs items whose work waits at the vendor (upload, then poll). Concurrency bounds the vendor
 * calls in flight, not the items: every item gets its turn to start, then waits at the vendor
 * without holding a slot, so N tasks take about one task time instead of N / Concurrency of them.
 * Output order, pairedItem and error items are processItems' own.
 */
export async function processWaitingItems(
	ctx: IExecuteFunctions,
	handler: (itemIndex: number, item: WaitingItem) => Promise<INodeExecutionData>,
	concurrency: number | undefined,
): Promise<INodeExecutionData[]> {
	const slots = new CallSlots(concurrency ?? DEFAULT_CONCURRENCY);
	const continueOnFail = ctx.continueOnFail();
	let failed = false;
	const inSlot = async <T>(
		step: () => Promise<T>,
		starting: boolean,
		itemIndex: number,
	): Promise<T> => {
		await slots.take();
		const outcome = await (async () => {
			// processItems throws the failure of the lowest item index: items start in input order,
			// so an item skipped here always comes after the failure that stopped it.
			if (starting && failed)
				throw new NotStartedError(ctx.getNode(), 'Not started after an earlier item failed', {
					itemIndex,
				});
			throwIfCancelled(ctx);
			return await step();
		})().then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		// Marked before the slot goes to the next item, so that item does not start.
		if ('error' in outcome && !continueOnFail) failed = true;
		slots.give();
		if ('error' in outcome) throw outcome.error;
		return outcome.value;
	};
	const count = ctx.getInputData().length;
	// processItems calls the handlers one after another in input order; each asks for its start
	// slot at once, so the start queue is in input order.
	return await processItems(
		ctx,
		async (itemIndex) => {
			const outcome = await handler(itemIndex, {
				start: async (step) => await inSlot(step, true, itemIndex),
				call: async (step) => await inSlot(step, false, itemIndex),
			}).then(
				(output) => ({ output }),
				(error: unknown) => ({ error }),
			);
			if ('output' in outcome) return outcome.output;
			if (!continueOnFail) failed = true;
			throw outcome.error;
		},
		Math.max(1, count),
	);
}
