import { sleep, NodeOperationError } from 'n8n-workflow';
import type { INodeExecutionData } from 'n8n-workflow';
import { pollUntil, processWaitingItems, readSeconds } from '../../../nodes/shared/poll';
import type { WaitingItem } from '../../../nodes/shared/poll';
import { baseContext, testNode } from '../../helpers/fakeN8n';

const ctx = (signal?: AbortSignal) => ({
	getNode: () => testNode,
	getExecutionCancelSignal: () => signal,
});
const timedOut = () => new Error('timed out');

describe('pollUntil: one deadline rule', () => {
	beforeEach(() => jest.useFakeTimers({ now: 0 }));
	afterEach(() => jest.useRealTimers());

	/** Runs a poll whose looks never find anything; returns the times of the looks and the outcome. */
	async function neverReady(schedule: {
		firstDelayMs: number;
		intervalMs: number;
		timeoutMs: number;
	}) {
		const looks: number[] = [];
		const polling = pollUntil(
			ctx(),
			{
				firstDelayMs: schedule.firstDelayMs,
				intervalMs: schedule.intervalMs,
				deadline: Date.now() + schedule.timeoutMs,
			},
			async () => {
				looks.push(Date.now());
				return undefined;
			},
			timedOut,
		).then(
			() => 'resolved',
			(error: Error) => error.message,
		);
		await jest.advanceTimersByTimeAsync(schedule.timeoutMs + 10 * schedule.intervalMs);
		return { looks, outcome: await polling };
	}

	it('3 s time-out, 1 s interval: looks at 0, 1, 2 and 3 s, the last one at the deadline, then the time-out', async () => {
		const { looks, outcome } = await neverReady({
			firstDelayMs: 0,
			intervalMs: 1000,
			timeoutMs: 3000,
		});
		expect(looks).toEqual([0, 1000, 2000, 3000]);
		expect(outcome).toBe('timed out');
	});

	it('an interval that does not divide the time-out: the last wait is cut to end at the deadline', async () => {
		const { looks } = await neverReady({ firstDelayMs: 500, intervalMs: 2000, timeoutMs: 5000 });
		expect(looks).toEqual([500, 2500, 4500, 5000]);
	});

	it('a first delay longer than the time-out: one look, at the deadline', async () => {
		const { looks, outcome } = await neverReady({
			firstDelayMs: 10_000,
			intervalMs: 1000,
			timeoutMs: 2000,
		});
		expect(looks).toEqual([2000]);
		expect(outcome).toBe('timed out');
	});

	it('the interval counts from the end of a look: a slow look is not followed by a hurried one', async () => {
		const looks: number[] = [];
		const polling = pollUntil(
			ctx(),
			{ firstDelayMs: 0, intervalMs: 1000, deadline: 10_000 },
			async () => {
				looks.push(Date.now());
				await sleep(700);
				return looks.length === 3 ? 'done' : undefined;
			},
			timedOut,
		);
		await jest.advanceTimersByTimeAsync(10_000);
		await expect(polling).resolves.toBe('done');
		expect(looks).toEqual([0, 1700, 3400]);
	});

	it('a stopped execution: the wait ends at once and no further look is made', async () => {
		const controller = new AbortController();
		let looks = 0;
		const polling = pollUntil(
			ctx(controller.signal),
			{ firstDelayMs: 0, intervalMs: 60_000, deadline: 600_000 },
			async () => {
				looks++;
				return undefined;
			},
			timedOut,
		).catch((error: Error) => error);
		await jest.advanceTimersByTimeAsync(1000);
		controller.abort();
		const error = await polling;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('The execution was cancelled');
		await jest.advanceTimersByTimeAsync(600_000);
		expect(looks).toBe(1);
	});

	it('stopped while a look is in flight: the round after it makes no call', async () => {
		const controller = new AbortController();
		let looks = 0;
		const polling = pollUntil(
			ctx(controller.signal),
			{ firstDelayMs: 0, intervalMs: 0, deadline: 600_000 },
			async () => {
				looks++;
				controller.abort();
				return undefined;
			},
			timedOut,
		).catch((error: Error) => error.message);
		await jest.advanceTimersByTimeAsync(100);
		expect(await polling).toBe('The execution was cancelled');
		expect(looks).toBe(1);
	});
});

