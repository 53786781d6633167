import type { NodeApiError } from 'n8n-workflow';
import nock from 'nock';
import { LinkVerify } from '../../../nodes/Link/LinkVerify.node';
import type { CredentialSetup } from '../../helpers/fakeN8n';
import { binaryItem, runNode, sentRequests, storedBinaryItem } from '../../helpers/fakeN8n';
import { makeJpeg, makePng } from '../../helpers/images';
import {
	BASE,
	MANUAL_ANSWER,
	PASSWORD,
	UUID,
	automaticAnswer,
	jsonOf,
	linkCredential,
	requestsTo,
	resetHttp,
	tokenEndpoint,
} from './fixtures';

const node = new LinkVerify();
const front = makeJpeg('front');
const back = makeJpeg('back');
const selfie = makePng('selfie');
const b64 = (data: Buffer) => data.toString('base64');

const VERIFY_DEFAULTS = {
	operation: 'verify',
	frontImageProperty: 'front',
	backImageProperty: '',
	faceImageProperty: '',
	expeditorCountry: 'ES',
	requestId: '',
	certify: false,
	certifyCallback: '',
	manualVerification: false,
	manualVerificationCallback: '',
	options: {},
};

function run(
	parameters: Record<string, unknown> = {},
	items = [binaryItem({ front, back, selfie })],
	extra: { credential?: CredentialSetup; continueOnFail?: boolean } = {},
) {
	return runNode(node, {
		items,
		parameters: { ...VERIFY_DEFAULTS, ...parameters },
		credential: extra.credential ?? linkCredential(),
		continueOnFail: extra.continueOnFail,
	});
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected the node to fail');
}

