'use strict';
/**
 * Apptenticate (seeds 000, 001, 002 + the public v3 biometry docs), mounted under /apptenticate.
 * Every service call is multipart/form-data with JPEG files of at most 2 MB. The sandbox is
 * strict where a real server might be lenient (unknown or duplicated field names, bad flag
 * values) because its job is to catch a node that builds a wrong request.
 */
const drf = require('./drf');
const people = require('./people');
const { isJpeg, markersOf } = require('../fixtures/images');

const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const DEVICES = ['IOS', 'ANDROID', 'DESKTOP'];

// Spanish messages (the service answers in Spanish; seed 000's table gives English meanings).
// `key` names the entry of `details`, as in seed 000's 806 example ({"metadata": ...}).
const OCR_ERRORS = {
	800: {
		error: 'No se pudo procesar correctamente el archivo enviado',
		key: 'file',
		detail: 'El archivo enviado no es válido',
	},
	801: {
		error: 'No se pudo extraer el MRZ del documento',
		key: 'mrz',
		detail: 'No se encontró una zona MRZ legible',
	},
	802: {
		error: 'No se pudo procesar la fecha de nacimiento',
		key: 'birth_date',
		detail: 'Fecha de nacimiento ilegible',
	},
	803: { error: 'No se pudo procesar el género', key: 'gender', detail: 'Género ilegible' },
	804: {
		error: 'No se pudo procesar la fecha de expiración',
		key: 'expiration_date',
		detail: 'Fecha de expiración ilegible',
	},
	805: {
		error: 'Error al procesar el código QR',
		key: 'qr',
		detail: 'No se pudo decodificar el código QR',
	},
	806: {
		error: 'No se pudo hacer OCR del documento',
		key: 'metadata',
		detail: 'No se pudo procesar correctamente alguno de los datos del documento',
	},
	807: {
		error: 'No se pudieron extraer los nombres del documento',
		key: 'names',
		detail: 'Nombres ilegibles',
	},
	808: {
		error: 'No se pudo extraer el número de identificación del documento',
		key: 'document_number',
		detail: 'Número de documento ilegible',
	},
	809: {
		error: 'No se envió el "frontside" en la solicitud',
		key: 'frontside',
		detail: 'Este archivo es obligatorio',
	},
	810: {
		error: 'No se envió el "backside" en la solicitud',
		key: 'backside',
		detail: 'Este archivo es obligatorio para identification_card',
	},
	811: {
		error: 'No se pudieron extraer los apellidos del documento',
		key: 'surnames',
		detail: 'Apellidos ilegibles',
	},
	812: {
		error: 'No se pudo extraer el lugar de nacimiento del documento',
		key: 'birth_country',
		detail: 'Lugar de nacimiento ilegible',
	},
	813: {
		error: 'Los datos no coinciden entre el frontside y el backside',
		key: 'data',
		detail: 'Los datos de ambos lados del documento no coinciden',
	},
	814: {
		error: 'La imagen no cumple con el puntaje mínimo para la lectura del MRZ',
		key: 'mrz',
		detail: 'Puntaje de lectura del MRZ insuficiente',
	},
	815: {
		error: 'El formato del QR de la cédula no es legible',
		key: 'backside',
		detail: 'Código QR ilegible',
	},
	816: {
		error: 'El documento no corresponde con el especificado en los parámetros',
		key: 'document_type',
		detail: 'Tipo de documento inválido',
	},
	817: {
		error: 'El código del pasaporte enviado aún no es soportado por el servicio',
		key: 'passport',
		detail: 'País emisor no soportado',
	},
	818: {
		error: 'No se pudo obtener el OCR del frontside.',
		key: 'frontside',
		detail: 'No se pudo leer el frente del documento',
	},
	819: { error: 'No se pudo extraer el CURP del documento', key: 'CURP', detail: 'CURP ilegible' },
};
// seed 001 words some messages differently for the INE service
const INE_MESSAGES = {
	806: 'No se pudo extraer la metadata del documento',
	814: 'No se pudo extraer el MRZ del documento',
};

