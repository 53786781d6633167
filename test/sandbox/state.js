'use strict';
/** In-memory state shared by all vendors: issued tokens, injected faults, counters, timers. */
const crypto = require('crypto');

const REFRESH_LIFETIME_SECONDS = 24 * 3600; // simplejwt's default refresh lifetime

/** Opaque random bearer tokens, remembered with their vendor, kind and expiry. */
class TokenStore {
	constructor(lifetimes) {
		this.lifetimes = lifetimes; // { apptenticate: s, link: s, progeny: s }
		this.tokens = new Map();
	}

	issue(vendor, kind = 'access') {
		const lifetime =
			kind === 'access'
				? this.lifetimes[vendor]
				: Math.max(REFRESH_LIFETIME_SECONDS, this.lifetimes[vendor]);
		const prefix = kind === 'access' ? `sbx-${vendor}` : `sbx-${vendor}-refresh`;
		const token = `${prefix}-${crypto.randomBytes(18).toString('base64url')}`;
		this.tokens.set(token, { vendor, kind, expiresAt: Date.now() + lifetime * 1000 });
		return { token, lifetime };
	}

	/** 'valid' | 'expired' | 'invalid' | 'missing' for a token presented to `vendor`. */
	check(vendor, token, kind = 'access') {
		if (token === '' || token === undefined) return 'missing';
		const known = token === null ? undefined : this.tokens.get(token);
		if (!known || known.vendor !== vendor || known.kind !== kind) return 'invalid';
		return known.expiresAt > Date.now() ? 'valid' : 'expired';
	}

	/** Makes every issued token (or only those of `kind`) expired. Returns how many. */
	expireAll(kind) {
		let n = 0;
		const past = Date.now() - 1;
		for (const t of this.tokens.values()) {
			if (kind && t.kind !== kind) continue;
			t.expiresAt = Math.min(t.expiresAt, past);
			n++;
		}
		return n;
	}

	clear() {
		this.tokens.clear();
	}
}

const FAULT_KINDS = ['latency', '429', '500', '503', 'drop', 'redirect'];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * Injected faults: each matches requests whose path contains `path` (and, if given, whose
 * method equals `method`) and is used up after `times` requests.
 */
class Faults {
	constructor() {
		this.active = [];
		this.seq = 0;
	}

	add(spec) {
		if (!spec || typeof spec !== 'object') throw new Error('fault must be an object');
		const kind = String(spec.kind);
		if (!FAULT_KINDS.includes(kind))
			throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
		const times = spec.times === undefined ? 1 : Number(spec.times);
		if (!Number.isInteger(times) || times < 1)
			throw new Error('fault times must be an integer >= 1');
		const status = spec.status === undefined ? 302 : Number(spec.status);
		if (kind === 'redirect') {
			if (typeof spec.location !== 'string' || spec.location === '')
				throw new Error('a redirect fault needs a "location"');
			if (!REDIRECT_STATUSES.includes(status))
				throw new Error(`a redirect fault's status must be one of ${REDIRECT_STATUSES.join(', ')}`);
		}
		const fault = {
			id: ++this.seq,
			path: spec.path === undefined ? '' : String(spec.path),
			method: spec.method ? String(spec.method).toUpperCase() : undefined,
			kind,
			times,
			remaining: times,
			ms: spec.ms === undefined ? 1000 : Number(spec.ms),
			retryAfter: spec.retryAfter === undefined ? 1 : Number(spec.retryAfter),
			...(kind === 'redirect' ? { status, location: spec.location } : {}),
		};
		this.active.push(fault);
		return { ...fault };
	}

	/** Uses up and returns the first fault matching this request, or null. */
	take(method, path) {
		const fault = this.active.find(
			(f) => path.includes(f.path) && (!f.method || f.method === method),
		);
		if (!fault) return null;
		fault.remaining--;
		if (fault.remaining <= 0) this.active = this.active.filter((f) => f !== fault);
		return fault;
	}

	list() {
		return this.active.map((f) => ({ ...f }));
	}

	clear() {
		this.active = [];
	}
}

/** Named counters plus, per vendor, the highest number of service requests in flight at once. */
class Counters {
	constructor(vendors) {
		this.vendors = vendors;
		this.clear();
	}

	clear() {
		this.counts = {};
		this.inFlight = Object.fromEntries(
			this.vendors.map((v) => [v, this.inFlight ? this.inFlight[v] || 0 : 0]),
		);
		// requests still running across a reset keep counting, so start the maximum from them
		this.maxInFlight = { ...this.inFlight };
	}

	bump(name) {
		this.counts[name] = (this.counts[name] || 0) + 1;
	}

	enter(vendor) {
		this.inFlight[vendor]++;
		if (this.inFlight[vendor] > this.maxInFlight[vendor])
			this.maxInFlight[vendor] = this.inFlight[vendor];
	}

	leave(vendor) {
		this.inFlight[vendor] = Math.max(0, this.inFlight[vendor] - 1);
	}

	snapshot() {
		return { ...this.counts, maxInFlight: { ...this.maxInFlight } };
	}
}

/** setTimeout that reset()/close() can cancel wholesale (LINK callbacks, latency faults). */
class Timers {
	constructor() {
		this.pending = new Set();
	}

	later(ms, fn) {
		const handle = setTimeout(() => {
			this.pending.delete(handle);
			fn();
		}, ms);
		this.pending.add(handle);
		return handle;
	}

	sleep(ms) {
		return new Promise((resolve) => this.later(ms, resolve));
	}

	clear() {
		for (const h of this.pending) clearTimeout(h);
		this.pending.clear();
	}
}

module.exports = { TokenStore, Faults, Counters, Timers, FAULT_KINDS };
