#!/usr/bin/env node
'use strict';
/**
 * The local "vendor sandbox": Apptenticate, LINK Mobility KYC and Progeny on one HTTP server,
 * by path prefix (/apptenticate, /link, /progeny), plus a control API under /__sandbox for tests.
 * Node built-ins only. See README "Vendor sandbox" for the routes, markers and options.
 *
 *   const { startSandbox } = require('./test/sandbox/server');
 *   const sb = await startSandbox({ port: 0, quiet: true });  // sb.url, sb.close(), ...
 *
 *   node test/sandbox/server.js --port 8790 [--host 127.0.0.1] [--token-lifetime 300]
 *        [--callback-delay 1500] [--task-pending 2000] [--link-default-callback URL] [--quiet]
 */
const http = require('http');
const { TokenStore, Faults, Counters, Timers } = require('./state');
const {
	readBody,
	sendJson,
	sendBuffer,
	mediaType,
	decodeFormLike,
	parseJson,
	bearerOf,
	HttpError,
	MultipartError,
	MAX_BODY_BYTES,
} = require('./http-util');
const { parseMultipart } = require('./multipart');
const createApptenticate = require('./apptenticate');
const createLink = require('./link');
const createProgeny = require('./progeny');

const DEFAULT_LIFETIMES = { apptenticate: 300, link: 3600, progeny: 300 };
const VENDORS = ['apptenticate', 'link', 'progeny'];

/** tokenLifetimeSeconds: one number for all vendors, or { vendor: seconds } over the defaults. */
function lifetimesFrom(value, into = { ...DEFAULT_LIFETIMES }) {
	if (typeof value === 'number') for (const v of VENDORS) into[v] = value;
	else if (value && typeof value === 'object')
		for (const v of VENDORS) if (typeof value[v] === 'number') into[v] = value[v];
	return into;
}

function resolveOptions(options = {}) {
	return {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		tokenLifetimes: lifetimesFrom(options.tokenLifetimeSeconds),
		callbackDelayMs: options.callbackDelayMs ?? 1500,
		taskPendingMs: options.taskPendingMs ?? 2000,
		linkDefaultCallbackUrl: options.linkDefaultCallbackUrl ?? '',
		quiet: options.quiet ?? false,
		bodyIdleMs: options.bodyIdleMs ?? 2000,
		maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
	};
}

/** Exact string path or RegExp; returns the match array (or [path]) or null. */
function matchPath(pattern, path) {
	if (typeof pattern === 'string') return pattern === path ? [path] : null;
	return pattern.exec(path);
}