/** An Apptenticate error answer in waiting: thrown by validation, rendered by the route. */
class ApptError extends Error {
	constructor(code, detail, status = 400) {
		super(`error ${code}`);
		this.code = code;
		this.detail = detail;
		this.status = status;
	}
}

// Biometry answers {valid, message, code}; these are the sandbox's own codes (the docs give
// none): 0 ok, 1 face does not match; 2..6 reject a malformed request with HTTP 400.
const BIO = {
	noMatchNational: {
		code: 1,
		message: 'La persona en la imagen no corresponde a la cédula indicada',
	},
	noMatchForeign: { code: 1, message: 'El rostro de la selfie no coincide con el del documento' },
	missingId: { code: 2, message: 'Debe indicar la cédula del ciudadano' },
	missingImage: { code: 3, message: 'No se envió la imagen del rostro' },
	badImage: { code: 4, message: 'La imagen debe ser un archivo .jpg de máximo 2MB' },
	badValue: { code: 5, message: 'Valor de parámetro no válido' },
	badField: { code: 6, message: 'Parámetros no reconocidos en la solicitud' },
};

// Seed 002's failure shape with a vendor code the node cannot know in advance: the marker
// BIOCODE=<n> makes a biometry endpoint answer HTTP 400 {"valid": false, "message", "code": n}.
const BIO_CODE_MESSAGES = {
	903: 'La cédula indicada no se encuentra en el padrón del Tribunal Electoral',
};

class BioError extends Error {
	constructor(kind, detail) {
		super(kind.message);
		this.kind = kind;
		this.detail = detail;
	}
}