describe('readSeconds', () => {
	const option = { label: 'Timeout (Seconds)', default: 300, allowZero: false };
	it('takes numbers and numeric strings, falls back to the default', () => {
		expect(readSeconds(ctx(), 0, 2.5, option)).toBe(2.5);
		expect(readSeconds(ctx(), 0, '30', option)).toBe(30);
		expect(readSeconds(ctx(), 0, undefined, option)).toBe(300);
	});
	it.each([0, -1, 'soon', Number.NaN])('refuses %p, naming the item and the option', (value) => {
		expect(() => readSeconds(ctx(), 2, value, option)).toThrow(
			'Item 3: "Timeout (Seconds)" must be a number of seconds greater than 0',
		);
	});
});

describe('processWaitingItems: Concurrency bounds the calls in flight, not the items waiting', () => {
	const delay = async (ms: number) => await sleep(ms);

	function execution(count: number, continueOnFail = false, signal?: AbortSignal) {
		return baseContext({
			items: Array.from({ length: count }, (_, i): INodeExecutionData => ({ json: { i } })),
			parameters: {},
			continueOnFail,
			signal,
		}) as never;
	}

	/** Every item: a start call, then waits "at the vendor" until every item's start call is done, then one more call. */
	function vendor(count: number) {
		const stats = {
			inFlight: 0,
			maxInFlight: 0,
			started: [] as number[],
			uploaded: 0,
			waiting: 0,
			maxWaiting: 0,
		};
		const vendorCall = async <T>(value: T) => {
			stats.inFlight++;
			stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
			await delay(5);
			stats.inFlight--;
			return value;
		};
		const handler = async (itemIndex: number, { start, call }: WaitingItem) => {
			await start(async () => {
				stats.started.push(itemIndex);
				if (itemIndex === 2 && failAt2)
					throw new NodeOperationError(testNode, 'item 3 failed', { itemIndex });
				await vendorCall(itemIndex);
				stats.uploaded++;
			});
			stats.waiting++;
			stats.maxWaiting = Math.max(stats.maxWaiting, stats.waiting);
			while (stats.uploaded < count && !stopped) await delay(2);
			stats.waiting--;
			return { json: { result: await call(async () => await vendorCall(`r${itemIndex}`)) } };
		};
		let failAt2 = false;
		let stopped = false;
		return {
			stats,
			handler,
			failAtItem3: () => (failAt2 = true),
			stop: () => (stopped = true),
		};
	}

	it('20 items at Concurrency 3: all wait together, at most 3 calls in flight, output in input order with pairedItem', async () => {
		const { stats, handler } = vendor(20);
		const output = await processWaitingItems(execution(20), handler, 3);
		expect(stats.maxInFlight).toBe(3);
		expect(stats.maxWaiting).toBe(20);
		expect(stats.started).toEqual(Array.from({ length: 20 }, (_, i) => i));
		expect(output).toEqual(
			Array.from({ length: 20 }, (_, i) => ({
				json: { result: `r${i}` },
				pairedItem: { item: i },
			})),
		);
	});

	it('a failure without Continue On Fail: no later item starts, and that failure is thrown', async () => {
		const setup = vendor(6);
		setup.failAtItem3();
		setup.stop();
		await expect(processWaitingItems(execution(6), setup.handler, 1)).rejects.toThrow(
			'item 3 failed',
		);
		expect(setup.stats.started).toEqual([0, 1, 2]);
	});

	it('Continue On Fail: the failure is an error item in its place, the other items run', async () => {
		const setup = vendor(6);
		setup.failAtItem3();
		setup.stop();
		const output = await processWaitingItems(execution(6, true), setup.handler, 2);
		expect(
			output.map((item) => item.json.result ?? (item.json.error as { message: string }).message),
		).toEqual(['r0', 'r1', 'item 3 failed', 'r3', 'r4', 'r5']);
		expect(output[2].pairedItem).toEqual({ item: 2 });
	});

	it('a stopped execution: no further item starts', async () => {
		const controller = new AbortController();
		const started: number[] = [];
		const handler = async (itemIndex: number, { start }: WaitingItem) => {
			await start(async () => {
				started.push(itemIndex);
				await delay(5);
				if (itemIndex === 1) controller.abort();
			});
			return { json: {} };
		};
		await expect(
			processWaitingItems(execution(10, false, controller.signal), handler, 1),
		).rejects.toThrow('The execution was cancelled');
		expect(started).toEqual([0, 1]);
	});
});