/** startSandbox(options) -> Promise<Sandbox> */
function startSandbox(userOptions = {}) {
	const options = resolveOptions(userOptions);
	const tokens = new TokenStore(options.tokenLifetimes);
	const faults = new Faults();
	const counters = new Counters(VENDORS);
	const timers = new Timers();
	const requests = []; // the request log; cleared in place so references stay valid
	const callbacks = [];
	let baseUrl = '';
	let transactionId = 5000;
	let generation = 0; // bumped by reset(): work started before a reset must not log after it

	const log = (line) => {
		if (!options.quiet) process.stdout.write(`[kyc-sandbox] ${line}\n`);
	};

	const shared = {
		options,
		tokens,
		timers,
		url: () => baseUrl,
		nextTransactionId: () => ++transactionId,
		generation: () => generation,
		recordCallback(record, startedIn = generation) {
			if (startedIn !== generation) return;
			callbacks.push(record);
			counters.bump(`link.callback.${record.service}`);
			const { body, ...rest } = record;
			requests.push({
				...rest,
				t: record.t,
				vendor: 'link',
				kind: 'callback',
				method: 'POST',
				path: record.url,
				route: `callback.${record.service}`,
				fields: Object.keys(body),
				files: [],
				auth: 'missing',
			});
			log(
				`callback ${record.service} -> ${record.url || '(none)'}: ${record.status ?? record.error}`,
			);
		},
	};
	const vendors = [createApptenticate(shared), createLink(shared), createProgeny(shared)];

	// ------------------------------------------------------------------ per-request context

	function makeContext(req, res, url, vendor, entry, body) {
		let multipart;
		return {
			req,
			res,
			url,
			query: url.searchParams,
			body,
			entry,
			auth: entry.auth,
			mediaType: () => mediaType(req),
			/** The parsed multipart body (parsed once; a malformed body throws MultipartError). */
			multipart() {
				if (!multipart) {
					try {
						multipart = {
							value: parseMultipart(body, req.headers['content-type'], {
								contentLength: req.headers['content-length'],
							}),
						};
					} catch (err) {
						multipart = { error: err };
					}
				}
				if (multipart.error) throw multipart.error;
				return multipart.value;
			},
			form: () => decodeFormLike(req, body),
			jsonBody: () => parseJson(body),
			note(key, value) {
				if (value !== undefined) entry[key] = value;
			},
			noteFiles(files) {
				entry.files.push(...files);
			},
			json(status, payload, headers) {
				// error answers carry no personal data worth hiding, and help when a test fails
				if (status >= 400 && payload !== undefined) entry.response = payload;
				sendJson(res, status, payload, headers);
			},
			sendBuffer: (status, buffer, type, headers) => sendBuffer(res, status, buffer, type, headers),
		};
	}

	/** Field and file names for the log, whatever the body (never values, never image bytes). */
	function describeBody(ctx) {
		const type = ctx.mediaType();
		try {
			if (type === 'multipart/form-data') {
				for (const part of ctx.multipart().parts) {
					if (part.filename === null) ctx.entry.fields.push(part.name);
					else
						ctx.entry.files.push({
							name: part.name,
							filename: part.filename,
							contentType: part.contentType,
							size: part.data.length,
						});
				}
			} else if (type === 'application/json' && ctx.body.length) {
				const parsed = JSON.parse(ctx.body.toString('utf8'));
				if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
					ctx.entry.fields.push(...Object.keys(parsed));
			} else if (type === 'application/x-www-form-urlencoded') {
				ctx.entry.fields.push(...new URLSearchParams(ctx.body.toString('utf8')).keys());
			}
		} catch (err) {
			ctx.entry.bodyError = err.message; // the handler meets the same error and answers it
		}
	}

	// ------------------------------------------------------------------ vendor requests

	async function handleVendor(req, res, url, vendor) {
		const subpath = url.pathname.slice(vendor.prefix.length) || '/';
		const matching = vendor.routes
			.map((r) => ({ route: r, match: matchPath(r.path, subpath) }))
			.filter((m) => m.match);
		const hit = matching.find((m) => m.route.method === req.method);
		const route = hit ? hit.route : null;
		const entry = {
			t: Date.now(),
			vendor: vendor.name,
			method: req.method,
			path: url.pathname,
			route: route ? route.name : null,
			status: null,
			fields: [],
			files: [],
			auth: tokens.check(vendor.name, bearerOf(req)),
		};
		if (url.search) entry.query = url.search;
		requests.push(entry);
		counters.bump(`${vendor.name}.${route ? route.name : 'unmatched'}`);
		const service = Boolean(route) && route.service !== false;
		if (service) counters.enter(vendor.name);
		trackCompletion(req, res, url, entry, () => service && counters.leave(vendor.name));

		let body;
		try {
			body = await readBody(req, { maxBytes: options.maxBodyBytes, idleMs: options.bodyIdleMs });
		} catch (err) {
			entry.error = err.message;
			res.setHeader('Connection', 'close'); // the rest of a bad body must not be read as a request
			sendJson(res, err.status || 400, vendor.errorBody(err));
			return;
		}
		const ctx = makeContext(req, res, url, vendor, entry, body);
		describeBody(ctx);

		const fault = faults.take(req.method, url.pathname);
		if (fault) {
			entry.fault = fault.kind;
			if (fault.kind === 'drop') {
				req.socket.destroy();
				return;
			}
			if (fault.kind === 'latency') holdAnswer(res, entry.t + fault.ms);
			else if (fault.kind === 'redirect') {
				// `location` as given: absolute (another port, another host) or a path on the sandbox
				entry.location = fault.location;
				res.writeHead(fault.status, { Location: fault.location, 'Content-Length': '0' });
				res.end();
				return;
			} else {
				const headers = fault.kind === '429' ? { 'Retry-After': String(fault.retryAfter) } : {};
				sendJson(res, Number(fault.kind), vendor.faultBody(fault.kind, fault), headers);
				return;
			}
		}

		if (!route) {
			const status = matching.length ? 405 : 404;
			const message = status === 405 ? `Method "${req.method}" not allowed.` : 'Not found.';
			const hint = routeHint(vendor, subpath);
			entry.error = `${message}${hint ? ` ${hint}` : ''}`;
			ctx.json(status, { detail: message, ...(hint ? { sandbox: hint } : {}) });
			return;
		}
		if (route.auth && entry.auth !== 'valid') {
			vendor.unauthorized(ctx);
			return;
		}
		try {
			await route.handler(ctx, hit.match);
		} catch (err) {
			if (err instanceof HttpError || err instanceof MultipartError) {
				entry.error = err.message;
				ctx.json(err.status, vendor.errorBody(err));
				return;
			}
			entry.error = err.stack;
			log(`handler error: ${err.stack}`);
			sendJson(res, 500, { detail: 'sandbox internal error', error: err.message });
		}
	}

	/**
	 * Settles a request's log entry and in-flight slot the moment its answer is written (res.end),
	 * not on 'close', which comes later: otherwise a client making strictly sequential calls
	 * could start the next one first, and maxInFlight would claim a parallelism that never was.
	 * 'close' still settles requests that end without an answer (drop fault, client gone).
	 */
	function trackCompletion(req, res, url, entry, leave) {
		let settled = false;
		const settle = () => {
			if (settled) return;
			settled = true;
			leave();
			entry.status = res.headersSent ? res.statusCode : null;
			entry.durationMs = Date.now() - entry.t;
			log(
				`${req.method} ${url.pathname}${url.search} -> ${entry.status ?? 'no answer'} (${entry.durationMs} ms)`,
			);
		};
		const end = res.end;
		res.end = function endAndSettle(...args) {
			const result = end.apply(this, args);
			settle();
			return result;
		};
		res.on('close', settle);
	}

	/**
	 * A latency fault: the call is handled at once and its answer sent `until` (epoch ms), so that
	 * the vendor's whole time for the call, from its arrival to its answer, is the fault's `ms`
	 * (reading, parsing and handling the body are part of it, as at a real vendor).
	 */
	function holdAnswer(res, until) {
		const end = res.end;
		res.end = function endLater(...args) {
			const wait = until - Date.now();
			if (wait <= 0) return end.apply(this, args);
			timers.later(wait, () => end.apply(this, args));
			return this;
		};
	}

	/** "did you mean ...?" for a path that is one trailing slash away from a route. */
	function routeHint(vendor, subpath) {
		const alt = subpath.endsWith('/') ? subpath.slice(0, -1) : `${subpath}/`;
		const near = vendor.routes.find((r) => typeof r.path === 'string' && r.path === alt);
		return near ? `no route ${subpath} (did you mean ${vendor.prefix}${alt}?)` : '';
	}

	// ------------------------------------------------------------------ control API

	function expireTokens(kind) {
		return tokens.expireAll(kind);
	}

	function reset() {
		generation++;
		requests.length = 0;
		callbacks.length = 0;
		counters.clear();
		tokens.clear();
		faults.clear();
		timers.clear();
		for (const v of vendors) v.reset();
	}

	/** Options that may change while running (POST /__sandbox/config). */
	function configure(patch = {}) {
		if (patch.tokenLifetimeSeconds !== undefined)
			lifetimesFrom(patch.tokenLifetimeSeconds, options.tokenLifetimes);
		for (const key of ['callbackDelayMs', 'taskPendingMs', 'callbackAttempts'])
			if (typeof patch[key] === 'number') options[key] = patch[key];
		if (typeof patch.linkDefaultCallbackUrl === 'string')
			options.linkDefaultCallbackUrl = patch.linkDefaultCallbackUrl;
		return currentConfig();
	}

	const currentConfig = () => ({
		tokenLifetimeSeconds: { ...options.tokenLifetimes },
		callbackDelayMs: options.callbackDelayMs,
		callbackAttempts: options.callbackAttempts ?? 1,
		taskPendingMs: options.taskPendingMs,
		linkDefaultCallbackUrl: options.linkDefaultCallbackUrl,
	});

	async function handleControl(req, res, url) {
		let body;
		try {
			body = await readBody(req, { maxBytes: 1024 * 1024, idleMs: options.bodyIdleMs });
		} catch (err) {
			return sendJson(res, err.status || 400, { error: err.message });
		}
		const json = () => (body.length ? JSON.parse(body.toString('utf8')) : {});
		const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
		try {
			switch (route) {
				case 'GET /__sandbox/health':
					return sendJson(res, 200, { status: 'ok', url: baseUrl });
				case 'GET /__sandbox/log': {
					const vendor = url.searchParams.get('vendor');
					return sendJson(
						res,
						200,
						vendor ? requests.filter((r) => r.vendor === vendor) : requests,
					);
				}
				case 'GET /__sandbox/counters':
					return sendJson(res, 200, counters.snapshot());
				case 'GET /__sandbox/callbacks':
					return sendJson(res, 200, callbacks);
				case 'POST /__sandbox/reset':
					reset();
					return sendJson(res, 200, { reset: true });
				case 'POST /__sandbox/expire-tokens': {
					const { kind } = json();
					return sendJson(res, 200, { expired: expireTokens(kind) });
				}
				case 'GET /__sandbox/faults':
					return sendJson(res, 200, faults.list());
				case 'DELETE /__sandbox/faults':
					faults.clear();
					return sendJson(res, 200, []);
				case 'POST /__sandbox/faults': {
					const spec = json();
					const added = Array.isArray(spec) ? spec.map((f) => faults.add(f)) : faults.add(spec);
					return sendJson(res, 201, added);
				}
				case 'GET /__sandbox/config':
					return sendJson(res, 200, currentConfig());
				case 'POST /__sandbox/config':
					return sendJson(res, 200, configure(json()));
				default:
					return sendJson(res, 404, { error: `no control route ${route}` });
			}
		} catch (err) {
			return sendJson(res, 400, { error: err.message });
		}
	}

	// ------------------------------------------------------------------ server

	async function handle(req, res) {
		const url = new URL(req.url, 'http://sandbox.invalid');
		try {
			if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/'))
				return await handleControl(req, res, url);
			const vendor = vendors.find(
				(v) => url.pathname === v.prefix || url.pathname.startsWith(`${v.prefix}/`),
			);
			if (vendor) return await handleVendor(req, res, url, vendor);
			req.resume();
			return sendJson(res, 404, {
				detail: 'Not found.',
				sandbox: `no vendor at ${url.pathname}; use /apptenticate, /link, /progeny or /__sandbox`,
			});
		} catch (err) {
			log(`unexpected error: ${err.stack}`);
			if (!res.headersSent)
				sendJson(res, 500, { detail: 'sandbox internal error', error: err.message });
			else res.destroy();
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res);
	});
	server.on('clientError', onClientError);

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.removeListener('error', reject);
			const { port } = server.address();
			const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
			baseUrl = `http://${shownHost}:${port}`;
			let closing = null;
			resolve({
				url: baseUrl,
				port,
				host: options.host,
				requests,
				callbacks,
				counters: () => counters.snapshot(),
				setFault: (spec) => faults.add(spec),
				clearFaults: () => faults.clear(),
				expireTokens,
				configure,
				reset,
				close() {
					if (!closing) {
						closing = new Promise((done) => {
							timers.clear();
							server.close(() => done());
							server.closeAllConnections();
						});
					}
					return closing;
				},
			});
		});
	});
}

