'use strict';
/**
 * LINK Mobility KYC (seed 003), mounted under /link. JSON in, JSON out; images travel as base64.
 * Verification with `certify` and/or `manualVerification` finishes asynchronously: after
 * callbackDelayMs the sandbox POSTs the Certification / ManualIDVerification callbacks, and
 * from then on the certificate PDF can be fetched.
 */
const http = require('http');
const https = require('https');
const people = require('./people');
const { certificatePdf } = require('./pdf');
const { MultipartError } = require('./http-util');
const { isJpeg, isPng, markersOf } = require('../fixtures/images');

const USER = 'sandbox';
const PASSWORD = 'sandbox';
// as in the seed, typo ("idVeriication") included
const SCOPES = [
	'kyc.idVeriication.auto',
	'kyc.facecomparison.auto',
	'kyc.idVerification.manual',
	'kyc.facecomparison.manual',
	'kyc.certification',
];
const VERIFY_KEYS = [
	'id',
	'images',
	'expeditorCountry',
	'certify',
	'certifyCallback',
	'manualVerification',
	'manualVerificationCallback',
];
const RESULTS = ['Ok', 'NotCorrect', 'NotProcessed', 'Warning'];
const WARNINGS = {
	Ok: '',
	NotCorrect:
		'The document did not pass the authenticity tests (TEST_GLOBAL_AUTHENTICITY_VALUE: FAIL)',
	NotProcessed: 'The document could not be processed: document type not recognized',
	Warning:
		'The images sent do not correspond to the same document (TEST_SIDE_CORRESPONDENCE: FAIL)',
};
const CALLBACK_TIMEOUT_MS = 5000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A LINK 400: {"id","code":"003","message":"Validation Error: ..."} */
class ValidationError extends Error {}

