import nock from 'nock';
import { sleep } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { ProgenyPassportOcr } from '../../../nodes/Progeny/ProgenyPassportOcr.node';
import { readPollingSettings } from '../../../nodes/Progeny/actions/extractPassport';
import { binaryItem, runNode } from '../../helpers/fakeN8n';
import type { RunSetup } from '../../helpers/fakeN8n';
import {
	FAST,
	ORIGIN,
	SEED_SUCCESS,
	TASK_ID,
	TASK_PATH,
	TOKEN_PATH,
	UPLOAD_PATH,
	formOf,
	makeJpeg,
	makePng,
	markerOf,
	progenyCredential,
	remember,
	requestsTo,
	resetHttp,
	running,
	seen,
	successWith,
	taskEndpoint,
	taskEndpointForever,
	tokenEndpoint,
	uploadEndpoint,
} from './fixtures';

const node = new ProgenyPassportOcr();
const passport = makeJpeg('PASSPORT');
const delay = sleep;

function run(
	parameters: Record<string, unknown> = {},
	items = [binaryItem({ data: passport })],
	extra: Partial<RunSetup> = {},
) {
	return runNode(node, {
		items,
		parameters: {
			operation: 'extractPassport',
			passportImageProperty: 'data',
			options: { ...FAST },
			...parameters,
		},
		credential: progenyCredential(),
		...extra,
	});
}

/** Runs and returns the error, failing the test if there is none. */
async function runError(
	...args: Parameters<typeof run>
): Promise<Error & { description?: string; context: IDataObject }> {
	try {
		await run(...args);
	} catch (error) {
		return error as Error & { description?: string; context: IDataObject };
	}
	throw new Error('the node did not fail');
}

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe('Progeny Passport OCR: the upload', () => {
	it('sends exactly passport_image and extend_data, with the bearer token from a JSON login', async () => {
		tokenEndpoint('jwt-1');
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		await run();

		const [login] = requestsTo(TOKEN_PATH);
		expect(login.headers['content-type']).toMatch(/^application\/json/);
		expect(JSON.parse(login.body.toString())).toEqual({
			username: 'ops@example.com',
			password: 's3cret-pass',
		});

		const [upload] = requestsTo(UPLOAD_PATH);
		expect(upload.method).toBe('POST');
		expect(upload.headers.authorization).toBe('Bearer jwt-1');
		const form = formOf(upload);
		expect(form.names.sort()).toEqual(['extend_data', 'passport_image']);
		expect(form.fields).toEqual({ extend_data: 'false' });
		expect(form.files.passport_image).toMatchObject({
			filename: 'data.jpg',
			contentType: 'image/jpeg',
		});
		expect(form.files.passport_image.data.equals(passport)).toBe(true);
	});

	it('option Extend Data sends extend_data=true', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		await run({ options: { ...FAST, extendData: true } });
		expect(formOf(requestsTo(UPLOAD_PATH)[0]).fields).toEqual({ extend_data: 'true' });
	});

	it('a PNG is sent as image/png, from the binary property the parameter names', async () => {
		const png = makePng('PNG-PASSPORT');
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		await run({ passportImageProperty: 'scan' }, [binaryItem({ scan: png })]);
		const file = formOf(requestsTo(UPLOAD_PATH)[0]).files.passport_image;
		expect(file.contentType).toBe('image/png');
		expect(file.data.equals(png)).toBe(true);
	});

	it("Progeny's 400 keeps its words: which field it refused", async () => {
		tokenEndpoint();
		uploadEndpoint(
			{ passport_image: ['No file was submitted.'], extend_data: ['This field is required.'] },
			400,
		);
		const error = await runError();
		expect(error.message).toBe(
			'Progeny passport upload failed: the request was rejected as invalid',
		);
		expect(error.description).toContain(
			'passport_image: No file was submitted.; extend_data: This field is required.',
		);
		expect(requestsTo(TASK_PATH)).toHaveLength(0);
	});

	it('an upload answer without a task id is an error', async () => {
		tokenEndpoint();
		uploadEndpoint({ detail: 'ok' });
		const error = await runError();
		expect(error.message).toBe(
			'Progeny answered the passport upload with something this node does not understand',
		);
	});
});

