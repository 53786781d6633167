import nock from 'nock';
import { sleep } from 'n8n-workflow';
import { ApptenticateOcr } from '../../../nodes/Apptenticate/ApptenticateOcr.node';
import { APPTENTICATE_ERROR_CODES } from '../../../nodes/Apptenticate/errorCodes';
import {
	binaryItem,
	binaryReads,
	streamedChunks,
	runNode,
	sentRequests,
	storedBinaryItem,
} from '../../helpers/fakeN8n';
import { makeJpeg, makePng } from '../../helpers/images';
import { formOf } from '../../helpers/multipart';
import {
	BASE,
	INE_SIDES_ANSWER,
	PANAMA_ID_ANSWER,
	apptenticateCredential,
	requestsTo,
	resetHttp,
	tokenEndpoint,
} from './fixtures';

const node = new ApptenticateOcr();
const front = makeJpeg('front');
const back = makeJpeg('back');

function run(
	parameters: Record<string, unknown>,
	items = [binaryItem({ front, back })],
	extra = {},
) {
	return runNode(node, {
		items,
		parameters: {
			documentType: 'identification_card',
			frontImageProperty: 'front',
			backImageProperty: 'back',
			validateSides: false,
			options: {},
			...parameters,
		},
		credential: apptenticateCredential(),
		...extra,
	});
}

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe("Apptenticate OCR: images in n8n's binary store (filesystem and S3 modes)", () => {
	beforeEach(() => {
		binaryReads.length = 0;
		streamedChunks.length = 0;
	});

	it('an image over 1 MB is read in chunks straight into the body, a smaller one whole', async () => {
		const big = makeJpeg('big-front', 1024 * 1024 + 7);
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		await run({}, [storedBinaryItem({ front: big, back })]);
		const form = formOf(requestsTo('/api/v3/ocr/')[0]);
		expect(form.files.frontside.data.equals(big)).toBe(true);
		expect(form.files.backside.data.equals(back)).toBe(true);
		// the large one: 16 bytes for its file type; the small one whole; then the large one in
		// chunks of at most 48 KB as the body is built
		const [head, whole, ...chunks] = binaryReads;
		expect([head, whole]).toEqual([16, back.length]);
		expect(Math.max(...chunks)).toBeLessThanOrEqual(48 * 1024);
		expect(chunks.reduce((sum, size) => sum + size, 0)).toBe(big.length);
		// each chunk's memory given back once it was copied into the body
		expect(streamedChunks.slice(1).map((chunk) => chunk.length)).toEqual(chunks.map(() => 0));
	});

	it('an image over the limit on record is refused without reading it', async () => {
		const big = makeJpeg('big-front', 2 * 1024 * 1024 + 1);
		const error = await run({}, [storedBinaryItem({ front: big, back })]).catch((e) => e);
		expect(error.message).toBe(
			'Item 1: the image in "front" ("Front Image Binary Field") is 2.0 MB; Apptenticate accepts at most 2.0 MB',
		);
		expect(binaryReads.reduce((sum, size) => sum + size, 0)).toBeLessThan(100);
		expect(sentRequests).toHaveLength(0);
	});

	it('database and S3 modes: each image is read whole, once, and arrives whole', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		await run({}, [storedBinaryItem({ front, back }, { mode: 'database' })]);
		const form = formOf(requestsTo('/api/v3/ocr/')[0]);
		expect(form.files.frontside.data.equals(front)).toBe(true);
		expect(form.files.backside.data.equals(back)).toBe(true);
		expect(binaryReads).toEqual([front.length, back.length]);
	});

	it('a file whose size is not the one on record is not sent', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		const big = makeJpeg('big-front', 1024 * 1024 + 7);
		const items = [storedBinaryItem({ front: big }, { recordedSize: big.length + 1 })];
		const error = await run({ documentType: 'passport' }, items).catch((e) => e);
		expect(error.message).toBe('Item 1: the file in "front" changed while it was read');
		expect(requestsTo('/api/v3/ocr/')).toHaveLength(0);
	});
});

