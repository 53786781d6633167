'use strict';
/**
 * Preload for n8n (`NODE_OPTIONS=--require …`, set by batch.js under KYC_BENCH_MEMORY_TRACE):
 * process.memoryUsage() every 20 ms to $KYC_MEMORY_TRACE_DIR/<pid>.jsonl, so that the RSS a node
 * adds can be split into V8's heap and the Buffers (ArrayBuffers) held outside it.
 */
const fs = require('fs');
const path = require('path');

const dir = process.env.KYC_MEMORY_TRACE_DIR;
if (dir) {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${process.pid}.jsonl`);
	let lines = [];
	const flush = () => {
		if (lines.length) fs.appendFileSync(file, lines.join(''));
		lines = [];
	};
	const timer = setInterval(() => {
		const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
		lines.push(
			`${JSON.stringify({ t: Date.now(), rss, heapTotal, heapUsed, external, arrayBuffers })}\n`,
		);
		// written in batches: a write per sample would be most of what this process does between them
		if (lines.length >= 50) flush();
	}, 20);
	timer.unref();
	process.on('exit', flush);
}