describe('Progeny Passport OCR: polling', () => {
	it('PENDING -> STARTED -> SUCCESS: three looks at the task, by its id, then the normalized record', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(running('PENDING'), running('STARTED'), SEED_SUCCESS);
		const [item] = await run();
		const polls = requestsTo(TASK_PATH);
		expect(polls).toHaveLength(3);
		for (const poll of polls) {
			expect(poll.query.get('id')).toBe(TASK_ID);
			expect(poll.headers.authorization).toBe('Bearer jwt-1');
		}
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			vendor: 'progeny',
			documentType: 'passport',
			documentNumber: 'XX008080',
			givenNames: 'VALERIA',
			surnames: 'PERFILOVA',
			fullName: 'VALERIA PERFILOVA',
			gender: 'F',
			birthDate: '1991-09-24',
			issueDate: null,
			expiryDate: '2023-09-25',
			nationality: 'UKRAINIAN',
			issuingCountry: null,
			address: null,
			personalNumber: null,
			valid: true,
			match: true,
			matchScore: null,
			isExpired: true,
			age: expect.any(Number),
			documentValid: true,
			documentAuthentic: null,
			faceMatch: true,
			liveness: true,
			sidesMatch: null,
			curpValid: null,
			electorKeyValid: null,
			transactionId: TASK_ID,
			vendorDetails: {
				taskId: TASK_ID,
				taskStatus: 'SUCCESS',
				isValid: true,
				isExpired: false,
				age: 30,
				compare: true,
				liveness: true,
				portraitUrl: 'https://dev.progeny.tech/media/images/services/ocr_passport/9456633680.jpg',
			},
			raw: SEED_SUCCESS,
		});
		expect(item.binary).toBeUndefined();
	});

	it('RECEIVED, RETRY, PROGRESS and unknown states keep polling', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(
			running('RECEIVED'),
			running('RETRY'),
			running('PROGRESS'),
			running('QUEUED'),
			SEED_SUCCESS,
		);
		const [item] = await run();
		expect(requestsTo(TASK_PATH)).toHaveLength(5);
		expect(item.json.documentNumber).toBe('XX008080');
	});

	it('First Poll Delay and Poll Interval set the waits', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(running('PENDING'), SEED_SUCCESS);
		await run({
			options: { firstDelaySeconds: 0.3, pollIntervalSeconds: 0.2, timeoutSeconds: 10 },
		});
		const [upload] = requestsTo(UPLOAD_PATH);
		const [firstLook, secondLook] = requestsTo(TASK_PATH);
		expect(firstLook.at - upload.at).toBeGreaterThanOrEqual(290);
		expect(firstLook.at - upload.at).toBeLessThan(1000);
		expect(secondLook.at - firstLook.at).toBeGreaterThanOrEqual(190);
		expect(secondLook.at - firstLook.at).toBeLessThan(1000);
	});

	it("a FAILURE task is an error carrying the task id and Progeny's answer", async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(running('STARTED'), {
			id: 2188,
			status: 'FAILURE',
			result: { exc_type: 'ValueError', exc_message: 'Passport not recognised' },
		});
		const error = await runError();
		expect(error.message).toBe(
			`Progeny's passport reading failed (task ${TASK_ID} ended with status FAILURE)`,
		);
		expect(error.description).toContain('"exc_message":"Passport not recognised"');
		expect(error.context).toMatchObject({
			vendor: 'progeny',
			vendorCode: 'FAILURE',
			vendorMessage: 'exc_type: ValueError; exc_message: Passport not recognised',
			taskId: TASK_ID,
		});
		expect(requestsTo(TASK_PATH)).toHaveLength(2);
	});

	it.each(['REVOKED', 'rejected', 'Error', 'failure'])(
		'the failure state %s ends the polling',
		async (status) => {
			tokenEndpoint();
			uploadEndpoint();
			taskEndpoint(running(status));
			const error = await runError();
			expect(error.message).toContain(`ended with status ${status.toUpperCase()}`);
			expect(requestsTo(TASK_PATH)).toHaveLength(1);
		},
	);

	it('a SUCCESS whose result status is 400 or more is a failure, with the vendor message', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint({
			id: 2188,
			status: 'SUCCESS',
			result: { status: 422, data: { detail: 'MRZ not found' } },
		});
		const error = await runError();
		expect(error.message).toBe(
			`Progeny could not read the passport (task ${TASK_ID} finished with status 422)`,
		);
		expect(error.context).toMatchObject({
			vendorCode: 422,
			vendorMessage: 'MRZ not found',
			taskId: TASK_ID,
		});
	});

	it('a timeout is an error that gives the task id, to fetch the result later', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpointForever(running('STARTED'));
		const started = Date.now();
		const error = await runError({
			options: { firstDelaySeconds: 0.01, pollIntervalSeconds: 0.02, timeoutSeconds: 0.15 },
		});
		const elapsed = Date.now() - started;
		expect(error.message).toBe(
			`Progeny did not finish task ${TASK_ID} within 0.15 seconds (last status: STARTED)`,
		);
		expect(error.description).toContain('"Get Task Result"');
		expect(error.context).toMatchObject({ vendor: 'progeny', taskId: TASK_ID });
		expect(elapsed).toBeGreaterThanOrEqual(150);
		expect(elapsed).toBeLessThan(1500);
		expect(requestsTo(TASK_PATH).length).toBeGreaterThanOrEqual(3);
	});

	it('a cancelled execution stops polling at once: no further look at the task', async () => {
		const controller = new AbortController();
		tokenEndpoint();
		uploadEndpoint();
		taskEndpointForever(running('PENDING'));
		const started = Date.now();
		const execution = run(
			{ options: { firstDelaySeconds: 0, pollIntervalSeconds: 1, timeoutSeconds: 60 } },
			undefined,
			{
				signal: controller.signal,
			},
		);
		// abort 50 ms after the first look, i.e. during the 1 s wait before the second one
		while (requestsTo(TASK_PATH).length === 0) await delay(5);
		void delay(50).then(() => controller.abort());
		await expect(execution).rejects.toThrow('The execution was cancelled');
		expect(Date.now() - started).toBeLessThan(700);
		await delay(1200);
		expect(requestsTo(TASK_PATH)).toHaveLength(1);
	});

	it('cancelled during the first delay: the task is never polled', async () => {
		const controller = new AbortController();
		tokenEndpoint();
		uploadEndpoint();
		taskEndpointForever(running('PENDING'));
		void delay(100).then(() => controller.abort());
		const started = Date.now();
		await expect(
			run(
				{ options: { firstDelaySeconds: 1, pollIntervalSeconds: 1, timeoutSeconds: 60 } },
				undefined,
				{
					signal: controller.signal,
				},
			),
		).rejects.toThrow('The execution was cancelled');
		expect(Date.now() - started).toBeLessThan(700);
		await delay(1100);
		expect(requestsTo(UPLOAD_PATH)).toHaveLength(1);
		expect(requestsTo(TASK_PATH)).toHaveLength(0);
	});
});