const verifyCall = () => nock(BASE).post('/identity/verify');

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe('LINK Verify: the JSON body sent to POST /identity/verify', () => {
	it('one image: the documented body, a fresh UUID as id, and the bearer token', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run();
		const body = jsonOf('/identity/verify');
		expect(body).toEqual({
			id: expect.stringMatching(UUID),
			images: [{ content: b64(front) }],
			expeditorCountry: 'ES',
			certify: false,
			certifyCallback: '',
		});
		expect(requestsTo('/identity/verify')[0].headers).toMatchObject({
			authorization: 'Bearer token-1',
			'content-type': 'application/json',
		});
	});

	it('each item gets its own UUID', async () => {
		tokenEndpoint();
		verifyCall().times(2).reply(200, automaticAnswer());
		await run({}, [binaryItem({ front }), binaryItem({ front })]);
		const [first, second] = [jsonOf('/identity/verify', 0).id, jsonOf('/identity/verify', 1).id];
		expect(first).toMatch(UUID);
		expect(second).toMatch(UUID);
		expect(first).not.toBe(second);
	});

	it('front and back: two images, in that order', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ backImageProperty: 'back' });
		expect(jsonOf('/identity/verify').images).toEqual([
			{ content: b64(front) },
			{ content: b64(back) },
		]);
	});

	it('face image: sent as faceImage on the first image only (a PNG is accepted)', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ backImageProperty: 'back', faceImageProperty: 'selfie' });
		expect(jsonOf('/identity/verify').images).toEqual([
			{ content: b64(front), faceImage: b64(selfie) },
			{ content: b64(back) },
		]);
	});

	it('face image with a one-sided document', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ faceImageProperty: ' selfie ' });
		expect(jsonOf('/identity/verify').images).toEqual([
			{ content: b64(front), faceImage: b64(selfie) },
		]);
	});

	it("images in n8n's binary store (filesystem mode) are written in as base64 whole", async () => {
		// over 1 MB, so read in chunks; no multiple of 3 or of the chunk: the base64 joins show
		const big = makeJpeg('big-front', 1024 * 1024 + 1);
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ backImageProperty: 'back', faceImageProperty: 'selfie' }, [
			storedBinaryItem({ front: big, back, selfie }),
		]);
		expect(jsonOf('/identity/verify').images).toEqual([
			{ content: b64(big), faceImage: b64(selfie) },
			{ content: b64(back) },
		]);
	});

	it('a PNG document image is sent as it is', async () => {
		const png = makePng('front');
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({}, [binaryItem({ front: png })]);
		expect(jsonOf('/identity/verify').images).toEqual([{ content: b64(png) }]);
	});

	it('expeditor country is trimmed and upper-cased', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		const [item] = await run({ expeditorCountry: ' pt ' });
		expect(jsonOf('/identity/verify').expeditorCountry).toBe('PT');
		expect((item.json.vendorDetails as Record<string, unknown>).expeditorCountry).toBe('PT');
	});

	it('request ID can be given (e.g. a CRM record id), per item', async () => {
		tokenEndpoint();
		verifyCall()
			.times(2)
			.reply(200, (_uri, body) => automaticAnswer('Ok', '', (body as { id: string }).id));
		const items = await run({ requestId: (index: number) => ` crm-${index + 1} ` }, [
			binaryItem({ front }),
			binaryItem({ front }),
		]);
		expect([jsonOf('/identity/verify', 0).id, jsonOf('/identity/verify', 1).id].sort()).toEqual([
			'crm-1',
			'crm-2',
		]);
		expect(items.map((item) => item.json.transactionId)).toEqual(['crm-1', 'crm-2']);
	});

	it('certify with a callback URL', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({
			certify: true,
			certifyCallback: ' https://n8n.example/webhook/abc/link?token=t0k ',
		});
		expect(jsonOf('/identity/verify')).toMatchObject({
			certify: true,
			certifyCallback: 'https://n8n.example/webhook/abc/link?token=t0k',
		});
	});

	it('certify without a callback URL sends an empty one (LINK then uses the account default)', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ certify: true, certifyCallback: '' });
		expect(jsonOf('/identity/verify')).toMatchObject({ certify: true, certifyCallback: '' });
	});

	it('a callback URL left in the hidden field is not sent when certify is off', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ certify: false, certifyCallback: 'https://n8n.example/old' });
		expect(jsonOf('/identity/verify')).toMatchObject({ certify: false, certifyCallback: '' });
	});

	it('manual verification: both fields sent; the answer is a "Processing" record', async () => {
		tokenEndpoint();
		verifyCall().reply(200, MANUAL_ANSWER);
		const [item] = await run({
			requestId: MANUAL_ANSWER.id,
			manualVerification: true,
			manualVerificationCallback: 'https://n8n.example/webhook/abc/link',
		});
		expect(jsonOf('/identity/verify')).toMatchObject({
			manualVerification: true,
			manualVerificationCallback: 'https://n8n.example/webhook/abc/link',
		});
		expect(item.json).toMatchObject({
			vendor: 'linkMobility',
			documentNumber: null,
			givenNames: null,
			valid: null,
			match: null,
			transactionId: MANUAL_ANSWER.id,
			vendorDetails: {
				requestId: MANUAL_ANSWER.id,
				status: 'Processing',
				process: 'Manual',
				result: null,
				fields: {},
				checks: {},
			},
		});
	});

	it('manual verification with an empty callback sends it empty', async () => {
		tokenEndpoint();
		verifyCall().reply(200, MANUAL_ANSWER);
		await run({ manualVerification: true, manualVerificationCallback: '' });
		expect(jsonOf('/identity/verify')).toMatchObject({
			manualVerification: true,
			manualVerificationCallback: '',
		});
	});

	it('no manual verification: the manual fields are not sent at all', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ manualVerification: false, manualVerificationCallback: 'https://n8n.example/old' });
		const body = jsonOf('/identity/verify');
		expect(body).not.toHaveProperty('manualVerification');
		expect(body).not.toHaveProperty('manualVerificationCallback');
	});
});

