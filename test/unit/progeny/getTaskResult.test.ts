import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { ProgenyPassportOcr } from '../../../nodes/Progeny/ProgenyPassportOcr.node';
import { runNode } from '../../helpers/fakeN8n';
import {
	ORIGIN,
	SEED_SUCCESS,
	TASK_ID,
	TASK_PATH,
	TOKEN_PATH,
	makeJpeg,
	progenyCredential,
	remember,
	requestsTo,
	resetHttp,
	running,
	seen,
	successWith,
	taskEndpoint,
	tokenEndpoint,
} from './fixtures';

const node = new ProgenyPassportOcr();

function run(
	taskId: unknown,
	options: IDataObject = {},
	extra: { continueOnFail?: boolean; items?: number } = {},
) {
	return runNode(node, {
		items: Array.from({ length: extra.items ?? 1 }, () => ({ json: {} })),
		parameters: { operation: 'getTaskResult', taskId, options },
		credential: progenyCredential(),
		continueOnFail: extra.continueOnFail,
	});
}

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe('Progeny Passport OCR: Get Task Result', () => {
	it('a finished task: one look-up (no polling), the normalized record', async () => {
		tokenEndpoint();
		taskEndpoint(SEED_SUCCESS);
		const [item] = await run(` ${TASK_ID} `);
		const looks = requestsTo(TASK_PATH);
		expect(looks).toHaveLength(1);
		expect(looks[0].query.get('id')).toBe(TASK_ID);
		expect(looks[0].headers.authorization).toBe('Bearer jwt-1');
		expect(item.json).toMatchObject({
			vendor: 'progeny',
			documentType: 'passport',
			documentNumber: 'XX008080',
			birthDate: '1991-09-24',
			issueDate: null,
			expiryDate: '2023-09-25',
			valid: true,
			match: true,
			transactionId: TASK_ID,
			vendorDetails: {
				taskId: TASK_ID,
				taskStatus: 'SUCCESS',
				isExpired: false,
				age: 30,
				liveness: true,
			},
			raw: SEED_SUCCESS,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('an unfinished task is not an error: its status and nulls, once, so a workflow can loop', async () => {
		tokenEndpoint();
		taskEndpoint(running('PENDING'));
		const [item] = await run(TASK_ID, { includeRaw: false });
		expect(requestsTo(TASK_PATH)).toHaveLength(1);
		expect(item.json).toEqual({
			vendor: 'progeny',
			documentType: 'passport',
			documentNumber: null,
			givenNames: null,
			surnames: null,
			fullName: null,
			gender: null,
			birthDate: null,
			issueDate: null,
			expiryDate: null,
			nationality: null,
			issuingCountry: null,
			address: null,
			personalNumber: null,
			valid: null,
			match: null,
			matchScore: null,
			isExpired: null,
			age: null,
			documentValid: null,
			documentAuthentic: null,
			faceMatch: null,
			liveness: null,
			sidesMatch: null,
			curpValid: null,
			electorKeyValid: null,
			transactionId: TASK_ID,
			vendorDetails: {
				taskId: TASK_ID,
				taskStatus: 'PENDING',
				isValid: null,
				isExpired: null,
				age: null,
				compare: null,
				liveness: null,
				portraitUrl: null,
			},
		});
	});

	it('an unfinished task is not downloaded from even with Download Portrait on', async () => {
		tokenEndpoint();
		taskEndpoint(running('STARTED'));
		const [item] = await run(TASK_ID, { downloadPortrait: true });
		expect(item.binary).toBeUndefined();
		expect(seen.map((request) => request.path)).toEqual([TOKEN_PATH, TASK_PATH]);
	});

	it('a failed task is an error with the task id; with Continue On Fail an error item', async () => {
		tokenEndpoint('jwt-1', 'jwt-1'); // two runs, two fresh credentials
		taskEndpoint({ id: 9, status: 'FAILURE', result: { detail: 'Unreadable image' } });
		await expect(run(TASK_ID)).rejects.toMatchObject({
			message: `Progeny's passport reading failed (task ${TASK_ID} ended with status FAILURE)`,
			context: expect.objectContaining({ taskId: TASK_ID, vendorMessage: 'Unreadable image' }),
		});

		taskEndpoint({ id: 9, status: 'FAILURE', result: { detail: 'Unreadable image' } });
		const [item] = await run(TASK_ID, {}, { continueOnFail: true });
		expect(item).toMatchObject({
			json: {
				error: {
					vendor: 'progeny',
					code: 'FAILURE',
					taskId: TASK_ID,
					vendorMessage: 'Unreadable image',
				},
			},
			pairedItem: { item: 0 },
		});
	});

	it('a look-up Progeny refuses (404) keeps the task id in the error', async () => {
		tokenEndpoint();
		nock(ORIGIN).get(TASK_PATH).query(true).reply(404, { detail: 'Not found.' });
		await expect(run('no-such-task')).rejects.toMatchObject({
			message: 'Progeny task look-up failed: the resource was not found',
			description: `Progeny's message: "Not found." Task ID: no-such-task.`,
			context: expect.objectContaining({ taskId: 'no-such-task' }),
		});
	});

	it.each([[''], ['   '], [undefined]])(
		'an empty Task ID (%p) sends nothing and names the item',
		async (taskId) => {
			const token = tokenEndpoint();
			await expect(run(taskId)).rejects.toThrow('Item 1: "Task ID" is empty');
			expect(seen).toHaveLength(0);
			expect(token.isDone()).toBe(false);
		},
	);

	it('an empty Task ID on item 2 with Continue On Fail: item 1 is looked up, item 2 is an error item', async () => {
		tokenEndpoint();
		taskEndpoint(SEED_SUCCESS);
		const output = await run(
			(itemIndex: number) => (itemIndex === 0 ? TASK_ID : ''),
			{},
			{ continueOnFail: true, items: 2 },
		);
		expect(output[0].json.documentNumber).toBe('XX008080');
		expect(output[1]).toEqual({
			json: { error: expect.objectContaining({ message: 'Item 2: "Task ID" is empty' }) },
			pairedItem: { item: 1 },
		});
		expect(requestsTo(TASK_PATH)).toHaveLength(1);
	});

	it('Download Portrait and extend_data pass-through work here too', async () => {
		const portrait = makeJpeg('PORTRAIT');
		tokenEndpoint();
		taskEndpoint(
			successWith(
				{ portrait_url: `${ORIGIN}/media/p.jpg` },
				{ original_response: { vendor: 'x' } },
			),
		);
		nock(ORIGIN)
			.get('/media/p.jpg')
			.reply(function (_uri, body) {
				remember(this as never, body);
				return [200, portrait];
			});
		const [item] = await run(TASK_ID, { downloadPortrait: true, portraitBinaryProperty: 'photo' });
		expect(requestsTo('/media/p.jpg')[0].headers.authorization).toBe('Bearer jwt-1');
		expect(Buffer.from(item.binary!.photo.data, 'base64').equals(portrait)).toBe(true);
		expect((item.json.vendorDetails as IDataObject).providerResponse).toEqual({
			original_response: { vendor: 'x' },
		});
	});
});