describe('Progeny Passport OCR: output options', () => {
	it('Include Raw Response off leaves raw out', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		const [item] = await run({ options: { ...FAST, includeRaw: false } });
		expect(item.json).not.toHaveProperty('raw');
		expect(item.json.documentNumber).toBe('XX008080');
	});

	it("Extend Data passes the provider's original answer through", async () => {
		const provider = {
			provider: 'acme-ocr',
			original: { mrz: 'P<UKRPERFILOVA<<VALERIA<<<<', confidence: 0.97 },
		};
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(successWith({}, provider));
		const [item] = await run({ options: { ...FAST, extendData: true } });
		expect((item.json.vendorDetails as IDataObject).providerResponse).toEqual(provider);
	});

	it('without Extend Data there is no providerResponse', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(successWith({}, { provider: 'acme-ocr' }));
		const [item] = await run();
		expect(item.json.vendorDetails).not.toHaveProperty('providerResponse');
	});

	it('Download Portrait on the credential host: fetched with the bearer token, output as binary', async () => {
		const portrait = makeJpeg('PORTRAIT');
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(
			successWith({ portrait_url: `${ORIGIN}/media/images/services/ocr_passport/9456633680.jpg` }),
		);
		nock(ORIGIN)
			.get('/media/images/services/ocr_passport/9456633680.jpg')
			.reply(function (_uri, body) {
				remember(this as never, body);
				return [200, portrait, { 'Content-Type': 'image/jpeg' }];
			});
		const [item] = await run({ options: { ...FAST, downloadPortrait: true } });
		const [download] = requestsTo('/media/images/services/ocr_passport/9456633680.jpg');
		expect(download.headers.authorization).toBe('Bearer jwt-1');
		expect(item.binary?.portrait).toMatchObject({
			fileName: '9456633680.jpg',
			mimeType: 'image/jpeg',
		});
		expect(Buffer.from(item.binary!.portrait.data, 'base64').equals(portrait)).toBe(true);
	});

	it('Download Portrait on another host (as in the seed): fetched without Authorization, into the named property', async () => {
		const portrait = makePng('PORTRAIT');
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		nock('https://dev.progeny.tech')
			.get('/media/images/services/ocr_passport/9456633680.jpg')
			.reply(function (_uri, body) {
				remember(this as never, body);
				return [200, portrait];
			});
		const [item] = await run({
			options: { ...FAST, downloadPortrait: true, portraitBinaryProperty: 'face' },
		});
		const [download] = requestsTo('/media/images/services/ocr_passport/9456633680.jpg');
		expect(download.headers.authorization).toBeUndefined();
		expect(download.headers.host).toBe('dev.progeny.tech');
		expect(Object.keys(item.binary ?? {})).toEqual(['face']);
		// the type comes from the bytes, not from the name
		expect(item.binary!.face.mimeType).toBe('image/png');
	});

	it('a relative portrait address is resolved against the credential host and sent with the token', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(successWith({ portrait_url: '/media/p.jpg' }));
		nock(ORIGIN)
			.get('/media/p.jpg')
			.reply(function (_uri, body) {
				remember(this as never, body);
				return [200, makeJpeg('P')];
			});
		const [item] = await run({ options: { ...FAST, downloadPortrait: true } });
		expect(requestsTo('/media/p.jpg')[0].headers.authorization).toBe('Bearer jwt-1');
		expect(item.binary?.portrait.fileName).toBe('p.jpg');
	});

	it('a refused portrait on another host is an error with the task id and a hint', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		nock('https://dev.progeny.tech')
			.get(/.*/)
			.reply(403, { detail: 'Authentication credentials were not provided.' });
		const error = await runError({ options: { ...FAST, downloadPortrait: true } });
		expect(error.message).toBe(
			'Progeny portrait download failed: the account is not allowed to use this service',
		);
		expect(error.description).toContain("not on the credential's host");
		expect(error.description).toContain('Authentication credentials were not provided.');
		expect(error.context.taskId).toBe(TASK_ID);
	});

	it('a portrait address that returns no image is an error', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(successWith({ portrait_url: `${ORIGIN}/login/` }));
		nock(ORIGIN).get('/login/').reply(200, '<html>Log in</html>', { 'Content-Type': 'text/html' });
		const error = await runError({ options: { ...FAST, downloadPortrait: true } });
		expect(error.message).toBe("Progeny's portrait address did not return a JPEG or PNG image");
	});

	it('no portrait_url in the answer: no download, no binary, portraitUrl null', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(successWith({ portrait_url: undefined }));
		const [item] = await run({ options: { ...FAST, downloadPortrait: true } });
		expect(item.binary).toBeUndefined();
		expect((item.json.vendorDetails as IDataObject).portraitUrl).toBeNull();
	});
});