describe('LINK Verify: the normalized output', () => {
	it('Ok: identity fields, fields by code, validation checks, raw', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		const [item] = await run({ requestId: 'b2820098-04a9-47ef-9d5f-c668e016a596' });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			vendor: 'linkMobility',
			documentType: 'id_card',
			documentNumber: '12345678Z',
			givenNames: 'LUIS',
			surnames: 'GARCIA DE TODOS LOS SANTOS',
			fullName: 'LUIS GARCIA DE TODOS LOS SANTOS',
			gender: 'M',
			birthDate: '1963-10-31',
			issueDate: null,
			expiryDate: '2030-10-31',
			nationality: 'ESP',
			issuingCountry: 'ESP', // the country sent, as alpha-3
			address: null,
			personalNumber: null,
			valid: true,
			match: null,
			matchScore: null,
			isExpired: expect.any(Boolean),
			age: expect.any(Number),
			documentValid: true,
			documentAuthentic: true,
			faceMatch: null,
			liveness: null,
			sidesMatch: true,
			curpValid: null,
			electorKeyValid: null,
			transactionId: 'b2820098-04a9-47ef-9d5f-c668e016a596',
			vendorDetails: {
				requestId: 'b2820098-04a9-47ef-9d5f-c668e016a596',
				status: 'Completed',
				process: 'Automatic',
				result: 'Ok',
				warning: null,
				certificationStatus: 'Processing',
				expeditorCountry: 'ES',
				fields: {
					TYPE: 'IDENTITY',
					SIDE: '1',
					DOCUMENT_NUMBER: '12345678Z',
					NAME: 'LUIS',
					SURNAME: 'GARCIA DE TODOS LOS SANTOS',
					BIRTH_DATE: '31/10/1963',
					EXPIRY_DATE: '2030-10-31',
					NATIONALITY: 'esp',
					SEX: 'M',
					TEST_GLOBAL_AUTHENTICITY_VALUE: 'OK',
					TEST_SIDE_CORRESPONDENCE: 'OK',
					QUALITY_IMAGE_BLURRING: 'IQ_GOOD 11%',
					ICAR_RESULT_DOCUMENT_ID: 'IDESPC1',
				},
				checks: { TEST_GLOBAL_AUTHENTICITY_VALUE: 'OK', TEST_SIDE_CORRESPONDENCE: 'OK' },
			},
			raw: automaticAnswer(),
		});
	});

	test.each([
		['NotCorrect', 'The document is not authentic'],
		['NotProcessed', 'Document could not be recognized'],
		['Warning', 'Images do not correspond'],
	])('%s is a result, not an error: valid false, warning kept', async (result, warning) => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer(result, warning));
		const [item] = await run();
		expect(item.json).toMatchObject({
			valid: false,
			documentNumber: '12345678Z',
			vendorDetails: { result, warning, status: 'Completed' },
		});
		expect(item.json).not.toHaveProperty('error');
	});

	it('"OK" in capitals is Ok too (LINK\'s table writes it so)', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer('OK'));
		const [item] = await run();
		expect(item.json.valid).toBe(true);
	});

	it('a face image sent: the face comparison fills match and matchScore; without one they stay null', async () => {
		const faceAnswer = () => {
			const answer = automaticAnswer();
			answer.idVerification.fields.push(
				{
					type: 'Validation',
					code: 'TEST_FACE_RECOGNITION_VALUE',
					value: 'OK',
					description: 'TEST_FACE_RECOGNITION_VALUE',
				},
				{
					type: 'Validation',
					code: 'TEST_FACE_RECOGNITION_RATIO',
					value: '0.91',
					description: 'TEST_FACE_RECOGNITION_RATIO',
				},
			);
			return answer;
		};
		tokenEndpoint(2); // each run logs in
		verifyCall().times(2).reply(200, faceAnswer);
		const [withFace] = await run({ faceImageProperty: 'selfie' });
		expect({ match: withFace.json.match, matchScore: withFace.json.matchScore }).toEqual({
			match: true,
			matchScore: 0.91,
		});
		const [withoutFace] = await run({ faceImageProperty: '' });
		expect({ match: withoutFace.json.match, matchScore: withoutFace.json.matchScore }).toEqual({
			match: null,
			matchScore: null,
		});
	});

	it('Field Mapping: an unknown code fills the chosen identity field', async () => {
		const answer = automaticAnswer();
		answer.idVerification.fields.push({
			type: 'Normal',
			code: 'NUM_SOPORTE',
			value: 'BAA000589',
			description: 'NUM_SOPORTE',
		});
		tokenEndpoint();
		verifyCall().reply(200, answer);
		const [item] = await run({
			options: { fieldMapping: { mappings: [{ code: 'num soporte', field: 'documentNumber' }] } },
		});
		expect(item.json.documentNumber).toBe('BAA000589');
		expect(
			(item.json.vendorDetails as { fields: Record<string, unknown> }).fields.DOCUMENT_NUMBER,
		).toBe('12345678Z');
	});

	test.each([
		[
			{ code: '  ', field: 'documentNumber' },
			'Item 1: "Field Mapping" row 1 has no LINK field code',
		],
		[
			{ code: 'X', field: 'shoeSize' },
			'Item 1: "Field Mapping" row 1 names an unknown identity field "shoeSize"',
		],
	])('a Field Mapping row %j fails the item before anything is sent', async (row, message) => {
		const error = await failure(run({ options: { fieldMapping: { mappings: [row] } } }));
		expect(error.message).toBe(message);
		expect(sentRequests).toHaveLength(0);
	});

	it('Include Raw Response off leaves raw out', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		const [item] = await run({ options: { includeRaw: false } });
		expect(item.json).not.toHaveProperty('raw');
	});

	it('an answer without idVerification is an explained error', async () => {
		tokenEndpoint();
		verifyCall().reply(200, { id: 'x' });
		const error = await failure(run());
		expect(error.message).toBe(
			'LINK Mobility answered the identity verification with something unexpected',
		);
	});
});