module.exports = function createApptenticate(sb) {
	const vendor = 'apptenticate';

	// ------------------------------------------------------------------ request reading

	/**
	 * Reads the multipart form of a service call: { text: {name: value}, files: {name: part} }.
	 * `allowed` lists every accepted field name; `onBadField(names, why)` raises the
	 * endpoint's own error for unknown or duplicated names.
	 */
	function readForm(ctx, allowed, onBadField) {
		const { parts } = drf.requireMultipart(ctx);
		const seen = new Set();
		const text = {};
		const files = {};
		const unknown = [];
		const duplicated = [];
		for (const part of parts) {
			if (!allowed.includes(part.name)) unknown.push(part.name);
			else if (seen.has(part.name)) duplicated.push(part.name);
			seen.add(part.name);
			// Django puts a part in request.FILES only when it has a filename
			if (part.filename !== null) files[part.name] = part;
			else text[part.name] = part.data.toString('utf8');
		}
		if (unknown.length) onBadField(unknown, 'unknown');
		if (duplicated.length) onBadField(duplicated, 'duplicated');
		return { text, files };
	}

	/** Why a file is refused (not a JPEG by magic bytes, over 2 MB), or null when it is fine. */
	function jpegProblem(part) {
		if (!isJpeg(part.data)) return `El archivo "${part.name}" no es una imagen .jpg`;
		if (part.data.length > MAX_IMAGE_BYTES)
			return `El archivo "${part.name}" supera el tamaño máximo de 2MB (${part.data.length} bytes)`;
		return null;
	}

	/** Markers of all given file parts, the first value of a key winning. */
	function markersOfParts(parts) {
		const markers = {};
		for (const part of parts) {
			if (!part) continue;
			for (const [k, v] of Object.entries(markersOf(part.data)))
				if (!(k in markers)) markers[k] = v;
		}
		return markers;
	}

	/** A Python-ish boolean flag: undefined when absent; ApptError/BioError via `fail` when bad. */
	function flag(text, name, fail) {
		if (text[name] === undefined) return false;
		if (text[name] === 'True' || text[name] === 'true') return true;
		if (text[name] === 'False' || text[name] === 'false') return false;
		return fail(`"${name}" debe ser True o False, se recibió "${text[name]}"`);
	}

	/** ERROR=<code> marker: 800-819 -> Apptenticate error; 5xx -> that status. */
	function markerError(markers) {
		if (markers.ERROR === undefined) return;
		const code = Number(markers.ERROR);
		if (code >= 500 && code <= 599)
			throw new ApptError(code, 'Error forzado por el marcador ERROR', code);
		throw new ApptError(OCR_ERRORS[code] ? code : 806, undefined);
	}

	// ------------------------------------------------------------------ answers

	/** Renders an ApptError in the shape of the endpoint (seed 000 vs seed 001). */
	function renderError(ctx, err, ine) {
		ctx.note('errorCode', err.code);
		if (err.status >= 500) return ctx.json(err.status, { detail: 'Error interno del servidor' });
		const known = OCR_ERRORS[err.code];
		const message = (ine && INE_MESSAGES[err.code]) || known.error;
		if (ine) return ctx.json(err.status, { error_code: err.code, error: message, valid: false });
		return ctx.json(err.status, {
			error: message,
			error_code: err.code,
			details: { [known.key]: err.detail || known.detail },
		});
	}

	function withId(answer, returnId) {
		if (returnId) answer.id = sb.nextTransactionId();
		return answer;
	}

	/** The person in the ID card answer's field order (seed 000). */
	function idCardAnswer(p) {
		return {
			document_number: p.document_number,
			names: p.names,
			surnames: p.surnames,
			gender: p.gender,
			birth_country: p.birth_country,
			birth_date: p.birth_date,
			nationality: p.nationality,
			issuing_date: p.issuing_date,
			expiration_date: p.expiration_date,
		};
	}

	function idCardFront(p) {
		return {
			names: p.names,
			surnames: p.surnames,
			birth_date: p.birth_date,
			document_number: p.document_number,
			birth_country: p.birth_country,
			gender: p.gender,
			blood_type: p.blood_type,
			issuing_date: p.issuing_date,
			expiration_date: p.expiration_date,
			nationality: p.nationality,
		};
	}

	/** A person different from p (for NOMATCH: the front shows somebody else). */
	const otherThan = (list, p) => list[(list.indexOf(p) + 1) % list.length];

	// ------------------------------------------------------------------ OCR (v3 and v3.2)

	const OCR_FIELDS = [
		'frontside',
		'backside',
		'document_type',
		'return_id',
		'device',
		'validate_sides',
	];

	/** Validation shared by both OCR versions; returns the parsed request. */
	function readOcrRequest(ctx, documentTypes, backsideRequiredFor) {
		const { text, files } = readForm(ctx, OCR_FIELDS, (names, why) => {
			throw new ApptError(
				800,
				`Parámetros ${why === 'unknown' ? 'no reconocidos' : 'duplicados'}: ${names.join(', ')}`,
			);
		});
		if (!files.frontside) {
			throw new ApptError(
				809,
				text.frontside !== undefined ? '"frontside" llegó como texto, no como archivo' : undefined,
			);
		}
		const documentType = text.document_type;
		ctx.note('documentType', documentType);
		if (!documentTypes.includes(documentType)) {
			throw new ApptError(
				816,
				`document_type debe ser ${documentTypes.join(' o ')}, se recibió "${documentType ?? ''}"`,
			);
		}
		if (backsideRequiredFor.includes(documentType) && !files.backside) {
			throw new ApptError(
				810,
				text.backside !== undefined ? '"backside" llegó como texto, no como archivo' : undefined,
			);
		}
		for (const part of [files.frontside, files.backside]) {
			const problem = part && jpegProblem(part);
			if (problem) throw new ApptError(800, problem);
		}
		if (text.device !== undefined && !DEVICES.includes(text.device)) {
			throw new ApptError(
				800,
				`device debe ser IOS, ANDROID o DESKTOP, se recibió "${text.device}"`,
			);
		}
		const fail = (detail) => {
			throw new ApptError(800, detail);
		};
		const returnId = flag(text, 'return_id', fail);
		const validateSides = flag(text, 'validate_sides', fail);
		const markers = markersOfParts([files.frontside, files.backside]);
		markerError(markers);
		return { documentType, returnId, validateSides, markers, device: text.device };
	}

	function ocrV3(ctx) {
		try {
			const r = readOcrRequest(ctx, ['passport', 'identification_card'], ['identification_card']);
			const noMatch = r.markers.NOMATCH === '1';
			if (r.documentType === 'passport') {
				// a passport has one side: validate_sides has nothing to compare and is ignored
				if (r.validateSides) ctx.note('ignored', 'validate_sides (passport)');
				const p = people.pick(people.passports, r.markers.PERSON);
				return ctx.json(200, withId({ ...p, valid: true }, r.returnId));
			}
			const p = people.pick(people.panamaIdCards, r.markers.PERSON);
			if (!r.validateSides)
				return ctx.json(200, withId({ ...idCardAnswer(p), valid: true }, r.returnId));
			const front = idCardFront(noMatch ? otherThan(people.panamaIdCards, p) : p);
			return ctx.json(
				200,
				withId(
					{
						backside: idCardAnswer(p),
						frontside: front,
						matches_percentage: noMatch ? 22.2 : 100.0,
						match: !noMatch,
						valid: !noMatch,
					},
					r.returnId,
				),
			);
		} catch (err) {
			if (err instanceof ApptError) return renderError(ctx, err, false);
			throw err;
		}
	}

	function ocrIne(ctx) {
		try {
			// seed 001's text says "id_mexico", its payload examples "mexican_id": accept both
			// (the log's documentType tells which one a node sent)
			const r = readOcrRequest(ctx, ['id_mexico', 'mexican_id'], ['id_mexico', 'mexican_id']);
			const noMatch = r.markers.NOMATCH === '1';
			const p = people.pick(people.mexicanIds, r.markers.PERSON);
			if (!r.validateSides) return ctx.json(200, withId({ ...p.back, valid: true }, r.returnId));
			const front = noMatch ? otherThan(people.mexicanIds, p).front : p.front;
			return ctx.json(
				200,
				withId(
					{
						backside: { ...p.back },
						frontside: { ...front },
						matches_percentage: noMatch ? 31.25 : 85.5,
						match: !noMatch,
						valid: !noMatch,
					},
					r.returnId,
				),
			);
		} catch (err) {
			if (err instanceof ApptError) return renderError(ctx, err, true);
			throw err;
		}
	}

	// ------------------------------------------------------------------ biometry

	/**
	 * One biometry endpoint. `spec` names its fields: idField(s) (citizen id), imageFields (the
	 * face image, alternatives), extraFiles, flag name for the transaction id, device names.
	 */
	function biometry(spec) {
		return (ctx) => {
			try {
				const { text, files } = readForm(ctx, spec.allowed, (names, why) => {
					throw new BioError(
						BIO.badField,
						`${why === 'unknown' ? 'Parámetros no reconocidos' : 'Parámetros duplicados'}: ${names.join(', ')}`,
					);
				});
				const imageNames = spec.imageFields.filter((n) => files[n]);
				if (imageNames.length > 1)
					throw new BioError(BIO.badField, `Envíe solo uno de: ${spec.imageFields.join(', ')}`);
				const deviceNames = spec.deviceFields.filter((n) => text[n] !== undefined);
				if (deviceNames.length > 1)
					throw new BioError(BIO.badField, `Envíe solo uno de: ${spec.deviceFields.join(', ')}`);
				if (spec.idField && !(text[spec.idField] || '').trim()) {
					throw new BioError(BIO.missingId, `El campo "${spec.idField}" es obligatorio`);
				}
				const required = [...spec.extraFiles, imageNames[0] || spec.imageFields[0]];
				for (const name of required) {
					if (!files[name])
						throw new BioError(BIO.missingImage, `No se envió el archivo "${name}"`);
				}
				for (const name of required) {
					const problem = jpegProblem(files[name]);
					if (problem) throw new BioError(BIO.badImage, problem);
				}
				if (spec.documentTypes && !spec.documentTypes.includes(text.document_type)) {
					throw new BioError(
						BIO.badValue,
						`document_type debe ser ${spec.documentTypes.join(', ')}`,
					);
				}
				const device = deviceNames.length ? text[deviceNames[0]] : undefined;
				if (device !== undefined && !DEVICES.includes(device)) {
					throw new BioError(
						BIO.badValue,
						`device debe ser IOS, ANDROID o DESKTOP, se recibió "${device}"`,
					);
				}
				const returnId = flag(text, spec.idFlag, (detail) => {
					throw new BioError(BIO.badValue, detail);
				});
				ctx.note('imageField', imageNames[0]);
				if (deviceNames.length) ctx.note('deviceField', deviceNames[0]);
				const markers = markersOfParts(required.map((n) => files[n]));
				markerError(markers);
				if (markers.BIOCODE !== undefined) {
					const code = Number(markers.BIOCODE);
					ctx.note('errorCode', code);
					return ctx.json(400, {
						valid: false,
						message: BIO_CODE_MESSAGES[code] ?? 'No se pudo completar la validación biométrica',
						code,
					});
				}
				if (markers.NOMATCH === '1') {
					return ctx.json(
						200,
						withId(
							{ valid: false, message: spec.noMatch.message, code: spec.noMatch.code },
							returnId,
						),
					);
				}
				return ctx.json(200, withId({ valid: true, message: null, code: 0 }, returnId));
			} catch (err) {
				if (err instanceof ApptError) return renderError(ctx, err, false);
				if (err instanceof BioError) {
					ctx.note('errorCode', err.kind.code);
					return ctx.json(400, {
						valid: false,
						message: `${err.kind.message}: ${err.detail}`,
						code: err.kind.code,
					});
				}
				throw err;
			}
		};
	}

	const nationals = biometry({
		allowed: ['citizen_id', 'selfie', 'return_id', 'device'],
		idField: 'citizen_id',
		imageFields: ['selfie'],
		extraFiles: [],
		deviceFields: ['device'],
		idFlag: 'return_id',
		noMatch: BIO.noMatchNational,
	});
	const foreigns = biometry({
		allowed: ['frontside', 'selfie', 'document_type', 'return_id', 'device'],
		imageFields: ['selfie'],
		extraFiles: ['frontside'],
		deviceFields: ['device'],
		documentTypes: ['passport', 'identification_card', 'profile_image'],
		idFlag: 'return_id',
		noMatch: BIO.noMatchForeign,
	});
	// seed 002: its payload says image/device, its code example imagen/dispositivo: accept both
	const legacy = biometry({
		allowed: ['cedula', 'image', 'imagen', 'id', 'device', 'dispositivo'],
		idField: 'cedula',
		imageFields: ['image', 'imagen'],
		extraFiles: [],
		deviceFields: ['device', 'dispositivo'],
		idFlag: 'id',
		noMatch: BIO.noMatchNational,
	});

	// ------------------------------------------------------------------ wiring

	const routes = [
		...drf.tokenRoutes({
			vendor,
			obtainPath: '/api/token/',
			refreshPath: '/api/token/refresh/',
			rotateRefresh: false,
			tokens: sb.tokens,
		}),
		{ method: 'POST', path: '/api/v3/ocr/', name: 'ocr', auth: true, handler: ocrV3 },
		{ method: 'POST', path: '/api/v3.2/ocr/', name: 'ocrIne', auth: true, handler: ocrIne },
		{
			method: 'POST',
			path: '/api/v3/biometrics/nationals/',
			name: 'biometricsNationals',
			auth: true,
			handler: nationals,
		},
		{
			method: 'POST',
			path: '/api/v3/biometrics/foreigns/',
			name: 'biometricsForeigns',
			auth: true,
			handler: foreigns,
		},
		{
			method: 'POST',
			path: '/api/biometrics/',
			name: 'biometricsLegacy',
			auth: true,
			handler: legacy,
		},
	];

	return {
		name: vendor,
		prefix: '/apptenticate',
		routes,
		reset() {},
		unauthorized: (ctx) =>
			drf.unauthorized(ctx, {
				detail: 'Given token not valid for any token type',
				code: 'token_not_valid',
			}),
		errorBody: drf.errorBody,
		faultBody: drf.faultBody,
	};
};

module.exports.OCR_ERRORS = OCR_ERRORS;
module.exports.MAX_IMAGE_BYTES = MAX_IMAGE_BYTES;
