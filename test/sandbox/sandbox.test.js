'use strict';
/**
 * Self-check of the vendor sandbox through real HTTP (global fetch, FormData, Blob).
 * Short timings keep the whole file at a few seconds.
 */
const http = require('http');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');
const { startSandbox } = require('./server');
const { parseMultipart, MultipartError } = require('./multipart');
const { makeJpeg, makePng, markerOf, markersOf, crc32 } = require('../fixtures/images');

const PENDING_MS = 600;
let sb;

beforeAll(async () => {
	sb = await startSandbox({
		port: 0,
		quiet: true,
		callbackDelayMs: 100,
		taskPendingMs: PENDING_MS,
		bodyIdleMs: 300,
	});
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

// ------------------------------------------------------------------------------------ helpers

const api = (p, init) => fetch(sb.url + p, init);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function bodyOf(res) {
	const text = await res.text();
	return text ? JSON.parse(text) : undefined;
}

/** FormData from { field: 'text' | Buffer | { data, type, filename } }; Buffers become JPEG files. */
function form(entries) {
	const fd = new FormData();
	for (const [name, value] of Object.entries(entries)) {
		if (typeof value === 'string') fd.append(name, value);
		else if (Buffer.isBuffer(value))
			fd.append(name, new Blob([value], { type: 'image/jpeg' }), `${name}.jpg`);
		else
			fd.append(
				name,
				new Blob([value.data], { type: value.type || 'application/octet-stream' }),
				value.filename || name,
			);
	}
	return fd;
}

async function post(p, { token, body, json } = {}) {
	const headers = {};
	if (token) headers.Authorization = `Bearer ${token}`;
	if (json !== undefined) headers['Content-Type'] = 'application/json';
	const res = await api(p, {
		method: 'POST',
		headers,
		body: json !== undefined ? JSON.stringify(json) : body,
	});
	return { status: res.status, headers: res.headers, body: await bodyOf(res) };
}

async function get(p, token) {
	const res = await api(p, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
	return { status: res.status, headers: res.headers, body: await bodyOf(res) };
}

const apptToken = async () =>
	(
		await post('/apptenticate/api/token/', {
			body: form({ username: 'sandbox', password: 'sandbox' }),
		})
	).body.access;
const linkToken = async () =>
	(await post('/link/auth/token', { json: { user: 'sandbox', password: 'sandbox' } })).body.token;
const progenyToken = async () =>
	(
		await post('/progeny/api/v3/accounts/token/obtain/', {
			json: { username: 'sandbox', password: 'sandbox' },
		})
	).body.access;

const OCR = '/apptenticate/api/v3/ocr/';
const INE = '/apptenticate/api/v3.2/ocr/';
const idCard = (front, back = makeJpeg(), extra = {}) =>
	form({ frontside: front, backside: back, document_type: 'identification_card', ...extra });

// ------------------------------------------------------------------------------------ fixtures

describe('fixture images', () => {
	test('JPEG: magic bytes, marker, exact padded size', () => {
		const jpeg = makeJpeg('PERSON=2;NOMATCH=1');
		expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
		expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
		expect(markerOf(jpeg)).toBe('PERSON=2;NOMATCH=1');
		expect(markersOf(makeJpeg({ ERROR: 806 }))).toEqual({ ERROR: '806' });
		for (const size of [1000, 65541, 65542, 2 * 1024 * 1024 + 1])
			expect(makeJpeg('X=1', size).length).toBe(size);
		expect(markerOf(makeJpeg('PERSON=3', 300000))).toBe('PERSON=3');
		expect(markerOf(makeJpeg())).toBeNull();
	});

	test('PNG: signature, chunk CRCs, marker', () => {
		const png = makePng({ PERSON: 3 });
		expect(png.subarray(0, 8)).toEqual(
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		);
		let at = 8;
		const types = [];
		while (at < png.length) {
			const len = png.readUInt32BE(at);
			const type = png.toString('latin1', at + 4, at + 8);
			expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
			types.push(type);
			at += 12 + len;
		}
		expect(types).toEqual(['IHDR', 'tEXt', 'IDAT', 'IEND']);
		expect(markerOf(png)).toBe('PERSON=3');
	});
});

describe('multipart parser', () => {
	test('parses what global FormData serializes', async () => {
		const r = new Response(form({ a: '1', frontside: makeJpeg('P=1') }));
		const body = Buffer.from(await r.arrayBuffer());
		const parsed = parseMultipart(body, r.headers.get('content-type'), {
			contentLength: body.length,
		});
		expect(parsed.fields).toEqual([{ name: 'a', value: '1' }]);
		expect(parsed.files[0]).toMatchObject({
			name: 'frontside',
			filename: 'frontside.jpg',
			contentType: 'image/jpeg',
		});
		expect(markerOf(parsed.files[0].data)).toBe('P=1');
	});

	test('rejects malformed bodies and a Content-Length mismatch', () => {
		const good = Buffer.from(
			'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
		);
		const ct = 'multipart/form-data; boundary=b';
		expect(parseMultipart(good, ct).fields).toEqual([{ name: 'x', value: '1' }]);
		expect(() => parseMultipart(good, 'multipart/form-data')).toThrow(MultipartError);
		expect(() => parseMultipart(good, ct, { contentLength: good.length + 1 })).toThrow(
			/Content-Length/,
		);
		expect(() => parseMultipart(good.subarray(0, good.length - 8), ct)).toThrow(/closing boundary/);
		expect(() => parseMultipart(Buffer.from(`junk${good}`), ct)).toThrow(MultipartError);
		expect(() =>
			parseMultipart(Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--\r\n'), ct),
		).toThrow(/Content-Disposition/);
	});
});

// ------------------------------------------------------------------------------------ Apptenticate

describe('Apptenticate', () => {
	test('token: multipart, urlencoded and JSON; bad login; refresh', async () => {
		const viaForm = await post('/apptenticate/api/token/', {
			body: form({ username: 'sandbox', password: 'sandbox' }),
		});
		expect(viaForm.status).toBe(200);
		expect(viaForm.body).toEqual({
			refresh: expect.any(String),
			access: expect.stringMatching(/^sbx-apptenticate-/),
		});
		const viaUrlencoded = await post('/apptenticate/api/token/', {
			body: new URLSearchParams({ username: 'sandbox', password: 'sandbox' }),
		});
		expect(viaUrlencoded.status).toBe(200);
		expect(
			(
				await post('/apptenticate/api/token/', {
					json: { username: 'sandbox', password: 'sandbox' },
				})
			).status,
		).toBe(200);
		const bad = await post('/apptenticate/api/token/', {
			json: { username: 'sandbox', password: 'nope' },
		});
		expect(bad).toMatchObject({
			status: 401,
			body: { detail: 'No active account found with the given credentials' },
		});
		expect((await post('/apptenticate/api/token/', { json: {} })).body).toEqual({
			username: ['This field is required.'],
			password: ['This field is required.'],
		});
		const refreshed = await post('/apptenticate/api/token/refresh/', {
			body: form({ refresh: viaForm.body.refresh }),
		});
		expect(refreshed.status).toBe(200);
		expect(Object.keys(refreshed.body)).toEqual(['access']);
		expect(
			(await post('/apptenticate/api/token/refresh/', { body: form({ refresh: 'nope' }) })).status,
		).toBe(401);
		expect(sb.counters()['apptenticate.token']).toBe(5);
	});

	test('service calls need a valid, unexpired bearer token', async () => {
		const token = await apptToken();
		const call = (t) => post(OCR, { token: t, body: idCard(makeJpeg()) });
		expect((await call(token)).status).toBe(200);
		const missing = await call(undefined);
		expect(missing.status).toBe(401);
		expect((await call('forged')).body).toEqual({
			detail: 'Given token not valid for any token type',
			code: 'token_not_valid',
		});
		expect((await post('/__sandbox/expire-tokens')).body.expired).toBeGreaterThan(0);
		expect((await call(token)).status).toBe(401);
		expect(sb.requests.filter((r) => r.route === 'ocr').map((r) => r.auth)).toEqual([
			'valid',
			'missing',
			'invalid',
			'expired',
		]);
	});

	test('tokens expire after tokenLifetimeSeconds', async () => {
		sb.configure({ tokenLifetimeSeconds: { apptenticate: 0.2 } });
		try {
			const token = await apptToken();
			expect((await post(OCR, { token, body: idCard(makeJpeg()) })).status).toBe(200);
			await sleep(250);
			expect((await post(OCR, { token, body: idCard(makeJpeg()) })).status).toBe(401);
		} finally {
			sb.configure({ tokenLifetimeSeconds: { apptenticate: 300 } });
		}
	});

	test('OCR identification card: base answer, return_id, PERSON, validate_sides, NOMATCH', async () => {
		const token = await apptToken();
		const base = await post(OCR, {
			token,
			body: idCard(makeJpeg(), makeJpeg(), { return_id: 'True', device: 'IOS' }),
		});
		expect(base.status).toBe(200);
		expect(base.body).toMatchObject({
			document_number: 'E-8-123456',
			names: 'Sofia Maria',
			gender: 'F',
			birth_date: '10-10-1994',
			valid: true,
			id: expect.any(Number),
		});
		const person2 = await post(OCR, { token, body: idCard(makeJpeg('PERSON=2')) });
		expect(person2.body).toMatchObject({ gender: 'M', names: 'Carlos Alberto' });
		expect(person2.body.id).toBeUndefined();
		const sides = await post(OCR, {
			token,
			body: idCard(makeJpeg(), makeJpeg(), { validate_sides: 'true' }),
		});
		expect(sides.body).toMatchObject({
			match: true,
			matches_percentage: 100,
			valid: true,
			frontside: { blood_type: '' },
			backside: { document_number: 'E-8-123456' },
		});
		const noMatch = await post(OCR, {
			token,
			body: idCard(makeJpeg('NOMATCH=1'), makeJpeg(), { validate_sides: 'True' }),
		});
		expect(noMatch.body.match).toBe(false);
		expect(noMatch.body.matches_percentage).toBeLessThan(50);
	});

	test('OCR passport', async () => {
		const token = await apptToken();
		const res = await post(OCR, {
			token,
			body: form({ frontside: makeJpeg('PERSON=2'), document_type: 'passport' }),
		});
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			document_number: '546789123',
			issuing_country: 'USA',
			gender: 'M',
			valid: true,
		});
	});

	test('OCR errors: markers and request validation', async () => {
		const token = await apptToken();
		const ocr = async (fd) => post(OCR, { token, body: fd });
		const marker = await ocr(idCard(makeJpeg('ERROR=806')));
		expect(marker).toMatchObject({
			status: 400,
			body: {
				error: 'No se pudo hacer OCR del documento',
				error_code: 806,
				details: expect.any(Object),
			},
		});
		expect(
			(await ocr(form({ backside: makeJpeg(), document_type: 'identification_card' }))).body
				.error_code,
		).toBe(809);
		expect(
			(await ocr(form({ frontside: makeJpeg(), document_type: 'identification_card' }))).body
				.error_code,
		).toBe(810);
		expect((await ocr(form({ frontside: makeJpeg(), document_type: 'dni' }))).body.error_code).toBe(
			816,
		);
		const png = await ocr(idCard({ data: makePng(), type: 'image/png', filename: 'f.png' }));
		expect(png.body.error_code).toBe(800);
		const big = await ocr(idCard(makeJpeg(undefined, 2 * 1024 * 1024 + 1)));
		expect(big.body).toMatchObject({
			error_code: 800,
			details: { file: expect.stringContaining('2MB') },
		});
		expect((await ocr(idCard(makeJpeg(undefined, 2 * 1024 * 1024)))).status).toBe(200);
		expect((await ocr(idCard(makeJpeg(), makeJpeg(), { device: 'WINDOWS' }))).body.error_code).toBe(
			800,
		);
		expect(
			(await ocr(idCard(makeJpeg(), makeJpeg(), { documentType: 'x' }))).body.details.file,
		).toMatch(/documentType/);
		expect((await ocr(idCard(makeJpeg(), makeJpeg(), { return_id: 'yes' }))).status).toBe(400);
		// a file part without a filename is a text field to Django: the file counts as missing
		const noFilename = new FormData();
		noFilename.append('frontside', new Blob([makeJpeg()]));
		expect((await post(OCR, { token, body: noFilename })).status).toBe(400);
		const asJson = await post(OCR, { token, json: { document_type: 'passport' } });
		expect(asJson.status).toBe(415);
	});

	test('OCR INE (v3.2): both document_type spellings, seed 001 shapes', async () => {
		const token = await apptToken();
		const ine = (docType, front, extra = {}) =>
			post(INE, {
				token,
				body: form({ frontside: front, backside: makeJpeg(), document_type: docType, ...extra }),
			});
		const base = await ine('id_mexico', makeJpeg());
		expect(base.body).toMatchObject({
			document_type: 'INE',
			country_code: 'MEX',
			birth_date: '15-03-1990',
			expiration_date: '2025-12-31',
			gender: 'Male',
			valid: true,
		});
		expect((await ine('mexican_id', makeJpeg())).status).toBe(200);
		expect(sb.requests.filter((r) => r.route === 'ocrIne').map((r) => r.documentType)).toEqual([
			'id_mexico',
			'mexican_id',
		]);
		const woman = await ine('mexican_id', makeJpeg('PERSON=2'), {
			validate_sides: 'True',
			return_id: 'True',
		});
		expect(woman.body).toMatchObject({
			match: true,
			backside: { gender: 'Female' },
			frontside: { gender: 'M', CURP: 'HERM880722MJCRZR05' },
			id: expect.any(Number),
		});
		const badCurp = await ine('id_mexico', makeJpeg('PERSON=3'), { validate_sides: 'True' });
		expect(badCurp.body.frontside.CURP).not.toMatch(
			/^[A-Z]{4}\d{6}[HM][A-Z]{2}[A-Z]{3}[A-Z0-9]{2}$/,
		);
		expect(badCurp.body.frontside.gender).toBe('H');
		const noMatch = await ine('id_mexico', makeJpeg('NOMATCH=1'), { validate_sides: 'True' });
		expect(noMatch.body).toMatchObject({ match: false, valid: false });
		const error = await ine('id_mexico', makeJpeg('ERROR=819'));
		expect(error).toMatchObject({
			status: 400,
			body: { error_code: 819, error: expect.any(String), valid: false },
		});
		expect((await ine('identification_card', makeJpeg())).body.error_code).toBe(816);
	});

	test('biometry: nationals, foreigns, legacy seed-002 form', async () => {
		const token = await apptToken();
		const nationals = await post('/apptenticate/api/v3/biometrics/nationals/', {
			token,
			body: form({
				citizen_id: '8-123-456',
				selfie: makeJpeg(),
				return_id: 'True',
				device: 'ANDROID',
			}),
		});
		expect(nationals.body).toEqual({ valid: true, message: null, code: 0, id: expect.any(Number) });
		const noMatch = await post('/apptenticate/api/v3/biometrics/nationals/', {
			token,
			body: form({ citizen_id: '8-123-456', selfie: makeJpeg('NOMATCH=1') }),
		});
		expect(noMatch.body).toMatchObject({ valid: false, message: expect.any(String) });
		expect(noMatch.body.code).not.toBe(0);
		expect(
			(
				await post('/apptenticate/api/v3/biometrics/nationals/', {
					token,
					body: form({ citizen_id: ' ', selfie: makeJpeg() }),
				})
			).status,
		).toBe(400);
		const foreigns = await post('/apptenticate/api/v3/biometrics/foreigns/', {
			token,
			body: form({ frontside: makeJpeg(), selfie: makeJpeg(), document_type: 'passport' }),
		});
		expect(foreigns.body).toEqual({ valid: true, message: null, code: 0 });
		expect(
			(
				await post('/apptenticate/api/v3/biometrics/foreigns/', {
					token,
					body: form({ frontside: makeJpeg(), selfie: makeJpeg(), document_type: 'visa' }),
				})
			).status,
		).toBe(400);
		const legacy = await post('/apptenticate/api/biometrics/', {
			token,
			body: form({ cedula: '8-123-456', imagen: makeJpeg(), dispositivo: 'IOS', id: 'True' }),
		});
		expect(legacy.body).toMatchObject({ valid: true, code: 0, id: expect.any(Number) });
		expect(
			(
				await post('/apptenticate/api/biometrics/', {
					token,
					body: form({ cedula: '8-1', image: makeJpeg(), device: 'DESKTOP' }),
				})
			).status,
		).toBe(200);
		expect(
			(
				await post('/apptenticate/api/biometrics/', {
					token,
					body: form({ cedula: '8-1', image: makeJpeg('ERROR=800') }),
				})
			).body.error_code,
		).toBe(800);
	});

	test("biometry: BIOCODE=903 answers seed 002's failure shape with HTTP 400", async () => {
		const token = await apptToken();
		const answer = await post('/apptenticate/api/biometrics/', {
			token,
			body: form({ cedula: '8-1', image: makeJpeg('BIOCODE=903') }),
		});
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({
			valid: false,
			message: expect.stringContaining('Tribunal Electoral'),
			code: 903,
		});
		expect(sb.requests[sb.requests.length - 1].errorCode).toBe(903);
	});

	test('a malformed multipart body is a 400', async () => {
		const token = await apptToken();
		const res = await api(OCR, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${token}`,
				'Content-Type': 'multipart/form-data; boundary=zzz',
			},
			body: '--zzz\r\nContent-Disposition: form-data; name="document_type"\r\n\r\npassport\r\n',
		});
		expect(res.status).toBe(400);
		expect((await res.json()).detail).toMatch(/closing boundary/);
	});

	test('the log names fields and files, never credentials, tokens or image bytes', async () => {
		const token = await apptToken();
		await post(OCR, { token, body: idCard(makeJpeg('PERSON=2')) });
		const log = (await get('/__sandbox/log')).body;
		expect(log.map((r) => r.route)).toEqual(['token', 'ocr']);
		expect(log[0].fields).toEqual(['username', 'password']);
		expect(log[1]).toMatchObject({
			vendor: 'apptenticate',
			method: 'POST',
			path: OCR,
			status: 200,
			auth: 'valid',
			fields: ['document_type'],
		});
		expect(log[1].files).toEqual([
			{
				name: 'frontside',
				filename: 'frontside.jpg',
				contentType: 'image/jpeg',
				size: expect.any(Number),
			},
			{
				name: 'backside',
				filename: 'backside.jpg',
				contentType: 'image/jpeg',
				size: expect.any(Number),
			},
		]);
		const text = JSON.stringify(log);
		expect(text).not.toContain(token);
		expect(text).not.toContain('"sandbox"');
		expect(text).not.toContain('KYC:');
	});
});

// ------------------------------------------------------------------------------------ LINK

/** A local webhook receiver for LINK callbacks. */
async function callbackServer() {
	const received = [];
	const waiters = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ path: req.url, body: JSON.parse(body) });
			res.end('ok');
			waiters.splice(0).forEach((w) => w());
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${server.address().port}`;
	const waitFor = async (n, timeoutMs = 3000) => {
		const until = Date.now() + timeoutMs;
		while (received.length < n) {
			if (Date.now() > until) throw new Error(`only ${received.length} of ${n} callbacks arrived`);
			await new Promise((r) => {
				waiters.push(r);
				setTimeout(r, 50);
			});
		}
		return received;
	};
	return { url, received, waitFor, close: () => new Promise((r) => server.close(r)) };
}

describe('LINK Mobility', () => {
	const b64 = (buf) => buf.toString('base64');
	const verifyBody = (extra = {}, images = [{ content: b64(makeJpeg()) }]) => ({
		id: '00627e53-800b-4e6d-86ff-b933e2940a04',
		images,
		expeditorCountry: 'ES',
		...extra,
	});

	test('token, bad login, ping, 401 with an empty body', async () => {
		const ok = await post('/link/auth/token', { json: { user: 'sandbox', password: 'sandbox' } });
		expect(ok.body).toMatchObject({
			token: expect.stringMatching(/^sbx-link-/),
			expiresIn: 3600,
			token_type: 'bearer',
		});
		expect(ok.body.scopes).toContain('kyc.certification');
		const bad = await post('/link/auth/token', { json: { user: 'sandbox', password: 'x' } });
		expect(bad).toMatchObject({
			status: 500,
			body: { code: '003', message: 'Validation Error: Invalid credentials' },
		});
		const ping = await post('/link/ping');
		expect(ping.body).toMatchObject({ service: 'KYC API', status: 'ok' });
		expect(ping.body.date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00$/);
		const unauthorized = await post('/link/identity/verify', { json: verifyBody() });
		expect(unauthorized).toMatchObject({ status: 401, body: undefined });
	});

	test('automatic verification: fields, RESULT marker, faceImage, NOMATCH', async () => {
		const token = await linkToken();
		const ok = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [
				{ content: b64(makeJpeg()), faceImage: b64(makePng()) },
				{ content: b64(makeJpeg()) },
			]),
		});
		expect(ok.status).toBe(200);
		expect(ok.body.idVerification).toMatchObject({
			status: 'Completed',
			process: 'Automatic',
			result: 'Ok',
			warning: '',
		});
		const codes = Object.fromEntries(ok.body.idVerification.fields.map((f) => [f.code, f.value]));
		expect(codes).toMatchObject({
			DOCUMENT_NUMBER: '12345678Z',
			NAME: 'LUIS',
			SEX: 'M',
			EXPEDITOR: 'ESP',
			ID_NUMBER: '123435534',
			TEST_GLOBAL_AUTHENTICITY_VALUE: 'OK',
			TEST_SIDE_CORRESPONDENCE: 'OK',
			TEST_FACE_RECOGNITION_VALUE: 'OK',
			TEST_FACE_RECOGNITION_RATIO: '0.91',
			ICAR_RESULT_DOCUMENT_ID: 'IDESPC1',
		});
		// ICAR repeats codes: one SURNAME per surname, one MRZ per line, the date checks per side.
		const all = (body, code) =>
			body.idVerification.fields.filter((f) => f.code === code).map((f) => f.value);
		expect(all(ok.body, 'SURNAME')).toEqual(['GARCIA', 'DE TODOS LOS SANTOS']);
		expect(all(ok.body, 'MRZ').map((line) => line.length)).toEqual([30, 30, 30]);
		expect(all(ok.body, 'MRZ')[0]).toMatch(/^IDESP12345678Z/);
		expect(all(ok.body, 'TEST_EXPIRY_DATE')).toEqual(['OK', 'OK']);
		const side2Fail = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [
				{ content: b64(makeJpeg('SIDE2FAIL=TEST_EXPIRY_DATE')) },
				{ content: b64(makeJpeg()) },
			]),
		});
		expect(all(side2Fail.body, 'TEST_EXPIRY_DATE')).toEqual(['OK', 'FAIL']);
		const spanishCodes = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [{ content: b64(makeJpeg('CODES=ES')) }]),
		});
		expect(all(spanishCodes.body, 'NUM_DOCUMENTO')).toEqual(['12345678Z']);
		expect(all(spanishCodes.body, 'DOCUMENT_NUMBER')).toEqual([]);
		const passport = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [{ content: b64(makeJpeg('PERSON=3')) }]),
		});
		expect(all(passport.body, 'MRZ').map((line) => line.length)).toEqual([44, 44]);
		expect(all(passport.body, 'ID_NUMBER')).toEqual([]);
		expect(ok.body.certification).toBeUndefined();
		const notCorrect = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [{ content: b64(makeJpeg('RESULT=NotCorrect;PERSON=2')) }]),
		});
		expect(notCorrect.body.idVerification.result).toBe('NotCorrect');
		expect(notCorrect.body.idVerification.warning).not.toBe('');
		const fields = notCorrect.body.idVerification.fields;
		expect(fields.find((f) => f.code === 'TEST_GLOBAL_AUTHENTICITY_VALUE')).toMatchObject({
			type: 'Validation',
			value: 'FAIL',
		});
		expect(fields.find((f) => f.code === 'SEX').value).toBe('F');
		const warning = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [
				{ content: b64(makeJpeg('RESULT=Warning')) },
				{ content: b64(makePng()) },
			]),
		});
		expect(
			warning.body.idVerification.fields.find((f) => f.code === 'TEST_SIDE_CORRESPONDENCE').value,
		).toBe('FAIL');
		const notProcessed = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [{ content: b64(makeJpeg('RESULT=NotProcessed')) }]),
		});
		expect(notProcessed.body.idVerification).toMatchObject({ result: 'NotProcessed', fields: [] });
		const noMatch = await post('/link/identity/verify', {
			token,
			json: verifyBody({}, [{ content: b64(makeJpeg()), faceImage: b64(makeJpeg('NOMATCH=1')) }]),
		});
		expect(
			noMatch.body.idVerification.fields.find((f) => f.code === 'TEST_FACE_RECOGNITION_VALUE')
				.value,
		).toBe('FAIL');
		expect(sb.requests.find((r) => r.route === 'verify').files.map((f) => f.name)).toEqual([
			'images[0].content',
			'images[0].faceImage',
			'images[1].content',
		]);
	});

	test('strict validation and the ERROR marker', async () => {
		const token = await linkToken();
		const verify = (json) => post('/link/identity/verify', { token, json });
		const badB64 = await verify(verifyBody({}, [{ content: 'not base64!' }]));
		expect(badB64).toMatchObject({
			status: 400,
			body: {
				id: '00627e53-800b-4e6d-86ff-b933e2940a04',
				code: '003',
				message: 'Validation Error: There are images with invalid base64 format',
			},
		});
		expect(
			(await verify(verifyBody({}, [{ content: `data:image/jpeg;base64,${b64(makeJpeg())}` }])))
				.status,
		).toBe(400);
		expect(
			(await verify(verifyBody({}, [{ content: b64(Buffer.from('%PDF-1.4 not an image')) }])))
				.status,
		).toBe(400);
		expect((await verify(verifyBody({ callbackUrl: 'x' }))).body.message).toMatch(
			/Unknown fields: callbackUrl/,
		);
		expect((await verify(verifyBody({ expeditorCountry: 'ESP' }))).status).toBe(400);
		expect((await verify(verifyBody({ certify: 'true' }))).status).toBe(400);
		expect(
			(
				await verify(
					verifyBody({}, [
						{ content: b64(makeJpeg()) },
						{ content: b64(makeJpeg()), faceImage: b64(makeJpeg()) },
					]),
				)
			).status,
		).toBe(400);
		expect((await verify(verifyBody({}, []))).status).toBe(400);
		const error = await verify(verifyBody({}, [{ content: b64(makeJpeg('ERROR=500')) }]));
		expect(error).toMatchObject({
			status: 500,
			body: {
				id: '00627e53-800b-4e6d-86ff-b933e2940a04',
				code: '001',
				message: 'Unknown Error: Error processing request',
			},
		});
	});

	test('certification: callback, then a real PDF certificate', async () => {
		const hook = await callbackServer();
		try {
			const token = await linkToken();
			const id = 'cert-0001';
			const res = await post('/link/identity/verify', {
				token,
				json: verifyBody({ id, certify: true, certifyCallback: `${hook.url}/cert` }),
			});
			expect(res.body.certification).toEqual({ status: 'Processing' });
			expect((await get(`/link/certificate/${id}`, token)).status).toBe(404); // not ready yet
			const [callback] = await hook.waitFor(1);
			expect(callback.path).toBe('/cert');
			expect(callback.body).toEqual({
				id,
				service: 'Certification',
				status: 'Completed',
				data: { urlCertificateFile: `${sb.url}/link/certificate/${id}` },
			});
			const cert = await get(`/link/certificate/${id}`, token);
			expect(cert.status).toBe(200);
			const pdf = Buffer.from(cert.body.content, 'base64');
			expect(pdf.toString('latin1', 0, 8)).toBe('%PDF-1.4');
			expect(pdf.toString('latin1')).toContain(id);
			expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
			expect((await get(`/link/identity/${id}`, token)).body.id).toBe(id);
			expect((await get(`/link/certificate/${id}`)).status).toBe(401);
			expect(await get('/link/certificate/unknown', token)).toMatchObject({
				status: 404,
				body: undefined,
			});
			await sleep(20); // the callback record is written once the receiver's answer is read
			expect((await get('/__sandbox/callbacks')).body).toEqual([
				expect.objectContaining({
					id,
					service: 'Certification',
					url: `${hook.url}/cert`,
					status: 200,
					error: null,
				}),
			]);
			expect(sb.requests.some((r) => r.kind === 'callback' && r.status === 200)).toBe(true);
		} finally {
			await hook.close();
		}
	});

	test('manual verification: MANUAL marker, default callback URL, sloppy values kept', async () => {
		const hook = await callbackServer();
		sb.configure({ linkDefaultCallbackUrl: `${hook.url}/default` });
		try {
			const token = await linkToken();
			const res = await post('/link/identity/verify', {
				token,
				json: verifyBody(
					{ id: 'manual-1', manualVerification: true, manualVerificationCallback: '' },
					[{ content: b64(makeJpeg('MANUAL=REJECTED')) }],
				),
			});
			expect(res.body).toEqual({
				id: 'manual-1',
				idVerification: { status: 'Processing', process: 'Manual' },
			});
			await post('/link/identity/verify', {
				token,
				json: verifyBody(
					{ id: 'manual-2', manualVerification: true, manualVerificationCallback: `${hook.url}/m` },
					[{ content: b64(makeJpeg('MANUAL=NOT_APPROVED;PERSON=2')) }],
				),
			});
			const received = await hook.waitFor(2);
			const rejected = received.find((r) => r.body.id === 'manual-1');
			expect(rejected.path).toBe('/default');
			expect(rejected.body).toMatchObject({
				service: 'ManualIDVerification',
				status: 'Completed',
				data: { documentInfo: { acceptance: { result: ' REJECTED' } } },
			});
			const notApproved = received.find((r) => r.body.id === 'manual-2').body.data;
			expect(notApproved.documentInfo.acceptance.result).toBe(' ACCEPTED');
			expect(notApproved.documentInfo.findings.documentApproval).toBe('NOT_APPROVED');
			expect(notApproved.documentInfo.extractedData.name.fullName).toBe(
				'MARIA CARMEN LOPEZ FERNANDEZ',
			);
			expect(notApproved.faceComparisonInfo.findings.faceComparisonApproval).toBe('NOT_MATCH');
		} finally {
			sb.configure({ linkDefaultCallbackUrl: '' });
			await hook.close();
		}
	});

	test('a callback that cannot be delivered is recorded with its error', async () => {
		const token = await linkToken();
		await post('/link/identity/verify', {
			token,
			json: verifyBody({
				id: 'lost',
				certify: true,
				certifyCallback: 'http://127.0.0.1:9/nowhere',
			}),
		});
		await sleep(400);
		const [record] = (await get('/__sandbox/callbacks')).body;
		expect(record).toMatchObject({ id: 'lost', status: null, error: expect.any(String) });
		// the certificate is ready all the same
		expect((await get('/link/certificate/lost', token)).status).toBe(200);
	});
});

