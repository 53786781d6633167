'use strict';
/**
 * Progeny (seed 004), mounted under /progeny: /progeny/api/v3/... for the API and
 * /progeny/media/portraits/<id>.jpg for the cropped portraits. OCR is asynchronous: the POST
 * answers a task id, the task reads PENDING for the first half of taskPendingMs, STARTED for
 * the second half, then SUCCESS (or FAILURE).
 */
const crypto = require('crypto');
const drf = require('./drf');
const people = require('./people');
const { isJpeg, isPng, markersOf, makeJpeg } = require('../fixtures/images');

// DRF BooleanField's accepted spellings (Progeny is a DRF service, so it is lenient here)
const TRUE_VALUES = [
	't',
	'T',
	'y',
	'Y',
	'yes',
	'Yes',
	'YES',
	'true',
	'True',
	'TRUE',
	'on',
	'On',
	'ON',
	'1',
];
const FALSE_VALUES = [
	'f',
	'F',
	'n',
	'N',
	'no',
	'No',
	'NO',
	'false',
	'False',
	'FALSE',
	'off',
	'Off',
	'OFF',
	'0',
];
const NATIONALITY_CODES = { UKRAINIAN: 'UKR', IRISH: 'IRL' };

/** "1991-9-24" -> Date (UTC), or null for "None-None-None". */
function parseLooseDate(text) {
	const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
	return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

function ageOn(birth, now = new Date()) {
	let age = now.getUTCFullYear() - birth.getUTCFullYear();
	const beforeBirthday =
		now.getUTCMonth() < birth.getUTCMonth() ||
		(now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
	return beforeBirthday ? age - 1 : age;
}

// ICAO 9303 check digit, for a plausible MRZ in the made-up provider response
function checkDigit(text) {
	const weights = [7, 3, 1];
	let sum = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		const v = c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
		sum += v * weights[i % 3];
	}
	return String(sum % 10);
}

function yymmdd(text) {
	const d = parseLooseDate(text);
	if (!d) return '<<<<<<';
	return d.toISOString().slice(2, 10).replace(/-/g, '');
}

/** A TD3 (passport) MRZ for the person, with correct check digits. */
function passportMrz(p) {
	const country = NATIONALITY_CODES[p.nationality] || 'XXX';
	const clean = (s) => s.toUpperCase().replace(/[^A-Z]+/g, '<');
	const line1 = `P<${country}${clean(p.lastName)}<<${clean(p.firstName)}`
		.padEnd(44, '<')
		.slice(0, 44);
	const number = p.documentNumber.padEnd(9, '<');
	const birth = yymmdd(p.dateOfBirth);
	const expiry = yymmdd(p.dateOfExpiry);
	const optional = '<'.repeat(14);
	const composite = `${number}${checkDigit(number)}${birth}${checkDigit(birth)}${expiry}${checkDigit(expiry)}${optional}${checkDigit(optional)}`;
	const line2 = `${number}${checkDigit(number)}${country}${birth}${checkDigit(birth)}${p.sex}${expiry}${checkDigit(expiry)}${optional}${checkDigit(optional)}${checkDigit(composite)}`;
	return [line1, line2];
}

/** What extend_data=true adds: a made-up "original response of the 3rd-party provider". */
function providerResponse(task) {
	const p = task.person;
	const [line1, line2] = passportMrz(p);
	return {
		provider: 'sandbox-passport-reader',
		version: '2.4.1',
		transaction_id: task.providerTransactionId,
		processing_time_ms: 842,
		mrz: { type: 'TD3', line1, line2, checksums_valid: true },
		fields: {
			surname: { value: p.lastName, confidence: 0.99 },
			given_names: { value: p.firstName, confidence: 0.98 },
			document_number: { value: p.documentNumber, confidence: 0.99 },
			nationality: { value: NATIONALITY_CODES[p.nationality] || 'XXX', confidence: 0.97 },
			date_of_birth: { value: p.dateOfBirth, confidence: 0.96 },
			date_of_expiry: { value: p.dateOfExpiry, confidence: 0.96 },
			sex: { value: p.sex, confidence: 0.99 },
		},
		face: { detected: true, bounding_box: [34, 112, 188, 290] },
	};
}

module.exports = function createProgeny(sb) {
	const vendor = 'progeny';
	/** id -> task { id, createdAt, pendingMs, fails, person, extendData, noMatch, ... } */
	let tasks = new Map();

	function ocrPassport(ctx) {
		const { parts } = drf.requireMultipart(ctx);
		const errors = {};
		const image = parts.find((p) => p.name === 'passport_image');
		const extend = parts.find((p) => p.name === 'extend_data' && p.filename === null);
		// DRF ignores fields it does not know; the log shows them so a test can still notice
		const ignored = parts
			.map((p) => p.name)
			.filter((n) => n !== 'passport_image' && n !== 'extend_data');
		if (ignored.length) ctx.note('ignoredFields', ignored);

		if (!image) errors.passport_image = ['No file was submitted.'];
		else if (image.filename === null)
			errors.passport_image = [
				'The submitted data was not a file. Check the encoding type on the form.',
			];
		else if (image.data.length === 0) errors.passport_image = ['The submitted file is empty.'];
		else if (!isJpeg(image.data) && !isPng(image.data)) {
			errors.passport_image = [
				'Upload a valid image. The file you uploaded was either not an image or a corrupted image.',
			];
		}
		let extendData;
		if (!extend) errors.extend_data = ['This field is required.'];
		else if (TRUE_VALUES.includes(extend.data.toString('utf8'))) extendData = true;
		else if (FALSE_VALUES.includes(extend.data.toString('utf8'))) extendData = false;
		else errors.extend_data = ['Must be a valid boolean.'];
		if (Object.keys(errors).length) return ctx.json(400, errors);

		const markers = markersOf(image.data);
		const status = Number(markers.ERROR);
		if (status >= 500 && status <= 599)
			return ctx.json(status, { detail: 'A server error occurred.' });
		const pendingMs =
			markers.PENDING_MS !== undefined && Number.isFinite(Number(markers.PENDING_MS))
				? Number(markers.PENDING_MS)
				: sb.options.taskPendingMs;
		const task = {
			id: crypto.randomUUID(),
			createdAt: Date.now(),
			pendingMs,
			fails: String(markers.TASK || '').toUpperCase() === 'FAILURE',
			person: people.pick(people.progenyPassports, markers.PERSON),
			noMatch: markers.NOMATCH === '1',
			extendData,
			portraitNumber: String(crypto.randomInt(1e9, 1e10)),
			providerTransactionId: crypto.randomUUID(),
		};
		tasks.set(task.id, task);
		ctx.note('taskId', task.id);
		return ctx.json(200, { id: task.id });
	}

	function taskStatus(task) {
		const elapsed = Date.now() - task.createdAt;
		if (elapsed < task.pendingMs / 2) return 'PENDING';
		if (elapsed < task.pendingMs) return 'STARTED';
		return task.fails ? 'FAILURE' : 'SUCCESS';
	}

	function successResult(task) {
		const p = task.person;
		const expiry = parseLooseDate(p.dateOfExpiry);
		const data = {
			document: {
				is_valid: true,
				is_expired: expiry ? expiry < new Date() : false,
				dateOfBirth: p.dateOfBirth,
				age: ageOn(parseLooseDate(p.dateOfBirth)),
				firstName: p.firstName,
				lastName: p.lastName,
				dateOfIssue: p.dateOfIssue,
				dateOfExpiry: p.dateOfExpiry,
				documentNumber: p.documentNumber,
				sex: p.sex,
				nationality: p.nationality,
				portrait: `images/services/ocr_passport/${task.portraitNumber}.jpg`,
				portrait_url: `${sb.url()}/progeny/media/portraits/${task.id}.jpg`,
			},
			compare: !task.noMatch,
			liveness: true,
		};
		if (task.extendData) data.provider_response = providerResponse(task);
		return { status: 200, data };
	}

	function task(ctx) {
		const id = ctx.query.get('id');
		if (!id) return ctx.json(400, { id: ['This field is required.'] });
		const t = tasks.get(id);
		if (!t) return ctx.json(404, { detail: 'Not found.' });
		const status = taskStatus(t);
		ctx.note('taskStatus', status);
		if (status === 'PENDING' || status === 'STARTED') return ctx.json(200, { id: t.id, status });
		if (status === 'FAILURE')
			return ctx.json(200, {
				id: t.id,
				status,
				result: { status: 422, error: 'Document could not be read' },
			});
		return ctx.json(200, { id: t.id, status, result: successResult(t) });
	}

	function portrait(ctx, match) {
		const t = tasks.get(match[1]);
		if (!t) return ctx.json(404, { detail: 'Not found.' });
		return ctx.sendBuffer(200, makeJpeg({ PORTRAIT: t.id }), 'image/jpeg');
	}

	const routes = [
		...drf.tokenRoutes({
			vendor,
			obtainPath: '/api/v3/accounts/token/obtain/',
			refreshPath: '/api/v3/accounts/token/refresh/',
			rotateRefresh: true,
			tokens: sb.tokens,
		}),
		{
			method: 'POST',
			path: '/api/v3/services/ocr_passport/',
			name: 'ocrPassport',
			auth: true,
			handler: ocrPassport,
		},
		{ method: 'GET', path: '/api/v3/services/task/', name: 'task', auth: true, handler: task },
		{
			method: 'GET',
			path: /^\/media\/portraits\/([0-9a-f-]+)\.jpg$/,
			name: 'portrait',
			service: false,
			handler: portrait,
		},
	];

	return {
		name: vendor,
		prefix: '/progeny',
		routes,
		reset() {
			tasks = new Map();
		},
		unauthorized: (ctx) =>
			drf.unauthorized(ctx, { detail: 'Given token not valid for any token type' }),
		errorBody: drf.errorBody,
		faultBody: drf.faultBody,
	};
};

module.exports.passportMrz = passportMrz;
