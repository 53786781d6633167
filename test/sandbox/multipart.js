'use strict';
/**
 * A strict multipart/form-data parser (RFC 7578). Strict on purpose: the sandbox exists to catch
 * a node that builds a wrong request, so anything a lenient server would shrug off is an error
 * here (no boundary, stray preamble, missing closing delimiter, a part without
 * `Content-Disposition: form-data; name=...`, a body shorter or longer than Content-Length).
 */

class MultipartError extends Error {
	constructor(message) {
		super(message);
		this.name = 'MultipartError';
		this.status = 400;
	}
}

/** Splits `type/subtype; a=1; b="x;y"` into { type, params } (param names lower-cased). */
function parseHeaderValue(value) {
	const params = {};
	const text = String(value || '');
	const semi = text.indexOf(';');
	const type = (semi === -1 ? text : text.slice(0, semi)).trim().toLowerCase();
	const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let m;
	while ((m = re.exec(text)) !== null) {
		const name = m[1].toLowerCase();
		const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
		if (!(name in params)) params[name] = raw;
	}
	return { type, params };
}

/** The boundary of a multipart/form-data Content-Type, or a MultipartError. */
function boundaryOf(contentType) {
	const { type, params } = parseHeaderValue(contentType);
	if (type !== 'multipart/form-data') {
		throw new MultipartError(`Content-Type is "${type || '(none)'}", expected multipart/form-data`);
	}
	const boundary = params.boundary;
	if (!boundary) throw new MultipartError('multipart/form-data without a boundary parameter');
	if (boundary.length > 70 || /[\r\n]/.test(boundary))
		throw new MultipartError('invalid multipart boundary');
	return boundary;
}

function decodeFilenameStar(value) {
	// RFC 5987: charset'lang'percent-encoded
	const m = /^([^']*)'[^']*'(.*)$/.exec(value);
	if (!m) return value;
	try {
		return decodeURIComponent(m[2]);
	} catch {
		return m[2];
	}
}

function parsePartHeaders(block, index) {
	const headers = {};
	for (const line of block.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon <= 0)
			throw new MultipartError(`part ${index}: malformed header line "${line.slice(0, 60)}"`);
		headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const disposition = headers['content-disposition'];
	if (!disposition) throw new MultipartError(`part ${index}: no Content-Disposition header`);
	const { type, params } = parseHeaderValue(disposition);
	if (type !== 'form-data')
		throw new MultipartError(`part ${index}: Content-Disposition is "${type}", expected form-data`);
	if (params.name === undefined || params.name === '')
		throw new MultipartError(`part ${index}: Content-Disposition has no name`);
	let filename = null;
	if (params['filename*'] !== undefined) filename = decodeFilenameStar(params['filename*']);
	else if (params.filename !== undefined) filename = params.filename;
	return {
		name: params.name,
		filename,
		contentType: headers['content-type'] || null,
		headers,
	};
}

/**
 * parseMultipart(body: Buffer, contentType: string, { contentLength? }) ->
 *   { parts: [{ name, filename|null, contentType|null, data: Buffer, headers }],
 *     fields: [{ name, value }], files: [parts that had a filename] }
 * Throws MultipartError (status 400) for anything malformed.
 */
function parseMultipart(body, contentType, options = {}) {
	if (!Buffer.isBuffer(body)) throw new TypeError('parseMultipart: body must be a Buffer');
	const boundary = boundaryOf(contentType);
	if (options.contentLength !== undefined && options.contentLength !== null) {
		const declared = Number(options.contentLength);
		if (!Number.isInteger(declared) || declared !== body.length) {
			throw new MultipartError(
				`Content-Length mismatch: declared ${options.contentLength}, received ${body.length} bytes`,
			);
		}
	}
	const opening = Buffer.from(`--${boundary}`, 'latin1');
	const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
	if (body.length === 0) throw new MultipartError('empty multipart body');
	if (!body.subarray(0, opening.length).equals(opening)) {
		throw new MultipartError('multipart body does not start with the boundary delimiter');
	}

	const parts = [];
	let pos = opening.length;
	for (;;) {
		// After a delimiter comes either "--" (the close delimiter) or CRLF and a new part.
		const after = body.subarray(pos, pos + 2).toString('latin1');
		if (after === '--') {
			const rest = body.subarray(pos + 2).toString('latin1');
			if (rest !== '' && rest !== '\r\n')
				throw new MultipartError('unexpected data after the closing boundary');
			break;
		}
		if (after !== '\r\n') throw new MultipartError('malformed boundary line');
		pos += 2;
		const headerEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
		if (headerEnd === -1) throw new MultipartError(`part ${parts.length}: headers not terminated`);
		const next = body.indexOf(delimiter, headerEnd + 4);
		if (next === -1) throw new MultipartError('missing closing boundary (body truncated?)');
		// headers are ASCII by the RFC; UTF-8 names/filenames are common in practice
		const part = parsePartHeaders(body.toString('utf8', pos, headerEnd), parts.length);
		part.data = body.subarray(headerEnd + 4, next);
		parts.push(part);
		pos = next + delimiter.length;
	}
	if (parts.length === 0) throw new MultipartError('multipart body has no parts');
	const fields = parts
		.filter((p) => p.filename === null)
		.map((p) => ({ name: p.name, value: p.data.toString('utf8') }));
	const files = parts.filter((p) => p.filename !== null);
	return { parts, fields, files };
}

module.exports = { parseMultipart, boundaryOf, parseHeaderValue, MultipartError };