describe('Progeny Passport OCR: bad input sends nothing and names the item', () => {
	const cases: Array<[string, Record<string, unknown>, INodeExecutionData[], string]> = [
		[
			'no image',
			{},
			[binaryItem({ other: passport })],
			'Item 1: no image in binary property "data" ("Input Binary Field")',
		],
		[
			'a PDF',
			{},
			[binaryItem({ data: Buffer.from('%PDF-1.7 fake') })],
			'Item 1: the file in "data" ("Input Binary Field") is a PDF file; Progeny accepts JPEG or PNG images only',
		],
		[
			'empty property name',
			{ passportImageProperty: ' ' },
			[binaryItem({ data: passport })],
			'Item 1: "Input Binary Field" is empty',
		],
		[
			'zero poll interval',
			{ options: { ...FAST, pollIntervalSeconds: 0 } },
			[binaryItem({ data: passport })],
			'Item 1: "Poll Interval (Seconds)" must be a number of seconds greater than 0',
		],
		[
			'negative timeout',
			{ options: { ...FAST, timeoutSeconds: -5 } },
			[binaryItem({ data: passport })],
			'Item 1: "Timeout (Seconds)" must be a number of seconds greater than 0',
		],
		[
			'a first delay that is not a number',
			{ options: { ...FAST, firstDelaySeconds: 'soon' } },
			[binaryItem({ data: passport })],
			'Item 1: "First Poll Delay (Seconds)" must be a number of seconds of 0 or more',
		],
		[
			'an empty portrait property',
			{ options: { ...FAST, downloadPortrait: true, portraitBinaryProperty: '' } },
			[binaryItem({ data: passport })],
			'Item 1: "Put Portrait in Field" is empty',
		],
	];

	it.each(cases)('%s', async (_name, parameters, items, message) => {
		const token = tokenEndpoint();
		const upload = uploadEndpoint();
		const error = await runError(parameters, items);
		expect(error.message).toBe(message);
		expect(seen).toHaveLength(0);
		expect(token.isDone()).toBe(false);
		expect(upload.isDone()).toBe(false);
	});

	it('the second item is bad: only the first one was sent, the error names item 2', async () => {
		tokenEndpoint();
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		const error = await runError({}, [
			binaryItem({ data: passport }),
			binaryItem({ data: Buffer.from('GIF89a...') }),
		]);
		expect(error.message).toBe(
			'Item 2: the file in "data" ("Input Binary Field") is a GIF file; Progeny accepts JPEG or PNG images only',
		);
		expect(requestsTo(UPLOAD_PATH)).toHaveLength(1);
	});

	it('a wrong password reads clearly and does not show the password', async () => {
		nock(ORIGIN)
			.post(TOKEN_PATH)
			.reply(401, { detail: 'No active account found with the given credentials' });
		const error = await runError();
		expect(error.message).toBe(
			'Progeny passport upload failed: Progeny refused the username or password of the credential (HTTP 401)',
		);
		expect(
			JSON.stringify({
				message: error.message,
				description: error.description,
				context: error.context,
			}),
		).not.toContain('s3cret-pass');
	});
});