/**
 * Node's HTTP parser failed on this connection: a half-closed socket before Content-Length
 * bytes arrived, or bytes past Content-Length that do not parse as a next request. Node's own
 * answer is a bare 400 that would overwrite ours: instead let the request in progress answer
 * (readBody rejects at once on 'sandbox:body-error'), then close the connection.
 */
function onClientError(err, socket) {
	const pending = socket._httpMessage; // the ServerResponse in progress, if any (stable since Node 0.x)
	if (pending && !pending.writableEnded) {
		pending.shouldKeepAlive = false;
		pending.once('finish', () => socket.destroy());
		pending.once('close', () => socket.destroy());
		if (pending.req && !pending.req.complete) pending.req.emit('sandbox:body-error', err);
		return;
	}
	if (socket.writable && socket.bytesWritten === 0) {
		const body = JSON.stringify({ detail: `Bad request (${err.code || err.message})` });
		socket.end(
			`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
		);
		return;
	}
	socket.destroy();
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
	const opts = {};
	const numberFlags = {
		'--port': 'port',
		'--token-lifetime': 'tokenLifetimeSeconds',
		'--callback-delay': 'callbackDelayMs',
		'--task-pending': 'taskPendingMs',
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (numberFlags[flag]) {
			const n = Number(value());
			if (!Number.isFinite(n)) throw new Error(`${flag} needs a number`);
			opts[numberFlags[flag]] = n;
		} else if (flag === '--host') opts.host = value();
		else if (flag === '--link-default-callback') opts.linkDefaultCallbackUrl = value();
		else if (flag === '--quiet') opts.quiet = true;
		else throw new Error(`unknown option ${flag}`);
	}
	return opts;
}

if (require.main === module) {
	let opts;
	try {
		opts = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`${err.message}\n`);
		process.exit(2);
	}
	startSandbox({ port: 8790, ...opts }).then(
		(sandbox) => {
			process.stdout.write(`KYC vendor sandbox listening on ${sandbox.url}\n`);
			const stop = () => sandbox.close().then(() => process.exit(0));
			process.once('SIGINT', stop);
			process.once('SIGTERM', stop);
		},
		(err) => {
			process.stderr.write(`KYC vendor sandbox could not start: ${err.message}\n`);
			process.exit(1);
		},
	);
}

module.exports = { startSandbox, DEFAULT_LIFETIMES };