describe('LINK Verify: LINK errors keep their code and message', () => {
	it('400 code 003', async () => {
		tokenEndpoint();
		verifyCall().reply(400, {
			id: 'b2820098-04a9-47ef-9d5f-c668e016a596',
			code: '003',
			message: 'Validation Error: There are images with invalid base64 format',
		});
		const error = await failure(run({ requestId: 'b2820098-04a9-47ef-9d5f-c668e016a596' }));
		expect(error.message).toBe(
			'LINK Mobility rejected the request (code 003): Validation Error: There are images with invalid base64 format',
		);
		expect(error.description).toContain('check the images');
		expect(error.httpCode).toBe('400');
		expect(error.context).toMatchObject({
			vendor: 'linkMobility',
			vendorCode: '003',
			vendorMessage: 'Validation Error: There are images with invalid base64 format',
			requestId: 'b2820098-04a9-47ef-9d5f-c668e016a596',
			itemIndex: 0,
		});
	});

	it('500 code 001 (not retried)', async () => {
		tokenEndpoint();
		verifyCall().reply(500, {
			id: 'r-1',
			code: '001',
			message: 'Unknown Error: Error processing request',
		});
		const error = await failure(run({ requestId: 'r-1' }));
		expect(error.message).toBe(
			'LINK Mobility could not process the request (code 001): Unknown Error: Error processing request',
		);
		expect(error.context).toMatchObject({ vendorCode: '001', requestId: 'r-1' });
		expect(requestsTo('/identity/verify')).toHaveLength(1);
	});

	it('an error without a LINK code is explained by its HTTP status', async () => {
		tokenEndpoint();
		verifyCall().reply(403, '');
		const error = await failure(run());
		expect(error.message).toBe(
			'LINK Mobility request failed: the account is not allowed to use this service',
		);
	});

	it('continue on fail: error items in place, with pairedItem, code, message and request id', async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		verifyCall().reply(400, {
			code: '003',
			message: 'Validation Error: Invalid expeditor country',
		});
		verifyCall().reply(200, automaticAnswer());
		const items = await run(
			{ requestId: (index: number) => `req-${index}` },
			[binaryItem({ front }), binaryItem({ front }), binaryItem({ front })],
			{ continueOnFail: true },
		);
		expect(items).toHaveLength(3);
		expect(items[0].json.valid).toBe(true);
		const failed = items.find((item) => 'error' in item.json)!;
		const error = failed.json.error as { requestId: string };
		expect(error).toMatchObject({
			message:
				'LINK Mobility rejected the request (code 003): Validation Error: Invalid expeditor country',
			vendor: 'linkMobility',
			code: '003',
			vendorMessage: 'Validation Error: Invalid expeditor country',
			requestId: expect.stringMatching(/^req-[12]$/),
		});
		expect(failed.pairedItem).toEqual({ item: Number(error.requestId.slice(4)) });
	});
});