/**
 * A Progeny for batches: each image carries its item number as a marker, the upload answers
 * task-<n>, the task is STARTED at the first look and SUCCESS (document P<n>) at the second.
 * Every answer is delayed, and the number of requests in flight is measured.
 */
function batchServer(
	setup: { replyMs?: number; expireTokenAtUpload?: number; finishAfterUploads?: number } = {},
) {
	const stats = { inFlight: 0, maxInFlight: 0, refused: 0 };
	const looks = new Map<string, number>();
	let uploads = 0;
	let expired = false;
	let tokens = 0;
	const slow = async (reply: [number, unknown]) => {
		stats.inFlight++;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		await delay(setup.replyMs ?? 30);
		stats.inFlight--;
		return reply;
	};
	const refuseOldToken = (authorization: string) => {
		if (expired && authorization === 'Bearer jwt-1') {
			stats.refused++;
			return true;
		}
		return false;
	};
	nock(ORIGIN)
		.post(TOKEN_PATH)
		.reply(function (_uri, body) {
			remember(this as never, body);
			return [200, { refresh: 'r', access: tokens++ === 0 ? 'jwt-1' : 'jwt-2' }];
		})
		.persist();
	nock(ORIGIN)
		.post(UPLOAD_PATH)
		.reply(async function (_uri, body) {
			const request = remember(this as never, body);
			if (++uploads === setup.expireTokenAtUpload) expired = true;
			if (refuseOldToken(request.headers.authorization))
				return await slow([401, { detail: 'Given token not valid' }]);
			const item = markerOf(formOf(request).files.passport_image.data)!.split('=')[1];
			return await slow([200, { id: `task-${item}` }]);
		})
		.persist();
	nock(ORIGIN)
		.get(TASK_PATH)
		.query(true)
		.reply(async function (_uri, body) {
			const request = remember(this as never, body);
			if (refuseOldToken(request.headers.authorization))
				return await slow([401, { detail: 'Given token not valid' }]);
			const id = request.query.get('id')!;
			const look = (looks.get(id) ?? 0) + 1;
			looks.set(id, look);
			const finished = look >= 2 && uploads >= (setup.finishAfterUploads ?? 0);
			return await slow([
				200,
				finished ? successWith({ documentNumber: `P${id.slice(5)}` }) : running('STARTED'),
			]);
		})
		.persist();
	return stats;
}