describe('Apptenticate OCR: what is sent', () => {
	it('Panamanian ID card: both images, document_type and return_id, with the bearer token', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		await run({});
		const [token] = requestsTo('/api/token/');
		expect(token.body?.toString()).toBe('username=ops&password=s3cret-pass');
		const [call] = requestsTo('/api/v3/ocr/');
		expect(call.headers.authorization).toBe('Bearer jwt-1');
		const form = formOf(call);
		expect(form.fields).toEqual({ document_type: 'identification_card', return_id: 'True' });
		expect(Object.keys(form.files).sort()).toEqual(['backside', 'frontside']);
		expect(form.files.frontside).toMatchObject({
			filename: 'front.jpg',
			contentType: 'image/jpeg',
		});
		expect(form.files.frontside.data.equals(front)).toBe(true);
		expect(form.files.backside.data.equals(back)).toBe(true);
	});

	it('passport: front only, even when the item has a back image', async () => {
		tokenEndpoint();
		nock(BASE)
			.post('/api/v3/ocr/')
			.reply(200, { ...PANAMA_ID_ANSWER, document_number: 'PA1234567' });
		const [item] = await run({ documentType: 'passport' });
		const form = formOf(requestsTo('/api/v3/ocr/')[0]);
		expect(form.fields).toEqual({ document_type: 'passport', return_id: 'True' });
		expect(Object.keys(form.files)).toEqual(['frontside']);
		expect(item.json.documentType).toBe('passport');
		expect(item.json.issuingCountry).toBeNull();
	});

	it('INE goes to v3.2 with the documented id_mexico, overridable to mexican_id', async () => {
		tokenEndpoint(2);
		nock(BASE).post('/api/v3.2/ocr/').times(2).reply(200, INE_SIDES_ANSWER);
		await run({ documentType: 'ine' });
		await run({ documentType: 'ine', options: { ineDocumentTypeValue: 'mexican_id' } });
		const [first, second] = requestsTo('/api/v3.2/ocr/').map(formOf);
		expect(first.fields.document_type).toBe('id_mexico');
		expect(second.fields.document_type).toBe('mexican_id');
	});

	it('options: device, validate sides, no transaction id', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		await run({ validateSides: true, options: { device: 'IOS', returnTransactionId: false } });
		expect(formOf(requestsTo('/api/v3/ocr/')[0]).fields).toEqual({
			document_type: 'identification_card',
			device: 'IOS',
			validate_sides: 'True',
		});
	});
});

describe('Apptenticate OCR: normalized output', () => {
	it('maps the Panamanian ID answer onto the identity schema', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		const [item] = await run({});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			vendor: 'apptenticate',
			documentType: 'id_card',
			documentNumber: 'E-8-123456',
			givenNames: 'Sofia Maria',
			surnames: 'Lopez Contreras',
			fullName: 'Sofia Maria Lopez Contreras',
			gender: 'F',
			birthDate: '1994-10-10',
			issueDate: '2022-08-12',
			expiryDate: '2032-08-12',
			nationality: 'VENEZOLANA',
			issuingCountry: 'PAN',
			valid: true,
			match: null,
			transactionId: '281234',
			vendorDetails: { birthCountry: 'VENEZUELA' },
			raw: PANAMA_ID_ANSWER,
		});
	});

	it('INE with validated sides: match, score, CURP and elector key checks, both sides', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3.2/ocr/').reply(200, INE_SIDES_ANSWER);
		const [item] = await run({
			documentType: 'ine',
			validateSides: true,
			options: { includeRaw: false },
		});
		expect(item.json).toMatchObject({
			documentType: 'voter_id',
			documentNumber: '1234567890123',
			givenNames: 'JUAN CARLOS',
			surnames: 'GARCIA LOPEZ',
			gender: 'M',
			birthDate: '1990-03-15',
			expiryDate: '2025-12-31',
			issuingCountry: 'MEX',
			address: 'CALLE REFORMA 123 COL CENTRO',
			personalNumber: 'GALJ900315HDFRPN01',
			match: true,
			matchScore: 85.5,
			vendorDetails: {
				curp: 'GALJ900315HDFRPN01',
				curpCheck: { valid: true, problems: [] },
				electorKeyCheck: { valid: true },
				section: '1234',
				frontside: INE_SIDES_ANSWER.frontside,
				backside: INE_SIDES_ANSWER.backside,
			},
		});
		expect(item.json).not.toHaveProperty('raw');
	});

	it('INE: a malformed CURP is reported, not rejected; the front gender H/M is Spanish', async () => {
		tokenEndpoint();
		const answer = {
			...INE_SIDES_ANSWER,
			backside: { ...INE_SIDES_ANSWER.backside, gender: undefined },
			frontside: { ...INE_SIDES_ANSWER.frontside, CURP: 'GALJ9003XXHDFRPN01', gender: 'M' },
		};
		nock(BASE).post('/api/v3.2/ocr/').reply(200, answer);
		const [item] = await run({ documentType: 'ine', validateSides: true });
		expect(item.json.gender).toBe('F');
		expect(item.json.vendorDetails).toMatchObject({
			curpCheck: { valid: false, problems: ['characters 5-10 must be digits (date of birth)'] },
		});
	});
});

