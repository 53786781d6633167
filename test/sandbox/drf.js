'use strict';
/**
 * Apptenticate and Progeny are both Django REST Framework services with simplejwt tokens, so
 * their token endpoints and their generic errors answer alike. This module holds that part once.
 */
const { HttpError, MultipartError } = require('./http-util');

const USERNAME = 'sandbox';
const PASSWORD = 'sandbox';

/** DRF's per-field validation body: { field: ["This field is required."] }. */
function requiredFieldErrors(values, names) {
	const errors = {};
	for (const name of names) {
		if (values[name] === undefined) errors[name] = ['This field is required.'];
		else if (values[name] === '') errors[name] = ['This field may not be blank.'];
	}
	return Object.keys(errors).length ? errors : null;
}

/**
 * Route definitions for `obtainPath` (username + password -> refresh + access) and
 * `refreshPath` (refresh -> access [+ a rotated refresh when rotateRefresh]).
 */
function tokenRoutes({ vendor, obtainPath, refreshPath, rotateRefresh, tokens }) {
	const obtain = (ctx) => {
		const { values } = ctx.form();
		const missing = requiredFieldErrors(values, ['username', 'password']);
		if (missing) return ctx.json(400, missing);
		if (values.username !== USERNAME || values.password !== PASSWORD) {
			return ctx.json(401, { detail: 'No active account found with the given credentials' });
		}
		return ctx.json(200, {
			refresh: tokens.issue(vendor, 'refresh').token,
			access: tokens.issue(vendor, 'access').token,
		});
	};

	const refresh = (ctx) => {
		const { values } = ctx.form();
		const missing = requiredFieldErrors(values, ['refresh']);
		if (missing) return ctx.json(400, missing);
		const state = tokens.check(vendor, values.refresh, 'refresh');
		ctx.note('refreshToken', state);
		if (state !== 'valid')
			return ctx.json(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' });
		const answer = { access: tokens.issue(vendor, 'access').token };
		if (rotateRefresh) answer.refresh = tokens.issue(vendor, 'refresh').token;
		return ctx.json(200, answer);
	};

	return [
		{ method: 'POST', path: obtainPath, name: 'token', service: false, handler: obtain },
		{ method: 'POST', path: refreshPath, name: 'tokenRefresh', service: false, handler: refresh },
	];
}

/** DRF's answers for a missing / bad bearer token (invalidBody differs per vendor). */
function unauthorized(ctx, invalidBody) {
	const headers = { 'WWW-Authenticate': 'Bearer realm="api"' };
	if (ctx.auth === 'missing')
		return ctx.json(401, { detail: 'Authentication credentials were not provided.' }, headers);
	return ctx.json(401, invalidBody, headers);
}

/** Generic errors (unparsable body, body too large, wrong media type) the way DRF words them. */
function errorBody(err) {
	if (err instanceof MultipartError)
		return { detail: `Multipart form parse error - ${err.message}` };
	return { detail: err.message };
}

/** Bodies of injected faults. */
function faultBody(kind, fault) {
	if (kind === '429')
		return { detail: `Request was throttled. Expected available in ${fault.retryAfter} seconds.` };
	if (kind === '500') return { detail: 'A server error occurred.' };
	return { detail: 'Service temporarily unavailable, try again later.' };
}

/** Reads the request as multipart/form-data or answers 415 like DRF does for other types. */
function requireMultipart(ctx) {
	const type = ctx.mediaType();
	if (type !== 'multipart/form-data') {
		throw new HttpError(
			415,
			`Unsupported media type "${ctx.req.headers['content-type'] || ''}" in request.`,
		);
	}
	return ctx.multipart();
}

module.exports = {
	USERNAME,
	PASSWORD,
	tokenRoutes,
	unauthorized,
	errorBody,
	faultBody,
	requireMultipart,
	requiredFieldErrors,
};
