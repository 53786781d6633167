'use strict';
/** Small HTTP helpers shared by the vendor modules: body reading, answering, body decoding. */
const { parseMultipart, parseHeaderValue, MultipartError } = require('./multipart');

const MAX_BODY_BYTES = 25 * 1024 * 1024;

class HttpError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/**
 * Reads the whole request body. Rejects with HttpError 413 past maxBytes, and 400 when the
 * client declared more bytes than it sends (it stalls for idleMs, or half-closes the socket):
 * a node that computes a wrong Content-Length should fail loudly, not hang.
 */
function readBody(req, { maxBytes = MAX_BODY_BYTES, idleMs = 2000 } = {}) {
	return new Promise((resolve, reject) => {
		const declared =
			req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : null;
		if (declared !== null && declared > maxBytes) {
			reject(new HttpError(413, `body of ${declared} bytes is over the ${maxBytes}-byte limit`));
			return;
		}
		const chunks = [];
		let received = 0;
		let done = false;
		let timer = null;
		const finish = (err, value) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			req.removeListener('data', onData);
			if (err) reject(err);
			else resolve(value);
		};
		const mismatch = () =>
			new HttpError(
				400,
				`Content-Length mismatch: declared ${declared}, received ${received} bytes`,
			);
		const arm = () => {
			clearTimeout(timer);
			timer = setTimeout(
				() => finish(declared !== null ? mismatch() : new HttpError(408, 'request body timed out')),
				idleMs,
			);
		};
		const onData = (chunk) => {
			received += chunk.length;
			if (received > maxBytes) {
				finish(new HttpError(413, `body is over the ${maxBytes}-byte limit`));
				return;
			}
			chunks.push(chunk);
			arm();
		};
		req.on('data', onData);
		req.on('end', () => finish(null, Buffer.concat(chunks, received)));
		req.on('aborted', () => finish(mismatch()));
		req.on('sandbox:body-error', () => finish(mismatch())); // see server.js onClientError
		req.on('error', (err) =>
			finish(
				declared !== null && received < declared ? mismatch() : new HttpError(400, err.message),
			),
		);
		arm();
	});
}

/** Writes a JSON answer. body === undefined sends an empty body with a JSON content type. */
function sendJson(res, status, body, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	const payload = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(payload),
		...headers,
	});
	res.end(payload);
}

function sendBuffer(res, status, buffer, contentType, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, {
		'Content-Type': contentType,
		'Content-Length': buffer.length,
		...headers,
	});
	res.end(buffer);
}

function mediaType(req) {
	return parseHeaderValue(req.headers['content-type'] || '').type;
}

/**
 * Decodes a form-ish body into { kind, values: {name: string}, multipart? } where kind is
 * 'multipart' | 'urlencoded' | 'json' | 'empty'. Used by token endpoints, which accept all three.
 * Throws HttpError 400 for bodies that do not parse, 415 for other media types.
 */
function decodeFormLike(req, body) {
	const type = mediaType(req);
	if (body.length === 0 && !type) return { kind: 'empty', values: {} };
	if (type === 'multipart/form-data') {
		const multipart = parseMultipart(body, req.headers['content-type'], {
			contentLength: req.headers['content-length'],
		});
		const values = {};
		for (const f of multipart.fields) values[f.name] = f.value;
		return { kind: 'multipart', values, multipart };
	}
	if (type === 'application/x-www-form-urlencoded') {
		return {
			kind: 'urlencoded',
			values: Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
		};
	}
	if (type === 'application/json') {
		const parsed = parseJson(body);
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
			throw new HttpError(400, 'JSON body is not an object');
		const values = {};
		for (const [k, v] of Object.entries(parsed))
			values[k] =
				v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
		return { kind: 'json', values, json: parsed };
	}
	throw new HttpError(
		415,
		`Unsupported media type "${req.headers['content-type'] || ''}" in request.`,
	);
}

function parseJson(body) {
	try {
		return JSON.parse(body.toString('utf8'));
	} catch (err) {
		throw new HttpError(400, `JSON parse error - ${err.message}`);
	}
}

/** The token of an `Authorization: Bearer <token>` header; '' when absent, null when malformed. */
function bearerOf(req) {
	const header = req.headers.authorization;
	if (header === undefined) return '';
	const m = /^Bearer ([^\s]+)$/.exec(header);
	return m ? m[1] : null;
}

/**
 * Python-style boolean text fields ("True" is what requests sends for data={'x': True}).
 * Returns true/false, or undefined when the text is neither.
 */
function parseBool(text, { truthy = ['True', 'true'], falsy = ['False', 'false'] } = {}) {
	if (truthy.includes(text)) return true;
	if (falsy.includes(text)) return false;
	return undefined;
}

module.exports = {
	MAX_BODY_BYTES,
	HttpError,
	MultipartError,
	readBody,
	sendJson,
	sendBuffer,
	mediaType,
	decodeFormLike,
	parseJson,
	bearerOf,
	parseBool,
};