describe('LINK Verify: bad input fails before anything is sent', () => {
	test.each([
		[
			{ frontImageProperty: 'missing' },
			'Item 2: no image in binary property "missing" ("Front Image Binary Field")',
		],
		[
			{ backImageProperty: 'nope' },
			'Item 2: no image in binary property "nope" ("Back Image Binary Field")',
		],
		[
			{ faceImageProperty: 'nope' },
			'Item 2: no image in binary property "nope" ("Face Image Binary Field")',
		],
		[{ frontImageProperty: '' }, 'Item 2: "Front Image Binary Field" is empty'],
		[
			{ expeditorCountry: 'ESP' },
			'Item 2: "Issuing Country" must be an ISO 3166-1 alpha-2 code, got "ESP"',
		],
		[
			{ expeditorCountry: 'XX' },
			'Item 2: "Issuing Country" must be an ISO 3166-1 alpha-2 code, got "XX"',
		],
		[
			{ expeditorCountry: '' },
			'Item 2: "Issuing Country" must be an ISO 3166-1 alpha-2 code, got ""',
		],
	])('%p', async (parameters, message) => {
		const items = [binaryItem({ front, back, selfie }), binaryItem({ front, back, selfie })];
		const onItem = Object.fromEntries(
			Object.entries(parameters).map(([name, value]) => [
				name,
				(index: number) =>
					index === 1 ? value : (VERIFY_DEFAULTS as Record<string, unknown>)[name],
			]),
		);
		// Item 1 is fine and is sent; item 2 fails before its request.
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		const error = await failure(run(onItem, items));
		expect(error.message).toBe(message);
		expect(requestsTo('/identity/verify')).toHaveLength(1);
	});

	it('a file that is not an image, on the first item: nothing at all is sent, not even the login', async () => {
		const error = await failure(
			run({}, [binaryItem({ front: Buffer.from('%PDF-1.4 not an image') })]),
		);
		expect(error.message).toBe(
			'Item 1: the file in "front" ("Front Image Binary Field") is a PDF file; LINK Mobility accepts JPEG or PNG images only',
		);
		expect(sentRequests).toHaveLength(0);
	});

	it('images over 10 MB are refused by default, naming the option that raises the limit', async () => {
		const error = await failure(
			run({ faceImageProperty: 'selfie' }, [
				binaryItem({ front, selfie: makeJpeg('big', 10 * 1024 * 1024 + 1) }),
			]),
		);
		expect(error.message).toBe(
			'Item 1: the image in "selfie" ("Face Image Binary Field") is 10.0 MB; the node\'s limit ("Max Image Size (MB)") is 10.0 MB',
		);
		expect(error.description).toContain('raise "Max Image Size (MB)"');
		expect(sentRequests).toHaveLength(0);
	});

	it('Max Image Size sets the limit: an image of exactly that size is sent, one byte more is not', async () => {
		const limit = Math.round(0.2 * 1024 * 1024);
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ backImageProperty: 'back', options: { maxImageSize: 0.2 } }, [
			binaryItem({ front, back: makeJpeg('b', limit) }),
		]);
		expect(requestsTo('/identity/verify')).toHaveLength(1);
		resetHttp();
		const error = await failure(
			run({ backImageProperty: 'back', options: { maxImageSize: 0.2 } }, [
				binaryItem({ front, back: makeJpeg('b', limit + 1) }),
			]),
		);
		expect(error.message).toBe(
			'Item 1: the image in "back" ("Back Image Binary Field") is 0.20 MB; the node\'s limit ("Max Image Size (MB)") is 0.20 MB',
		);
		expect(sentRequests).toHaveLength(0);
	});

	// A 10.5 MB image takes a few seconds through nock on a loaded machine.
	it('Max Image Size raises the limit above the default', async () => {
		const large = makeJpeg('big', 10.5 * 1024 * 1024);
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		await run({ options: { maxImageSize: 11 } }, [binaryItem({ front: large })]);
		const images = jsonOf('/identity/verify').images as Array<{ content: string }>;
		expect(images[0].content.length).toBe(b64(large).length);
	}, 60_000);

	test.each([0, -1, 'lots'])(
		'Max Image Size %p fails the item, nothing sent',
		async (maxImageSize) => {
			const error = await failure(run({ options: { maxImageSize } }));
			expect(error.message).toBe(
				`Item 1: "Max Image Size (MB)" must be a positive number, got "${maxImageSize}"`,
			);
			expect(sentRequests).toHaveLength(0);
		},
	);

	it('text instead of a face image', async () => {
		const error = await failure(
			run({ faceImageProperty: 'selfie' }, [binaryItem({ front, selfie: Buffer.from('hello') })]),
		);
		expect(error.message).toBe(
			'Item 1: the file in "selfie" ("Face Image Binary Field") is not an image; LINK Mobility accepts JPEG or PNG images only',
		);
		expect(sentRequests).toHaveLength(0);
	});

	test.each([
		['ESP', 'looks like a three-letter (alpha-3) code'],
		['UK', 'the ISO code is GB'],
		['EL', 'the ISO code is GR'],
	])('country %s gets a hint: %s', async (country, hint) => {
		const error = await failure(run({ expeditorCountry: country }));
		expect(error.description).toContain(hint);
		expect(sentRequests).toHaveLength(0);
	});

	it('continue on fail: the bad item becomes an error item naming it, the others go through', async () => {
		tokenEndpoint();
		verifyCall().times(2).reply(200, automaticAnswer());
		const items = await run(
			{ expeditorCountry: (index: number) => (index === 1 ? 'Spain' : 'ES') },
			[binaryItem({ front }), binaryItem({ front }), binaryItem({ front })],
			{ continueOnFail: true },
		);
		expect(items[1]).toEqual({
			json: {
				error: expect.objectContaining({
					message: 'Item 2: "Issuing Country" must be an ISO 3166-1 alpha-2 code, got "SPAIN"',
				}),
			},
			pairedItem: { item: 1 },
		});
		expect(requestsTo('/identity/verify')).toHaveLength(2);
	});
});

