import nock from 'nock';
import { ApptenticateBiometry } from '../../../nodes/Apptenticate/ApptenticateBiometry.node';
import { binaryItem, runNode, sentRequests } from '../../helpers/fakeN8n';
import { makeJpeg } from '../../helpers/images';
import { formOf } from '../../helpers/multipart';
import { BASE, apptenticateCredential, requestsTo, resetHttp, tokenEndpoint } from './fixtures';

const node = new ApptenticateBiometry();
const selfie = makeJpeg('selfie');
const documentImage = makeJpeg('passport');

function run(
	parameters: Record<string, unknown>,
	items = [binaryItem({ selfie, document: documentImage })],
	extra = {},
) {
	return runNode(node, {
		items,
		parameters: {
			operation: 'verifyCitizen',
			citizenId: '8-123-456',
			foreignDocumentType: 'passport',
			documentImageProperty: 'document',
			selfieImageProperty: 'selfie',
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

describe('Apptenticate Biometry: verify citizen', () => {
	it('sends citizen_id and the selfie to the v3 nationals endpoint', async () => {
		tokenEndpoint();
		nock(BASE)
			.post('/api/v3/biometrics/nationals/')
			.reply(200, { valid: true, message: null, code: 0, id: 77 });
		const [item] = await run({ options: { device: 'ANDROID' } });
		const form = formOf(requestsTo('/api/v3/biometrics/nationals/')[0]);
		expect(form.fields).toEqual({ citizen_id: '8-123-456', return_id: 'True', device: 'ANDROID' });
		expect(Object.keys(form.files)).toEqual(['selfie']);
		expect(form.files.selfie.data.equals(selfie)).toBe(true);
		expect(item.json).toMatchObject({
			vendor: 'apptenticate',
			documentType: 'id_card',
			documentNumber: '8-123-456',
			valid: true,
			match: true,
			transactionId: '77',
			vendorDetails: { operation: 'verifyCitizen', message: null, code: 0 },
		});
	});

	it('a face that does not match is a result, not an error', async () => {
		tokenEndpoint();
		nock(BASE)
			.post('/api/v3/biometrics/nationals/')
			.reply(200, { valid: false, message: 'El rostro no coincide', code: 2 });
		const [item] = await run({ options: { returnTransactionId: false } });
		expect(formOf(requestsTo('/api/v3/biometrics/nationals/')[0]).fields).toEqual({
			citizen_id: '8-123-456',
		});
		expect(item.json).toMatchObject({
			valid: false,
			match: false,
			transactionId: null,
			vendorDetails: { message: 'El rostro no coincide', code: 2 },
		});
	});

	it('an empty citizen ID is refused before anything is sent', async () => {
		const error = await run({ citizenId: (i: number) => (i === 0 ? '  ' : 'x') }).catch(
			(caught) => caught,
		);
		expect(error.message).toBe('Item 1: "Citizen ID" is empty');
		expect(sentRequests).toHaveLength(0);
	});

	it('a selfie that is not a JPEG is refused before anything is sent', async () => {
		const error = await run({}, [binaryItem({ selfie: Buffer.from('GIF89a....') })]).catch(
			(caught) => caught,
		);
		expect(error.message).toContain(
			'Item 1: the file in "selfie" ("Selfie Image Binary Field") is a GIF file',
		);
		expect(sentRequests).toHaveLength(0);
	});

	it('legacy endpoint, payload field names (cedula, image, id, device)', async () => {
		tokenEndpoint();
		nock(BASE).post('/api/biometrics/').reply(200, { valid: true, message: null, code: 0, id: 5 });
		await run({ options: { endpoint: 'legacy', device: 'IOS' } });
		const form = formOf(requestsTo('/api/biometrics/')[0]);
		expect(form.fields).toEqual({ cedula: '8-123-456', id: 'True', device: 'IOS' });
		expect(Object.keys(form.files)).toEqual(['image']);
	});

	it("legacy endpoint, code-example field names (imagen, dispositivo) at a full URL on the credential's address", async () => {
		tokenEndpoint();
		nock(BASE).post('/biometria').reply(200, { valid: true, message: null, code: 0 });
		await run({
			options: {
				endpoint: 'legacy',
				legacyFieldNames: 'codeExample',
				legacyPath: `${BASE}/biometria`,
				device: 'DESKTOP',
				returnTransactionId: false,
			},
		});
		const form = formOf(sentRequests.filter((request) => request.url.pathname === '/biometria')[0]);
		expect(form.fields).toEqual({ cedula: '8-123-456', dispositivo: 'DESKTOP' });
		expect(Object.keys(form.files)).toEqual(['imagen']);
	});

	it.each([
		'https://collector.example/biometria',
		`${new URL(BASE).protocol}//${new URL(BASE).hostname}:4444/biometria`,
	])(
		'a legacy endpoint URL on another host or port (%s) is refused: the token is not sent there',
		async (legacyPath) => {
			tokenEndpoint();
			const elsewhere = nock(new URL(legacyPath).origin)
				.post('/biometria')
				.reply(200, { valid: true });
			const error = await run({ options: { endpoint: 'legacy', legacyPath } }).catch(
				(caught) => caught,
			);
			expect(error.message).toBe(
				`The address ${new URL(legacyPath).origin}, which is not the Apptenticate credential's address (${new URL(BASE).origin}); the Apptenticate token is only sent to the credential's address, so the request was not sent there`,
			);
			expect(elsewhere.isDone()).toBe(false);
			expect(
				sentRequests.filter((request) => request.url.origin !== new URL(BASE).origin),
			).toHaveLength(0);
		},
	);

	it("seed 002's error answer keeps Apptenticate's code and message", async () => {
		tokenEndpoint();
		nock(BASE)
			.post('/api/biometrics/')
			.reply(400, { valid: false, message: 'Cédula no encontrada', code: 903 });
		const [item] = await run({ options: { endpoint: 'legacy' } }, undefined, {
			continueOnFail: true,
		});
		expect(item.json.error).toMatchObject({
			message: 'Apptenticate error 903: Apptenticate could not process the request',
			description: 'Apptenticate\'s message: "Cédula no encontrada"',
			code: 903,
			vendorMessage: 'Cédula no encontrada',
		});
	});
});

describe('Apptenticate Biometry: compare foreign document', () => {
	it('sends frontside, selfie and document_type to the foreigns endpoint', async () => {
		tokenEndpoint();
		nock(BASE)
			.post('/api/v3/biometrics/foreigns/')
			.reply(200, { valid: true, message: null, code: 0, id: 9 });
		const [item] = await run({
			operation: 'compareForeignDocument',
			foreignDocumentType: 'identification_card',
		});
		const form = formOf(requestsTo('/api/v3/biometrics/foreigns/')[0]);
		expect(form.fields).toEqual({ document_type: 'identification_card', return_id: 'True' });
		expect(Object.keys(form.files).sort()).toEqual(['frontside', 'selfie']);
		expect(form.files.frontside.data.equals(documentImage)).toBe(true);
		expect(item.json).toMatchObject({
			documentType: 'id_card',
			documentNumber: null,
			valid: true,
			transactionId: '9',
		});
	});

	it('a missing document image names the item and the field', async () => {
		const error = await run({ operation: 'compareForeignDocument' }, [
			binaryItem({ selfie }),
		]).catch((caught) => caught);
		expect(error.message).toBe(
			'Item 1: no image in binary property "document" ("Document Image Binary Field")',
		);
		expect(sentRequests).toHaveLength(0);
	});

	it('a vendor error with continueOnFail is an error item with its code', async () => {
		tokenEndpoint();
		nock(BASE)
			.post('/api/v3/biometrics/foreigns/')
			.reply(400, { error: 'Archivo inválido', error_code: 800 });
		const [item] = await run({ operation: 'compareForeignDocument' }, undefined, {
			continueOnFail: true,
		});
		expect(item).toEqual({
			json: {
				error: expect.objectContaining({
					message: 'Apptenticate error 800: The submitted file could not be processed',
					code: 800,
				}),
			},
			pairedItem: { item: 0 },
		});
	});
});