// ------------------------------------------------------------------------------------ Progeny

describe('Progeny', () => {
	const TASK = '/progeny/api/v3/services/task/';
	const submit = (token, image, extend = 'true') =>
		post('/progeny/api/v3/services/ocr_passport/', {
			token,
			body: form({ passport_image: image, extend_data: extend }),
		});

	test('token obtain / refresh, bad login, 401', async () => {
		const ok = await post('/progeny/api/v3/accounts/token/obtain/', {
			body: new URLSearchParams({ username: 'sandbox', password: 'sandbox' }),
		});
		expect(ok.body).toEqual({
			refresh: expect.any(String),
			access: expect.stringMatching(/^sbx-progeny-/),
		});
		const refreshed = await post('/progeny/api/v3/accounts/token/refresh/', {
			json: { refresh: ok.body.refresh },
		});
		expect(Object.keys(refreshed.body).sort()).toEqual(['access', 'refresh']);
		expect(
			(
				await post('/progeny/api/v3/accounts/token/obtain/', {
					json: { username: 'x', password: 'y' },
				})
			).status,
		).toBe(401);
		const apptAccess = await apptToken(); // a token of another vendor is not valid here
		expect((await get(`${TASK}?id=x`, apptAccess)).body).toEqual({
			detail: 'Given token not valid for any token type',
		});
	});

	test('missing fields answer like the seed 400 (only the missing keys)', async () => {
		const token = await progenyToken();
		const both = await post('/progeny/api/v3/services/ocr_passport/', {
			token,
			body: form({ other: 'x' }),
		});
		expect(both).toMatchObject({
			status: 400,
			body: {
				passport_image: ['No file was submitted.'],
				extend_data: ['This field is required.'],
			},
		});
		const one = await post('/progeny/api/v3/services/ocr_passport/', {
			token,
			body: form({ passport_image: { data: makePng(), type: 'image/png', filename: 'p.png' } }),
		});
		expect(one.body).toEqual({ extend_data: ['This field is required.'] });
		const notImage = await submit(token, { data: Buffer.from('hello'), filename: 'p.txt' });
		expect(Object.keys(notImage.body)).toEqual(['passport_image']);
	});

	test('PENDING -> STARTED -> SUCCESS, extend_data, portrait', async () => {
		const token = await progenyToken();
		const created = await submit(token, {
			data: makePng(),
			type: 'image/png',
			filename: 'passport.png',
		});
		expect(created.status).toBe(200);
		const { id } = created.body;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		const seen = [];
		for (let i = 0; i < 40; i++) {
			const res = await get(`${TASK}?id=${id}`, token);
			if (seen[seen.length - 1] !== res.body.status) seen.push(res.body.status);
			if (res.body.status === 'SUCCESS') {
				expect(res.body.result.status).toBe(200);
				const { document, compare, liveness, provider_response: provider } = res.body.result.data;
				expect(document).toMatchObject({
					firstName: 'ANNA',
					dateOfBirth: '1990-4-7',
					is_expired: false,
					age: expect.any(Number),
				});
				expect(document.portrait_url).toBe(`${sb.url}/progeny/media/portraits/${id}.jpg`);
				expect(compare && liveness).toBe(true);
				expect(provider).toBeDefined();
				const portrait = await fetch(document.portrait_url);
				expect(portrait.headers.get('content-type')).toBe('image/jpeg');
				expect(Buffer.from(await portrait.arrayBuffer()).subarray(0, 3)).toEqual(
					Buffer.from([0xff, 0xd8, 0xff]),
				);
				break;
			}
			await sleep(PENDING_MS / 8);
		}
		expect(seen).toEqual(['PENDING', 'STARTED', 'SUCCESS']);
	});

	test('markers: PERSON, TASK=FAILURE, PENDING_MS, NOMATCH; unknown task', async () => {
		const token = await progenyToken();
		const seedPerson = (await submit(token, makeJpeg('PERSON=2;PENDING_MS=0;NOMATCH=1'), 'false'))
			.body.id;
		const done = (await get(`${TASK}?id=${seedPerson}`, token)).body;
		expect(done.status).toBe('SUCCESS');
		expect(done.result.data.document).toMatchObject({
			dateOfIssue: 'None-None-None',
			dateOfBirth: '1991-9-24',
			is_expired: true,
			lastName: 'PERFILOVA',
		});
		expect(done.result.data.compare).toBe(false);
		expect(done.result.data.provider_response).toBeUndefined();
		const failing = (await submit(token, makeJpeg('TASK=FAILURE;PENDING_MS=0'))).body.id;
		expect((await get(`${TASK}?id=${failing}`, token)).body).toEqual({
			id: failing,
			status: 'FAILURE',
			result: { status: 422, error: 'Document could not be read' },
		});
		expect(await get(`${TASK}?id=00000000-0000-0000-0000-000000000000`, token)).toMatchObject({
			status: 404,
			body: { detail: 'Not found.' },
		});
		expect((await submit(token, makeJpeg('PERSON=3;PENDING_MS=0'))).status).toBe(200);
		expect(sb.counters()).toMatchObject({
			'progeny.token': 1,
			'progeny.ocrPassport': 3,
			'progeny.task': 3,
		});
	});
});