describe('LINK Verify: the Issuing Country parameter', () => {
	const country = node.description.properties.find(
		(property) => property.name === 'expeditorCountry',
	)!;

	it('is a dropdown of the 249 ISO countries, by name, still stored as expeditorCountry', () => {
		expect(country).toMatchObject({
			displayName: 'Issuing Country',
			type: 'options',
			default: 'ES',
		});
		const options = country.options as Array<{ name: string; value: string }>;
		expect(options).toHaveLength(249);
		expect(options).toContainEqual({ name: 'Spain (ES)', value: 'ES' });
		expect(options.map((option) => option.name)).toEqual(
			[...options.map((option) => option.name)].sort((a, b) => a.localeCompare(b, 'en')),
		);
	});

	it("a saved workflow's lower-case value still works", async () => {
		tokenEndpoint();
		verifyCall().reply(200, automaticAnswer());
		const [item] = await run({ expeditorCountry: 'fr' });
		expect(jsonOf('/identity/verify').expeditorCountry).toBe('FR');
		expect(item.json.issuingCountry).toBe('FRA'); // the answer has no issuing-country code
	});
});

describe('LINK Verify: the token', () => {
	it('a batch of 20 items makes one token request', async () => {
		tokenEndpoint(1);
		verifyCall().times(20).reply(200, automaticAnswer());
		const items = await run(
			{},
			Array.from({ length: 20 }, () => binaryItem({ front })),
		);
		expect(items).toHaveLength(20);
		expect(items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 20 }, (_, item) => ({ item })),
		);
		expect(requestsTo('/auth/token')).toHaveLength(1);
		expect(requestsTo('/identity/verify')).toHaveLength(20);
		expect(
			new Set(requestsTo('/identity/verify').map((request) => request.headers.authorization)),
		).toEqual(new Set(['Bearer token-1']));
	});

	it('a stored token is reused: no login', async () => {
		verifyCall().reply(200, automaticAnswer());
		await run({}, [binaryItem({ front })], { credential: linkCredential('stored-token') });
		expect(requestsTo('/auth/token')).toHaveLength(0);
		expect(requestsTo('/identity/verify')[0].headers.authorization).toBe('Bearer stored-token');
	});

	it('401 with an expired token: log in again and resend the same body', async () => {
		verifyCall().matchHeader('authorization', 'Bearer expired').reply(401);
		tokenEndpoint(1, 'fresh-token');
		verifyCall().matchHeader('authorization', 'Bearer fresh-token').reply(200, automaticAnswer());
		const credential = linkCredential('expired');
		const [item] = await run({}, [binaryItem({ front })], { credential });
		expect(item.json.valid).toBe(true);
		const calls = requestsTo('/identity/verify');
		expect(calls).toHaveLength(2);
		expect(calls[1].body?.equals(calls[0].body!)).toBe(true);
		expect(credential.data.accessToken).toBe('fresh-token');
	});

	it('bad login (500, code 003): a clear message, the password nowhere', async () => {
		nock(BASE)
			.post('/auth/token')
			.reply(500, { code: '003', message: 'Validation Error: Invalid credentials' });
		const error = await failure(run({}, [binaryItem({ front })]));
		expect(error.message).toBe(
			'LINK Mobility refused the user or password of the credential (HTTP 500, code 003: Validation Error: Invalid credentials)',
		);
		expect(error.description).toContain('Check the User and Password');
		expect(error.context.vendor).toBe('linkMobility');
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(PASSWORD);
		expect(`${error.message} ${error.description}`).not.toContain(PASSWORD);
		expect(requestsTo('/identity/verify')).toHaveLength(0);
	});

	it('bad login (401): one login attempt, a clear message', async () => {
		nock(BASE).post('/auth/token').reply(401);
		const error = await failure(run({}, [binaryItem({ front })]));
		expect(error.message).toBe(
			'LINK Mobility refused the user or password of the credential (HTTP 401)',
		);
		expect(requestsTo('/auth/token')).toHaveLength(1);
	});
});

describe('LINK Verify: Ping', () => {
	it('POST /ping: the service status', async () => {
		tokenEndpoint();
		nock(BASE)
			.post('/ping')
			.reply(200, { service: 'KYC API', status: 'ok', date: '2020-03-02 15:47:58 +00:00' });
		const items = await run({ operation: 'ping' }, [{ json: {} }]);
		expect(items).toEqual([
			{
				json: {
					available: true,
					service: 'KYC API',
					status: 'ok',
					date: '2020-03-02 15:47:58 +00:00',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(requestsTo('/ping')[0].method).toBe('POST');
	});

	it('503 (maintenance) is retried', async () => {
		tokenEndpoint();
		nock(BASE).post('/ping').reply(503);
		nock(BASE).post('/ping').reply(200, { service: 'KYC API', status: 'ok', date: 'now' });
		const [item] = await run({ operation: 'ping' }, [{ json: {} }]);
		expect(item.json.available).toBe(true);
		expect(requestsTo('/ping')).toHaveLength(2);
	});
});