const batch = (count: number) =>
	Array.from({ length: count }, (_, i) => binaryItem({ data: makeJpeg(`ITEM=${i}`) }));

describe('Progeny Passport OCR: many items', () => {
	it('10 items: one token, results in input order, uploads and polls overlap up to Concurrency (5)', async () => {
		const stats = batchServer();
		const items = batch(10);
		const output = await run({}, items);
		expect(requestsTo(TOKEN_PATH)).toHaveLength(1);
		expect(output.map((item) => item.json.documentNumber)).toEqual(items.map((_, i) => `P${i}`));
		expect(output.map((item) => item.json.transactionId)).toEqual(items.map((_, i) => `task-${i}`));
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(requestsTo(UPLOAD_PATH)).toHaveLength(10);
		expect(requestsTo(TASK_PATH)).toHaveLength(20);
		expect(stats.maxInFlight).toBe(5);
	});

	it('50 items: every task waits at Progeny at once (none finishes before the last upload), at most 5 requests in flight', async () => {
		// Bounding the tasks instead of the requests could not finish this batch: 5 unfinished
		// tasks would hold every slot and the 6th upload would never be sent.
		const stats = batchServer({ finishAfterUploads: 50, replyMs: 5 });
		const items = batch(50);
		const output = await run({ options: { ...FAST, pollIntervalSeconds: 0.05 } }, items);
		expect(output.map((item) => item.json.documentNumber)).toEqual(items.map((_, i) => `P${i}`));
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(requestsTo(UPLOAD_PATH)).toHaveLength(50);
		expect(requestsTo(TOKEN_PATH)).toHaveLength(1);
		expect(stats.maxInFlight).toBeLessThanOrEqual(5);
		const looks = new Map<string, number>();
		for (const poll of requestsTo(TASK_PATH))
			looks.set(poll.query.get('id')!, (looks.get(poll.query.get('id')!) ?? 0) + 1);
		expect(looks.size).toBe(50);
	});

	it('the uploads go in input order, each task id is logged at upload with the item and the execution (no personal data)', async () => {
		batchServer();
		const logged: Array<{ message: string; meta?: object }> = [];
		const info = (message: string, meta?: object) => logged.push({ message, meta });
		const noop = () => {};
		const items = batch(6);
		await run({ options: { ...FAST, concurrency: 2 } }, items, {
			logger: { debug: noop, info, warn: noop, error: noop },
		});
		expect(
			requestsTo(UPLOAD_PATH).map((upload) => markerOf(formOf(upload).files.passport_image.data)),
		).toEqual(items.map((_, i) => `ITEM=${i}`));
		expect(logged).toEqual(
			items.map((_, i) => ({
				message: `Progeny task task-${i} created for item ${i + 1}`,
				meta: {
					taskId: `task-${i}`,
					itemIndex: i,
					executionId: 'test-execution-1',
					node: 'Node Under Test',
				},
			})),
		);
	});

	it('a stopped execution uploads nothing more: the items not yet uploaded never start', async () => {
		const stats = batchServer({ replyMs: 20 });
		const controller = new AbortController();
		const execution = run({ options: { ...FAST, concurrency: 1 } }, batch(10), {
			signal: controller.signal,
		});
		while (requestsTo(UPLOAD_PATH).length < 2) await delay(2);
		controller.abort();
		await expect(execution).rejects.toThrow('The execution was cancelled');
		await delay(100);
		expect(requestsTo(UPLOAD_PATH)).toHaveLength(2);
		expect(stats.inFlight).toBe(0);
	});

	it('option Concurrency bounds the requests in flight', async () => {
		const stats = batchServer();
		const output = await run({ options: { ...FAST, concurrency: 2 } }, batch(6));
		expect(output).toHaveLength(6);
		expect(stats.maxInFlight).toBe(2);
	});

	it('a token that expires mid-batch (401) is obtained again and every item succeeds', async () => {
		const stats = batchServer({ expireTokenAtUpload: 4 });
		const items = batch(10);
		const output = await run({}, items);
		expect(output.map((item) => item.json.documentNumber)).toEqual(items.map((_, i) => `P${i}`));
		expect(stats.refused).toBeGreaterThanOrEqual(1);
		const logins = requestsTo(TOKEN_PATH).length;
		// one at the start, then one per request that met the 401 (at most Concurrency)
		expect(logins).toBeGreaterThanOrEqual(2);
		expect(logins).toBeLessThanOrEqual(1 + 5);
		// the refused uploads were sent again, whole, with the new token
		const uploads = requestsTo(UPLOAD_PATH);
		const resent = uploads.filter((upload) => upload.headers.authorization === 'Bearer jwt-2');
		expect(resent.length).toBeGreaterThanOrEqual(1);
		for (const upload of resent)
			expect(markerOf(formOf(upload).files.passport_image.data)).toMatch(/^ITEM=\d$/);
	});

	it('one item: the upload meets a 401, the token is refreshed, the same multipart body is sent again', async () => {
		tokenEndpoint('jwt-2');
		nock(ORIGIN)
			.post(UPLOAD_PATH)
			.reply(function (_uri, body) {
				remember(this as never, body);
				return [
					401,
					{ detail: 'Given token not valid for any token type', code: 'token_not_valid' },
				];
			});
		uploadEndpoint();
		taskEndpoint(SEED_SUCCESS);
		const [item] = await runNode(node, {
			items: [binaryItem({ data: passport })],
			parameters: {
				operation: 'extractPassport',
				passportImageProperty: 'data',
				options: { ...FAST },
			},
			credential: progenyCredential('expired-jwt'),
		});
		const [refused, accepted] = requestsTo(UPLOAD_PATH);
		expect(refused.headers.authorization).toBe('Bearer expired-jwt');
		expect(accepted.headers.authorization).toBe('Bearer jwt-2');
		expect(accepted.body.equals(refused.body)).toBe(true);
		expect(requestsTo(TOKEN_PATH)).toHaveLength(1);
		expect(item.json.documentNumber).toBe('XX008080');
	});

	it('Continue On Fail: failure, timeout and bad input become error items with pairedItem and taskId', async () => {
		tokenEndpoint();
		let uploads = 0;
		nock(ORIGIN)
			.post(UPLOAD_PATH)
			.times(3)
			.reply(function (_uri, body) {
				remember(this as never, body);
				return [200, { id: `task-${uploads++}` }];
			});
		nock(ORIGIN)
			.get(TASK_PATH)
			.query(true)
			.reply(function (_uri, body) {
				const request = remember(this as never, body);
				const id = request.query.get('id');
				if (id === 'task-0') return [200, SEED_SUCCESS];
				if (id === 'task-1')
					return [200, { id: 7, status: 'FAILURE', result: { detail: 'Unreadable image' } }];
				return [200, running('STARTED')];
			})
			.persist();
		const items = [
			binaryItem({ data: passport }),
			binaryItem({ data: passport }),
			binaryItem({ data: passport }),
			binaryItem({ nothing: passport }),
		];
		const output = await run({ options: { ...FAST, timeoutSeconds: 0.1, concurrency: 1 } }, items, {
			continueOnFail: true,
		});
		expect(output).toHaveLength(4);
		expect(output[0].json.documentNumber).toBe('XX008080');
		expect(output[1]).toEqual({
			json: {
				error: {
					message: "Progeny's passport reading failed (task task-1 ended with status FAILURE)",
					description: expect.stringContaining('Unreadable image'),
					vendor: 'progeny',
					code: 'FAILURE',
					vendorMessage: 'Unreadable image',
					taskId: 'task-1',
				},
			},
			pairedItem: { item: 1 },
		});
		expect(output[2]).toMatchObject({
			json: {
				error: {
					message: 'Progeny did not finish task task-2 within 0.1 seconds (last status: STARTED)',
					vendor: 'progeny',
					taskId: 'task-2',
				},
			},
			pairedItem: { item: 2 },
		});
		expect(output[3]).toMatchObject({
			json: {
				error: { message: 'Item 4: no image in binary property "data" ("Input Binary Field")' },
			},
			pairedItem: { item: 3 },
		});
		expect(requestsTo(UPLOAD_PATH)).toHaveLength(3);
	});
});