// ------------------------------------------------------------------------------------ control API

describe('control API and faults', () => {
	test('429 with Retry-After, 503, then normal again', async () => {
		await post('/__sandbox/faults', {
			json: { path: '/api/token/', kind: '429', times: 1, retryAfter: 7 },
		});
		sb.setFault({ path: '/api/token/', kind: '503' });
		const tokenCall = () =>
			post('/apptenticate/api/token/', { json: { username: 'sandbox', password: 'sandbox' } });
		const first = await tokenCall();
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('7');
		expect((await tokenCall()).status).toBe(503);
		expect((await tokenCall()).status).toBe(200);
		expect(sb.requests.map((r) => r.fault)).toEqual(['429', '503', undefined]);
	});

	test('drop destroys the connection without an answer', async () => {
		sb.setFault({ path: '/link/ping', kind: 'drop' });
		await expect(api('/link/ping', { method: 'POST' })).rejects.toThrow();
		expect((await post('/link/ping')).status).toBe(200);
	});

	test('redirect answers its status and Location, once, then the route answers again', async () => {
		sb.setFault({ path: '/link/ping', kind: 'redirect', location: 'http://127.0.0.1:9/elsewhere' });
		sb.setFault({
			path: '/link/ping',
			kind: 'redirect',
			status: 307,
			location: '/link/ping?again=1',
		});
		const first = await api('/link/ping', { method: 'POST', redirect: 'manual' });
		expect(first.status).toBe(302);
		expect(first.headers.get('location')).toBe('http://127.0.0.1:9/elsewhere');
		const second = await api('/link/ping', { method: 'POST', redirect: 'manual' });
		expect(second.status).toBe(307);
		expect(second.headers.get('location')).toBe('/link/ping?again=1');
		expect((await post('/link/ping')).status).toBe(200);
		expect(sb.requests.map((r) => [r.fault, r.status, r.location])).toEqual([
			['redirect', 302, 'http://127.0.0.1:9/elsewhere'],
			['redirect', 307, '/link/ping?again=1'],
			[undefined, 200, undefined],
		]);
		expect(() => sb.setFault({ kind: 'redirect', path: '/x' })).toThrow(/location/);
		expect(() =>
			sb.setFault({ kind: 'redirect', path: '/x', status: 200, location: '/y' }),
		).toThrow(/status/);
	});

	test('latency holds each answer ms after its arrival; parallel calls show in maxInFlight', async () => {
		const token = await apptToken();
		sb.setFault({ path: '/biometrics/', kind: 'latency', ms: 150, times: 4 });
		const answers = await Promise.all(
			[1, 2, 3, 4].map(() =>
				post('/apptenticate/api/v3/biometrics/nationals/', {
					token,
					body: form({ citizen_id: '1', selfie: makeJpeg() }),
				}),
			),
		);
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
		const held = sb.requests.filter((r) => r.fault === 'latency');
		expect(held).toHaveLength(4);
		// the timer's clock and Date.now() may round a millisecond apart
		for (const entry of held) expect(entry.durationMs).toBeGreaterThanOrEqual(149);
		const counters = (await get('/__sandbox/counters')).body;
		expect(counters.maxInFlight.apptenticate).toBe(4);
		expect(counters['apptenticate.biometricsNationals']).toBe(4);
		expect(counters['apptenticate.token']).toBe(1);
	});

	test('Content-Length larger than the body sent is a 400', async () => {
		const answer = await new Promise((resolve) => {
			const socket = net.connect(sb.port, '127.0.0.1');
			let out = '';
			socket.on('data', (d) => (out += d));
			socket.on('close', () => resolve(out));
			socket.write(
				'POST /apptenticate/api/token/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":',
			);
		});
		expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
		expect(answer).toContain('Content-Length mismatch');
	});

	test('unknown routes, health, reset', async () => {
		expect((await get('/nowhere')).status).toBe(404);
		const slash = await post('/apptenticate/api/v3/ocr');
		expect(slash.status).toBe(404);
		expect(slash.body.sandbox).toMatch(/did you mean/);
		expect((await get('/apptenticate/api/v3/ocr/')).status).toBe(405);
		expect((await get('/__sandbox/health')).status).toBe(200);
		sb.setFault({ path: '/x', kind: '500' });
		expect((await post('/__sandbox/reset')).status).toBe(200);
		expect((await get('/__sandbox/faults')).body).toEqual([]);
		expect((await get('/__sandbox/log')).body).toEqual([]);
		expect((await post('/__sandbox/faults', { json: { kind: 'boom' } })).status).toBe(400);
	});

	test('command line: prints the URL and stops on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[path.join(__dirname, 'server.js'), '--port', '0', '--quiet'],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		const line = await new Promise((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (d) => {
				out += d;
				if (out.includes('\n')) resolve(out.split('\n')[0]);
			});
			child.on('exit', (code) => reject(new Error(`exited ${code}`)));
		});
		expect(line).toMatch(/^KYC vendor sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
		const url = line.split(' on ')[1];
		expect((await fetch(`${url}/__sandbox/health`)).status).toBe(200);
		const exited = new Promise((resolve) =>
			child.on('exit', (code, signal) => resolve({ code, signal })),
		);
		child.kill('SIGTERM');
		expect(await exited).toEqual({ code: 0, signal: null });
	});
});
