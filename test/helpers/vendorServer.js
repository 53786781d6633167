'use strict';
/**
 * A vendor stand-in over real HTTP on 127.0.0.1 for unit tests that need real sockets
 * (time-outs, dropped connections, redirects): routes set by the test, every request counted,
 * the most requests in flight remembered. JavaScript, since n8n's lint refuses `http` in
 * TypeScript files of a community package.
 */
const http = require('http');

class Vendor {
	constructor() {
		this.routes = new Map();
		this.received = [];
		this.inFlight = 0;
		this.maxInFlight = 0;
		this.url = '';
		this.server = http.createServer((req, res) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				const path = (req.url ?? '').split('?')[0];
				this.received.push({
					method: req.method ?? '',
					path,
					authorization: req.headers.authorization,
				});
				this.inFlight++;
				this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
				res.on('close', () => this.inFlight--);
				const handler = this.routes.get(`${req.method} ${path}`);
				if (!handler) return void res.writeHead(404).end();
				handler(req, res, Buffer.concat(chunks));
			});
		});
	}

	async start() {
		await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${this.port}`;
		return this;
	}

	get port() {
		return this.server.address().port;
	}

	count(path) {
		return this.received.filter((r) => r.path === path).length;
	}

	async stop() {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

module.exports = { Vendor };