describe('Progeny Passport OCR: description', () => {
	it('the polling defaults shown in n8n are the ones the code uses', () => {
		const options = node.description.properties.find((property) => property.name === 'options')!
			.options as Array<{
			name: string;
			default: unknown;
		}>;
		const defaults = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(defaults).toMatchObject({
			firstDelaySeconds: 2,
			pollIntervalSeconds: 2,
			timeoutSeconds: 120,
		});
		expect(defaults).toMatchObject({
			extendData: false,
			downloadPortrait: false,
			portraitBinaryProperty: 'portrait',
		});
		expect(node.description.usableAsTool).toBe(true);
		expect(node.description.credentials).toEqual([{ name: 'progenyApi', required: true }]);
	});

	it('without options the polling waits 2 s, looks every 2 s and gives up after 120 s', () => {
		const ctx = { getNode: () => ({ name: 'Progeny' }) } as never;
		expect(readPollingSettings(ctx, 0, {})).toEqual({
			firstDelayMs: 2000,
			intervalMs: 2000,
			timeoutMs: 120_000,
			timeoutSeconds: 120,
		});
		expect(
			readPollingSettings(ctx, 0, {
				firstDelaySeconds: 0,
				pollIntervalSeconds: '0.5',
				timeoutSeconds: 30,
			}),
		).toEqual({
			firstDelayMs: 0,
			intervalMs: 500,
			timeoutMs: 30_000,
			timeoutSeconds: 30,
		});
	});
});