describe('Apptenticate OCR: vendor errors', () => {
	test.each(Object.entries(APPTENTICATE_ERROR_CODES))(
		'code %s keeps its code and gets English',
		async (code, english) => {
			tokenEndpoint();
			nock(BASE)
				.post('/api/v3/ocr/')
				.reply(400, {
					error: 'Mensaje en español',
					error_code: Number(code),
					details: { metadata: 'detalle' },
				});
			const [item] = await run({}, undefined, { continueOnFail: true });
			// Everything under json.error: n8n's error output only routes items whose json is just { error }.
			expect(Object.keys(item.json)).toEqual(['error']);
			expect(item.json.error).toMatchObject({
				message: `Apptenticate error ${code}: ${english}`,
				code: Number(code),
				vendor: 'apptenticate',
				vendorMessage: 'Mensaje en español',
				description: expect.stringContaining('"Mensaje en español"'),
			});
			expect(item.pairedItem).toEqual({ item: 0 });
		},
	);

	it('an error_code in a 200 answer is an error too (seed 001)', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3.2/ocr/').reply(200, {
			error_code: 806,
			error: 'No se pudo extraer la metadata del documento',
			valid: false,
		});
		await expect(run({ documentType: 'ine' })).rejects.toThrow(
			'Apptenticate error 806: The document data (metadata) could not be extracted',
		);
	});

	it('without continueOnFail the execution fails with the explained error and its item', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(400, { error: 'x', error_code: 813 });
		const error = await run({}).catch((caught) => caught);
		expect(error.message).toBe(
			'Apptenticate error 813: The data on the front and the back of the document do not match',
		);
		expect(error.context.itemIndex).toBe(0);
		expect(error.httpCode).toBe('400');
	});

	it('an HTTP failure without a vendor code is explained', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(500, 'oops');
		await expect(run({})).rejects.toThrow(
			'Apptenticate request failed: the vendor had an internal error; try again later',
		);
	});

	it('503 is retried and then succeeds', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(503).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		const [item] = await run({});
		expect(item.json.documentNumber).toBe('E-8-123456');
		expect(requestsTo('/api/v3/ocr/')).toHaveLength(2);
	}, 10_000);
});

describe('Apptenticate OCR: bad input is refused before anything is sent', () => {
	const cases: Array<[string, Record<string, unknown>, Record<string, Buffer>, string]> = [
		[
			'a missing back image',
			{},
			{ front },
			'Item 2: no image in binary property "back" ("Back Image Binary Field")',
		],
		[
			'a PNG',
			{},
			{ front: makePng('x'), back },
			'Item 2: the file in "front" ("Front Image Binary Field") is a PNG file; Apptenticate accepts JPEG images only',
		],
		[
			'a PDF',
			{},
			{ front, back: Buffer.from('%PDF-1.4 ...') },
			'Item 2: the file in "back" ("Back Image Binary Field") is a PDF file',
		],
		[
			'an image over 2 MB',
			{},
			{ front: makeJpeg('big', 2 * 1024 * 1024 + 1), back },
			'Item 2: the image in "front" ("Front Image Binary Field") is 2.0 MB; Apptenticate accepts at most 2.0 MB',
		],
		[
			'an empty property name',
			{ frontImageProperty: ' ' },
			{ front, back },
			'Item 2: "Front Image Binary Field" is empty',
		],
	];
	test.each(cases)('%s', async (_, parameters, secondItem, message) => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		const items = [binaryItem({ front, back }), binaryItem(secondItem)];
		const params = { ...parameters };
		if (params.frontImageProperty)
			params.frontImageProperty = (i: number) => (i === 1 ? ' ' : 'front');
		const error = await run(params, items).catch((caught) => caught);
		expect(error.message).toContain(message);
		// Only the first, good item reached Apptenticate.
		expect(requestsTo('/api/v3/ocr/')).toHaveLength(1);
	});

	it('a bad first item sends nothing at all, not even a token request', async () => {
		const error = await run({}, [binaryItem({ front })]).catch((caught) => caught);
		expect(error.message).toContain('Item 1: no image in binary property "back"');
		expect(sentRequests).toHaveLength(0);
	});

	it('accepts exactly 2 MB', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		await run({}, [binaryItem({ front: makeJpeg('max', 2 * 1024 * 1024), back })]);
		expect(requestsTo('/api/v3/ocr/')).toHaveLength(1);
	});
});

