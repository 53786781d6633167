#!/usr/bin/env node
// Benchmark: a batch of passports through Apptenticate OCR inside real n8n, against the sandbox
// with a fixed latency per OCR call, at several concurrency settings. Reports wall time, token
// requests, the most requests the sandbox saw at once, and the n8n process's peak memory.
// Usage: node test/bench/batch.js [--version 2.41.1] [--items 200] [--latency 200] [--image-kb 300]
const { execFileSync } = require('child_process');
const { SuiteEnv } = require('../e2e/lib/harness');

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const index = args.indexOf(`--${name}`);
	return index === -1 ? fallback : args[index + 1];
};
const version = option('version', '2.41.1');
const items = Number(option('items', 200));
const latencyMs = Number(option('latency', 200));
const imageKb = Number(option('image-kb', 300));
const concurrencies = [1, 5, 10];

function workflow(id, concurrency) {
	const cases = Array.from({ length: items }, (_, i) => ({
		case: i,
		front: `__JPEG(PERSON=${(i % 3) + 1}|${imageKb * 1024})__`,
	}));
	const node = (name, type, typeVersion, parameters, x) => ({
		id: `${id}-${name}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
	});
	return {
		id,
		name: `bench ${id}`,
		active: false,
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
			node('Cases', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ cases }), options: {} }, 200),
			node('Split Cases', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'cases', options: {} }, 400),
			node(
				'Front File',
				'n8n-nodes-base.convertToFile',
				1.1,
				{ operation: 'toBinary', sourceProperty: 'front', binaryPropertyName: 'front', options: { fileName: 'front.jpg', mimeType: 'image/jpeg' } },
				600,
			),
			{
				...node('OCR', 'n8n-nodes-kyc.apptenticateOcr', 1, { documentType: 'passport', frontImageProperty: 'front', options: { concurrency, includeRaw: false } }, 800),
				credentials: { apptenticateApi: { id: 'e2eApptSandbox01', name: 'Apptenticate Sandbox' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Cases', type: 'main', index: 0 }]] },
			Cases: { main: [[{ node: 'Split Cases', type: 'main', index: 0 }]] },
			'Split Cases': { main: [[{ node: 'Front File', type: 'main', index: 0 }]] },
			'Front File': { main: [[{ node: 'OCR', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Peak resident memory of the `n8n execute` processes while `promise` runs. */
async function peakRssMb(promise) {
	let peak = 0;
	const timer = setInterval(() => {
		try {
			const lines = execFileSync('ps', ['-eo', 'rss,args'], { encoding: 'utf8' }).split('\n');
			const rss = lines.filter((line) => line.includes('n8n') && line.includes(' execute')).map((line) => Number(line.trim().split(/\s+/)[0]));
			peak = Math.max(peak, rss.reduce((sum, value) => sum + value, 0));
		} catch {}
	}, 100);
	try {
		return { result: await promise, peakMb: Math.round(peak / 1024) };
	} finally {
		clearInterval(timer);
	}
}

(async () => {
	const env = new SuiteEnv('bench', version, { workflows: [] });
	await env.setup();
	try {
		const { fill } = require('../e2e/lib/fixtures');
		const flows = concurrencies.map((c) => JSON.parse(fill(JSON.stringify(workflow(`bench-c${c}`, c)), env.vars)));
		await env.n8n.importWorkflows(flows);
		const rows = [];
		for (const flow of flows) {
			env.sandbox.reset();
			env.sandbox.setFault({ path: '/api/v3/ocr/', kind: 'latency', ms: latencyMs, times: items * 2 });
			const { result: execution, peakMb } = await peakRssMb(env.n8n.execute(flow.id, { timeoutMs: 600_000 }));
			const counters = env.sandbox.counters();
			const outputs = execution.json('OCR', 0);
			rows.push({
				concurrency: flow.nodes.find((n) => n.name === 'OCR').parameters.options.concurrency,
				ok: execution.ok && outputs.length === items && outputs.every((o) => o.documentNumber),
				seconds: (execution.ms / 1000).toFixed(1),
				tokenRequests: counters['apptenticate.token'] ?? 0,
				maxInFlight: counters.maxInFlight.apptenticate,
				peakRssMb: peakMb,
			});
		}
		console.log(`n8n ${version}: ${items} passports of ${imageKb} KB, ${latencyMs} ms per OCR call at the sandbox`);
		console.table(rows);
	} finally {
		await env.teardown();
	}
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