/** "yyyy-MM-dd HH:mm:ss +00:00", the ping's date format. */
function pingDate(date = new Date()) {
	const iso = date.toISOString();
	return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +00:00`;
}

/** ICAR-style field dates: "dd/MM/yyyy" from the fixtures' "yyyy-MM-dd". */
const icarDate = (ymd) => (ymd ? ymd.split('-').reverse().join('/') : '');

/** Decodes a strict base64 image (JPEG or PNG by magic bytes), or null when it is not one. */
function decodeImage(value) {
	if (
		typeof value !== 'string' ||
		value.length === 0 ||
		value.length % 4 !== 0 ||
		!BASE64.test(value)
	)
		return null;
	const data = Buffer.from(value, 'base64');
	if (isJpeg(data)) return { data, contentType: 'image/jpeg' };
	if (isPng(data)) return { data, contentType: 'image/png' };
	return null;
}

/** Validates a /identity/verify body strictly; returns the request and its decoded images. */
function readVerifyRequest(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw new ValidationError('The request body must be a JSON object');
	const unknown = Object.keys(body).filter((k) => !VERIFY_KEYS.includes(k));
	if (unknown.length) throw new ValidationError(`Unknown fields: ${unknown.join(', ')}`);
	if (typeof body.id !== 'string' || body.id.trim() === '')
		throw new ValidationError('The field id is required');
	if (!Array.isArray(body.images) || body.images.length < 1 || body.images.length > 2) {
		throw new ValidationError('The field images must hold 1 or 2 images');
	}
	const decoded = [];
	body.images.forEach((image, i) => {
		if (!image || typeof image !== 'object' || Array.isArray(image))
			throw new ValidationError(`images[${i}] must be an object`);
		const extra = Object.keys(image).filter((k) => k !== 'content' && k !== 'faceImage');
		if (extra.length)
			throw new ValidationError(`Unknown fields in images[${i}]: ${extra.join(', ')}`);
		if (image.faceImage !== undefined && i > 0)
			throw new ValidationError('faceImage is only accepted on the first image');
		for (const key of ['content', 'faceImage']) {
			if (key === 'faceImage' && image.faceImage === undefined) continue;
			const img = decodeImage(image[key]);
			if (!img) throw new ValidationError('There are images with invalid base64 format');
			decoded.push({ name: `images[${i}].${key}`, ...img });
		}
	});
	if (typeof body.expeditorCountry !== 'string' || !/^[A-Z]{2}$/.test(body.expeditorCountry)) {
		throw new ValidationError(
			'The field expeditorCountry must be an ISO 3166-1 alpha-2 country code',
		);
	}
	for (const key of ['certify', 'manualVerification']) {
		if (body[key] !== undefined && typeof body[key] !== 'boolean')
			throw new ValidationError(`The field ${key} must be a boolean`);
	}
	for (const key of ['certifyCallback', 'manualVerificationCallback']) {
		const value = body[key];
		if (value === undefined || value === null || value === '') continue;
		if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value))
			throw new ValidationError(`The field ${key} must be an http(s) URL`);
	}
	return { request: body, images: decoded };
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const normal = (code, value) => ({ type: 'Normal', code, value: String(value), description: code });
const validation = (code, value) => ({
	type: 'Validation',
	code,
	value: String(value),
	description: code,
});

/** ICAO 9303 check digit (weights 7, 3, 1; "<" is 0, A-Z are 10-35). */
function checkDigit(text) {
	let sum = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		const value = c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
		sum += value * [7, 3, 1][i % 3];
	}
	return String(sum % 10);
}

const mrzPart = (text) => text.toUpperCase().replace(/[^A-Z0-9]+/g, '<');
const mrzText = (text, length) => text.padEnd(length, '<').slice(0, length);
const mrzDate = (ymd) => ymd.slice(2).replace(/-/g, '');

/** The machine-readable zone: TD1 (three lines of 30) on an ID card, TD3 (two of 44) on a passport. */
function mrzLines(p) {
	const names = `${mrzPart(p.icarSurnames.join(' '))}<<${mrzPart(p.givenNames)}`;
	const birth = mrzDate(p.dateOfBirth);
	const expiry = mrzDate(p.dateOfExpiry);
	const sex = p.gender === 'F' || p.gender === 'M' ? p.gender : '<';
	if (p.documentType === 'PASSPORT') {
		const number = mrzText(p.documentNumber, 9);
		return [
			mrzText(`P<${p.countryCodeOfIssuance}${names}`, 44),
			`${number}${checkDigit(number)}${p.nationalityCode}${birth}${checkDigit(birth)}${sex}${expiry}${checkDigit(expiry)}${mrzText('', 14)}0<`.slice(
				0,
				44,
			),
		];
	}
	const number = mrzText(p.documentNumber, 9);
	return [
		mrzText(
			`ID${p.countryCodeOfIssuance}${number}${checkDigit(number)}${p.personalGovernmentId}`,
			30,
		),
		mrzText(
			`${birth}${checkDigit(birth)}${sex}${expiry}${checkDigit(expiry)}${p.nationalityCode}`,
			29,
		) + '0',
		mrzText(names, 30),
	];
}

/**
 * Codes an account of another configuration might use (marker CODES=ES): the node knows none of
 * them, its "Field Mapping" option maps them.
 */
const SPANISH_CODES = {
	DOCUMENT_NUMBER: 'NUM_DOCUMENTO',
	BIRTH_DATE: 'FECHA_NACIMIENTO',
	EXPEDITOR: 'PAIS_EXPEDICION',
};

/**
 * The automatic verification's field list for one person and outcome, as LINK's ICAR engine
 * writes it: SURNAME once per surname, MRZ once per line, EXPEDITOR, ID_NUMBER (the national id
 * on an ID card), checks of each side repeated (marker SIDE2FAIL=<check> fails the second
 * side's), and the face recognition's verdict and ratio when a face image came.
 */
function verificationFields(person, { result, sides, faceImage, noMatch, side2Fail, codes }) {
	if (result === 'NotProcessed') return [];
	const expired = new Date(person.dateOfExpiry) < new Date();
	const code = (name) => (codes === 'ES' && SPANISH_CODES[name]) || name;
	const fields = [
		normal('TYPE', person.documentType === 'PASSPORT' ? 'PASSPORT' : 'IDENTITY'),
		normal('SIDE', sides),
		normal(code('DOCUMENT_NUMBER'), person.documentNumber),
		normal('NAME', person.givenNames),
		...person.icarSurnames.map((surname) => normal('SURNAME', surname)),
		normal(code('BIRTH_DATE'), icarDate(person.dateOfBirth)),
		normal('EXPIRY_DATE', icarDate(person.dateOfExpiry)),
		normal('ISSUE_DATE', icarDate(person.dateOfIssuance)),
		normal('NATIONALITY', person.nationalityCode),
		normal('SEX', person.gender),
		normal(code('EXPEDITOR'), person.countryCodeOfIssuance),
	];
	if (person.documentType !== 'PASSPORT' && person.personalGovernmentId)
		fields.push(normal('ID_NUMBER', person.personalGovernmentId));
	fields.push(normal('PLACE_OF_BIRTH', person.placeOfBirth));
	if (person.address.addressLine1)
		fields.push(
			normal('ADDRESS', `${person.address.addressLine1}, ${person.address.addressLine2}`),
		);
	fields.push(
		...mrzLines(person).map((line) => normal('MRZ', line)),
		normal('QUALITY_IMAGE_BLURRING', 'IQ_GOOD 11%'),
		normal('ICAR_RESULT_DOCUMENT_ID', person.icarId),
		validation('TEST_GLOBAL_AUTHENTICITY_VALUE', result === 'NotCorrect' ? 'FAIL' : 'OK'),
		validation('TEST_GLOBAL_AUTHENTICITY_RATIO', result === 'NotCorrect' ? '0.31' : '0.97'),
		validation('TEST_MRZ_CHECKSUM', 'OK'),
	);
	// The dates are checked on each side: printed on the front, in the MRZ on the back.
	for (let side = 1; side <= Number(sides); side++) {
		for (const check of ['TEST_EXPIRY_DATE', 'TEST_BIRTH_DATE']) {
			const ok = check === 'TEST_EXPIRY_DATE' ? !expired : true;
			fields.push(validation(check, ok && !(side === 2 && side2Fail === check) ? 'OK' : 'FAIL'));
		}
	}
	if (sides === '2' || result === 'Warning')
		fields.push(validation('TEST_SIDE_CORRESPONDENCE', result === 'Warning' ? 'FAIL' : 'OK'));
	if (faceImage) {
		fields.push(
			validation('TEST_FACE_RECOGNITION_VALUE', noMatch ? 'FAIL' : 'OK'),
			validation('TEST_FACE_RECOGNITION_RATIO', noMatch ? '0.12' : '0.91'),
		);
	}
	return fields;
}

function extractedData(p) {
	return {
		documentAttributes: {
			countryCodeOfIssuance: p.countryCodeOfIssuance,
			dateOfExpiry: p.dateOfExpiry,
			dateOfIssuance: p.dateOfIssuance,
			documentNumber: p.documentNumber,
			documentType: p.documentType,
			issuingAuthority: p.issuingAuthority,
			stateOrProvinceOfIssuance: p.stateOrProvinceOfIssuance,
		},
		personAttributes: {
			dateOfBirth: p.dateOfBirth,
			gender: p.gender,
			nationalityCode: p.nationalityCode,
			personalGovernmentId: p.personalGovernmentId,
			placeOfBirth: p.placeOfBirth,
		},
		name: {
			firstSurname: p.firstSurname,
			fullName: p.fullName,
			givenNames: p.givenNames,
			secondSurname: p.secondSurname,
			surname: p.surname,
		},
		address: {
			parsedAddress: {
				addressLine1: p.address.addressLine1,
				addressLine2: p.address.addressLine2,
				addressLine3: '',
				addressLine4: '',
				city: p.address.city,
				postalCode: p.address.postalCode,
				stateOrProvince: p.address.stateOrProvince,
			},
			unparsedAddress: {
				addressLine1: p.address.addressLine1,
				addressLine2: p.address.addressLine2,
				addressLine3: '',
				addressLine4: '',
			},
		},
	};
}

/**
 * The ManualIDVerification callback data for APPROVED | NOT_APPROVED | REJECTED, as in seed 003,
 * including its sloppy values (" ACCEPTED", " REJECTED" with a leading space).
 */
function manualCallbackData(outcome, person) {
	if (outcome === 'REJECTED') {
		return {
			documentInfo: {
				acceptance: {
					result: ' REJECTED',
					reasons: [
						'GLARE',
						'INCOMPLETE_DOCUMENT',
						'NOT_VISIBLE_FOUR_CORNERS',
						'NOT_VISIBLE_SECURITY_FEATURES',
						'OUT_OF_FOCUS',
						'POOR_CONTRAST',
						'POOR_EXPOSURE',
						'UNCLASSIFIED_DOCUMENT',
						'UNREADABLE_FIELD',
						'UNSUPPORTED_LANGUAGE',
					],
				},
			},
			faceComparisonInfo: {
				acceptance: {
					result: ' REJECTED',
					reasons: [
						'POOR_CONTRAST',
						'POOR_EXPOSURE',
						'OUT_OF_FOCUS',
						'GLARE',
						'MISSING_SELFIE',
						'MISSING_PORTRAIT',
						'NOT_HUMAN_FACE',
						'PARTIALLY_VISIBLE_HUMAN_FACE',
						'SELFIE_NOT_LIVE',
						'PORTRAIT_IS_FAKE',
					],
				},
			},
		};
	}
	if (outcome === 'NOT_APPROVED') {
		return {
			documentInfo: {
				acceptance: { result: ' ACCEPTED' },
				findings: {
					documentApproval: 'NOT_APPROVED',
					details: {
						authenticity: {
							result: 'NOT_AUTHENTIC',
							reasons: [
								'EVIDENCE_OF_FORGERY_BIODATA_FONTS',
								'EVIDENCE_OF_FORGERY_MRZ_FONTS',
								'EVIDENCE_OF_FORGERY_PHOTO_ZONE',
								'EVIDENCE_OF_FORGERY_SIGNATURE',
							],
						},
						originality: {
							result: 'NOT_ORIGINAL',
							reasons: [
								'EVIDENCE_OF_FORGERY_BLACK_AND_WHITE_COPY',
								'EVIDENCE_OF_FORGERY_DOCUMENT_STRUCTURE',
							],
						},
						validity: {
							result: 'NOT_VALID',
							reasons: ['EVIDENCE_OF_FORGERY_MRZ_CHECKSUMS', 'EXPIRED_OR_INVALIDATED'],
						},
					},
				},
				extractedData: extractedData(person),
			},
			faceComparisonInfo: {
				acceptance: { result: 'ACCEPTED' },
				findings: { faceComparisonApproval: 'NOT_MATCH', faceLivenessApproval: 'NOT_LIVE' },
			},
		};
	}
	return {
		documentInfo: {
			acceptance: { result: 'ACCEPTED' },
			findings: {
				documentApproval: 'APPROVED',
				details: {
					authenticity: { result: 'AUTHENTIC' },
					originality: { result: 'ORIGINAL' },
					validity: { result: 'VALID' },
				},
			},
			extractedData: extractedData(person),
		},
		faceComparisonInfo: {
			acceptance: { result: 'ACCEPTED' },
			findings: { faceComparisonApproval: 'MATCH', faceLivenessApproval: 'LIVE' },
		},
	};
}

/** The marker value among `allowed`, matched case-insensitively; fallback when absent/unknown. */
function choice(value, allowed, fallback) {
	if (value === undefined) return fallback;
	return allowed.find((a) => a.toLowerCase() === String(value).toLowerCase()) || fallback;
}

/** POSTs JSON to url; resolves { status } or { error } (never rejects). */
function postJson(url, body) {
	return new Promise((resolve) => {
		let target;
		try {
			target = new URL(url);
		} catch {
			resolve({ error: `invalid URL: ${url}` });
			return;
		}
		const payload = Buffer.from(JSON.stringify(body));
		const client = target.protocol === 'https:' ? https : http;
		const req = client.request(
			target,
			{
				method: 'POST',
				timeout: CALLBACK_TIMEOUT_MS,
				headers: {
					'Content-Type': 'application/json; charset=utf-8',
					'Content-Length': payload.length,
					'User-Agent': 'LINK-KYC-Sandbox/1.0',
				},
			},
			(res) => {
				res.resume(); // the answer's body does not matter, only its status
				res.on('end', () => resolve({ status: res.statusCode }));
				res.on('error', (err) => resolve({ status: res.statusCode, error: err.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${CALLBACK_TIMEOUT_MS} ms`)));
		req.on('error', (err) => resolve({ error: err.message }));
		req.end(payload);
	});
}