describe('Apptenticate OCR: many items', () => {
	it('20 items: one token, results in input order, several requests in flight', async () => {
		tokenEndpoint();
		let inFlight = 0;
		let maxInFlight = 0;
		nock(BASE)
			.post('/api/v3/ocr/')
			.times(20)
			.reply((_uri, body, callback) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				// nock hands over binary bodies hex-encoded.
				const text = /^[0-9a-f]+$/.test(String(body))
					? Buffer.from(String(body), 'hex').toString('latin1')
					: String(body);
				const index = Number(/KYC:item-(\d+)/.exec(text)?.[1]);
				// Later requests answer sooner: the output must still follow the input order.
				void sleep(5 + (20 - index) * 2).then(() => {
					inFlight--;
					callback(null, [200, { ...PANAMA_ID_ANSWER, id: index }]);
				});
			});
		const items = Array.from({ length: 20 }, (_, i) =>
			binaryItem({ front: makeJpeg(`item-${i}`), back }, { row: i }),
		);
		const output = await run({ options: { concurrency: 5 } }, items);
		expect(requestsTo('/api/token/')).toHaveLength(1);
		expect(output).toHaveLength(20);
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(maxInFlight).toBe(5);
		// Each output belongs to its own input: the sandbox-style reply echoes the image's item number.
		expect(output.map((item) => item.json.transactionId)).toEqual(items.map((_, i) => String(i)));
	});

	it('continueOnFail: a bad item becomes an error item in its place, the others succeed', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/v3/ocr/').times(2).reply(200, PANAMA_ID_ANSWER);
		const items = [
			binaryItem({ front, back }),
			binaryItem({ front: makePng('x'), back }),
			binaryItem({ front, back }),
		];
		const output = await run({}, items, { continueOnFail: true });
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.documentNumber).toBe('E-8-123456');
		expect((output[1].json.error as { message: string }).message).toContain(
			'Item 2: the file in "front" ("Front Image Binary Field") is a PNG file',
		);
		expect(output[2].json.documentNumber).toBe('E-8-123456');
	});
});

describe('Apptenticate credential', () => {
	it('an expired token (401) is refreshed once and the same multipart body is sent again', async () => {
		tokenEndpoint(1, 'jwt-2');
		nock(BASE)
			.post('/api/v3/ocr/')
			.reply(401, { detail: 'Given token not valid', code: 'token_not_valid' });
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		const output = await runNode(node, {
			items: [binaryItem({ front, back })],
			parameters: {
				documentType: 'identification_card',
				frontImageProperty: 'front',
				backImageProperty: 'back',
				options: {},
			},
			credential: apptenticateCredential('jwt-expired'),
		});
		const calls = requestsTo('/api/v3/ocr/');
		expect(calls.map((call) => call.headers.authorization)).toEqual([
			'Bearer jwt-expired',
			'Bearer jwt-2',
		]);
		expect(calls[1].body?.equals(calls[0].body!)).toBe(true);
		expect(output[0].json.documentNumber).toBe('E-8-123456');
	});

	it('a stored token is used without a token request', async () => {
		nock(BASE).post('/api/v3/ocr/').reply(200, PANAMA_ID_ANSWER);
		await runNode(node, {
			items: [binaryItem({ front, back })],
			parameters: {
				documentType: 'identification_card',
				frontImageProperty: 'front',
				backImageProperty: 'back',
				options: {},
			},
			credential: apptenticateCredential('jwt-stored'),
		});
		expect(requestsTo('/api/token/')).toHaveLength(0);
	});

	it('a wrong password gets a clear message that does not contain the password', async () => {
		nock(BASE)
			.post('/api/token/')
			.reply(401, { detail: 'No active account found with the given credentials' });
		const error = await run({}).catch((caught) => caught);
		expect(String(error.message) + String(error.description)).toContain(
			'Apptenticate refused the username or password',
		);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('s3cret-pass');
	});

	it('has a test request against the token endpoint', () => {
		const credential = apptenticateCredential().type;
		expect(credential.test).toMatchObject({ request: { url: '/api/token/', method: 'POST' } });
	});
});

describe('Apptenticate credential: a refused login', () => {
	it('is tried once per batch: the other items fail with the same message without logging in again', async () => {
		nock(BASE)
			.post('/api/token/')
			.times(5)
			.reply(401, { detail: 'No active account found with the given credentials' });
		const items = Array.from({ length: 5 }, () => binaryItem({ front, back }));
		const output = await run({}, items, { continueOnFail: true });
		expect(requestsTo('/api/token/')).toHaveLength(1);
		expect(requestsTo('/api/v3/ocr/')).toHaveLength(0);
		expect(output).toHaveLength(5);
		for (const item of output) {
			expect((item.json.error as { message: string }).message).toContain(
				'Apptenticate refused the username or password of the credential (HTTP 401)',
			);
		}
	});
});