// ---------------------------------------------------------------------------------------------

module.exports = function createLink(sb) {
	const vendor = 'link';
	/** id -> { id, result, person, certificate: Buffer|null } */
	let verifications = new Map();

	function token(ctx) {
		let body;
		try {
			body = JSON.parse(ctx.body.toString('utf8'));
		} catch {
			body = null;
		}
		if (!body || body.user !== USER || body.password !== PASSWORD) {
			return ctx.json(500, { code: '003', message: 'Validation Error: Invalid credentials' });
		}
		const { token: value, lifetime } = sb.tokens.issue(vendor);
		return ctx.json(200, {
			token: value,
			scopes: SCOPES,
			expiresIn: lifetime,
			token_type: 'bearer',
		});
	}

	function ping(ctx) {
		return ctx.json(200, { service: 'KYC API', status: 'ok', date: pingDate() });
	}

	function verify(ctx) {
		let body;
		try {
			body = JSON.parse(ctx.body.toString('utf8'));
		} catch (err) {
			return ctx.json(400, {
				id: null,
				code: '003',
				message: `Validation Error: Invalid JSON (${err.message})`,
			});
		}
		const requestId = body && typeof body.id === 'string' ? body.id : null;
		let parsed;
		try {
			if (ctx.mediaType() !== 'application/json')
				throw new ValidationError('Content-Type must be application/json');
			parsed = readVerifyRequest(body);
		} catch (err) {
			if (!(err instanceof ValidationError)) throw err;
			return ctx.json(400, {
				id: requestId,
				code: '003',
				message: `Validation Error: ${err.message}`,
			});
		}
		const { request, images } = parsed;
		ctx.noteFiles(
			images.map((img) => ({
				name: img.name,
				filename: null,
				contentType: img.contentType,
				size: img.data.length,
			})),
		);

		const markers = {};
		for (const img of images)
			for (const [k, v] of Object.entries(markersOf(img.data))) if (!(k in markers)) markers[k] = v;
		if (markers.ERROR !== undefined) {
			if (markers.ERROR === '503') return ctx.json(503, undefined);
			return ctx.json(500, {
				id: request.id,
				code: '001',
				message: 'Unknown Error: Error processing request',
			});
		}

		const person = people.pick(people.linkDocuments, markers.PERSON);
		const result = choice(markers.RESULT, RESULTS, 'Ok');
		const outcome = choice(markers.MANUAL, ['APPROVED', 'NOT_APPROVED', 'REJECTED'], 'APPROVED');
		const manual = request.manualVerification === true;
		const certify = request.certify === true;
		verifications.set(request.id, {
			id: request.id,
			result: manual ? 'Manual' : result,
			person,
			certificate: null,
		});
		ctx.note('process', manual ? 'Manual' : 'Automatic');
		scheduleCallbacks(request, {
			manual,
			certify,
			outcome,
			person,
			result: manual ? outcome : result,
		});

		if (manual)
			return ctx.json(200, {
				id: request.id,
				idVerification: { status: 'Processing', process: 'Manual' },
			});
		const answer = {
			id: request.id,
			idVerification: {
				status: 'Completed',
				process: 'Automatic',
				result,
				warning: WARNINGS[result],
				fields: verificationFields(person, {
					result,
					sides: String(request.images.length),
					faceImage: request.images[0].faceImage !== undefined,
					noMatch: markers.NOMATCH === '1',
					side2Fail: markers.SIDE2FAIL,
					codes: markers.CODES,
				}),
			},
		};
		if (certify) answer.certification = { status: 'Processing' };
		return ctx.json(200, answer);
	}

	/** After callbackDelayMs: the manual result and/or the certificate (then downloadable). */
	function scheduleCallbacks(request, { manual, certify, outcome, person, result }) {
		if (!manual && !certify) return;
		const target = (url) => (url ? url : sb.options.linkDefaultCallbackUrl || null);
		sb.timers.later(sb.options.callbackDelayMs, () => {
			if (manual) {
				send(target(request.manualVerificationCallback), {
					id: request.id,
					service: 'ManualIDVerification',
					status: 'Completed',
					data: manualCallbackData(outcome, person),
				});
			}
			if (certify) {
				const v = verifications.get(request.id);
				if (v) v.certificate = certificatePdf({ id: request.id, result, person });
				send(target(request.certifyCallback), {
					id: request.id,
					service: 'Certification',
					status: 'Completed',
					data: {
						urlCertificateFile: `${sb.url()}/link/certificate/${encodeURIComponent(request.id)}`,
					},
				});
			}
		});
	}

	async function send(url, body) {
		const generation = sb.generation();
		const record = {
			t: Date.now(),
			id: body.id,
			service: body.service,
			url,
			status: null,
			error: null,
			body,
		};
		if (!url) {
			record.error = 'skipped: empty callback URL and no linkDefaultCallbackUrl';
			sb.recordCallback(record, generation);
			return;
		}
		// Like a real webhook sender, LINK may try again when it got no 2xx in time
		// (callbackAttempts, default 1): the receiver must not start a second execution.
		const attempts = Math.max(1, sb.options.callbackAttempts ?? 1);
		let outcome;
		record.attempts = 0;
		for (let attempt = 0; attempt < attempts; attempt++) {
			if (attempt > 0)
				await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)));
			const started = Date.now();
			outcome = await postJson(url, body);
			record.attempts++;
			if (attempt === 0)
				record.firstAttempt = {
					status: outcome.status ?? null,
					error: outcome.error ?? null,
					durationMs: Date.now() - started,
				};
			if (outcome.status >= 200 && outcome.status < 300) break;
		}
		record.status = outcome.status ?? null;
		record.error = outcome.error ?? null;
		record.durationMs = Date.now() - record.t;
		sb.recordCallback(record, generation);
	}

	function certificate(ctx, match) {
		const id = decodeURIComponent(match[1]);
		const v = verifications.get(id);
		if (!v || !v.certificate) return ctx.json(404, undefined);
		return ctx.json(200, { id, content: v.certificate.toString('base64') });
	}

	const routes = [
		{ method: 'POST', path: '/auth/token', name: 'token', service: false, handler: token },
		{ method: 'POST', path: '/ping', name: 'ping', handler: ping },
		{ method: 'POST', path: '/identity/verify', name: 'verify', auth: true, handler: verify },
		{
			method: 'GET',
			path: /^\/certificate\/([^/]+)$/,
			name: 'certificate',
			auth: true,
			handler: certificate,
		},
		// the seed's "URL" line names /identity/{request_id} for the same download
		{
			method: 'GET',
			path: /^\/identity\/([^/]+)$/,
			name: 'certificate',
			auth: true,
			handler: certificate,
		},
	];

	return {
		name: vendor,
		prefix: '/link',
		routes,
		reset() {
			verifications = new Map();
		},
		// seed 003: a 401 carries a JSON content type and no body
		unauthorized: (ctx) => ctx.json(401, undefined),
		errorBody(err) {
			if (
				err instanceof MultipartError ||
				err.status === 400 ||
				err.status === 413 ||
				err.status === 415
			) {
				return { id: null, code: '003', message: `Validation Error: ${err.message}` };
			}
			if (err.status === 404 || err.status === 405) return undefined;
			return { code: '001', message: `Unknown Error: ${err.message}` };
		},
		faultBody(kind) {
			if (kind === '500')
				return { code: '001', message: 'Unknown Error: Error processing request' };
			return undefined; // 429 and 503: empty JSON body, like the seed's 503
		},
	};
};

module.exports.pingDate = pingDate;
module.exports.manualCallbackData = manualCallbackData;
