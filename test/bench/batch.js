#!/usr/bin/env node
'use strict';
/**
 * Benchmark (not a test): batches through the package's nodes inside real n8n against the
 * sandbox, which holds every vendor call L ms, at Concurrency 1, 5 and 10; for Apptenticate OCR
 * also the same calls made by n8n's HTTP Request node at the same number of requests in flight
 * (Loop Over Items with batch size C), interleaved, median of the repetitions.
 *
 *   node test/bench/batch.js [--version 2.41.1] [--items 200] [--latency 100] [--image-kb 100]
 *                            [--repeat 3] [--nodes ocr,link,progeny] [--task-ms 3000] [--quick]
 *   node test/bench/batch.js --memory [--image-kb 2048]     peak RSS at N = 50 and 200
 *
 * Times are the node's own, from n8n's run data (start of its first run to the end of its
 * last), not `n8n execute`'s wall time with its start-up. CPU is the n8n process's user+system
 * time (/proc/<pid>/stat) minus a run with no items, per item.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const { SuiteEnv } = require('../e2e/lib/harness');
const { fill } = require('../e2e/lib/fixtures');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
	const index = args.indexOf(`--${name}`);
	return index === -1 ? fallback : args[index + 1];
};
const quick = flag('quick');
const version = option('version', '2.41.1');
const N = Number(option('items', quick ? 20 : 200));
const L = Number(option('latency', 100));
const imageKb = Number(option('image-kb', flag('memory') ? 2048 : 100));
const repeat = Number(option('repeat', quick ? 1 : 3));
const taskMs = Number(option('task-ms', 3000));
const nodes = option('nodes', 'ocr,link,progeny').split(',');
const CONCURRENCIES = [1, 5, 10];
const POLL_INTERVAL_S = 0.5;

const CREDENTIALS = {
	ocr: { apptenticateApi: { id: 'e2eApptSandbox01', name: 'Apptenticate Sandbox' } },
	link: { linkMobilityKycApi: { id: 'e2eLinkSandbox01', name: 'LINK Mobility Sandbox' } },
	progeny: { progenyApi: { id: 'e2eProgenySbx001', name: 'Progeny Sandbox' } },
};
const VENDOR_PATHS = { ocr: '/apptenticate/api/v3/ocr/', link: '/link/identity/verify', progeny: '/progeny/api/v3/services/' };
const TOKEN_COUNTERS = { ocr: 'apptenticate.token', link: 'link.token', progeny: 'progeny.token' };
const VENDOR = { ocr: 'apptenticate', link: 'link', progeny: 'progeny' };

const node = (name, type, typeVersion, parameters, x, extra = {}) => ({ id: `${name}-${x}`, name, type, typeVersion, position: [x, 0], parameters, ...extra });

/** Manual trigger → N cases → one JPEG each in binary property `front`. */
function imageNodes(count) {
	const cases = Array.from({ length: count }, (_, i) => ({ case: i, front: `__JPEG(PERSON=${(i % 3) + 1}|${imageKb * 1024})__` }));
	return [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
		node('Cases', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ cases }), options: {} }, 200),
		node('Split Cases', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'cases', options: {} }, 400),
		node('Images', 'n8n-nodes-base.convertToFile', 1.1, {
			operation: 'toBinary',
			sourceProperty: 'front',
			binaryPropertyName: 'front',
			options: { fileName: 'front.jpg', mimeType: 'image/jpeg' },
		}, 600),
	];
}
const chain = (...names) =>
	Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));

function packageWorkflow(id, kind, concurrency, count = N) {
	const parameters = {
		ocr: { documentType: 'passport', frontImageProperty: 'front', options: { concurrency, includeRaw: false } },
		link: { operation: 'verify', frontImageProperty: 'front', expeditorCountry: 'ES', options: { concurrency, includeRaw: false } },
		progeny: {
			operation: 'extractPassport',
			passportImageProperty: 'front',
			options: { concurrency, includeRaw: false, firstDelaySeconds: POLL_INTERVAL_S, pollIntervalSeconds: POLL_INTERVAL_S, timeoutSeconds: 120 },
		},
	}[kind];
	const type = { ocr: 'apptenticateOcr', link: 'linkVerify', progeny: 'progenyPassportOcr' }[kind];
	return {
		id,
		name: `bench ${id}`,
		active: false,
		nodes: [...imageNodes(count), node('KYC', `n8n-nodes-kyc.${type}`, 1, parameters, 800, { credentials: CREDENTIALS[kind] })],
		connections: chain('Start', 'Cases', 'Split Cases', 'Images', 'KYC'),
		settings: { executionOrder: 'v1' },
	};
}

/** The same OCR calls through HTTP Request: `loop` = Loop Over Items of C, else its Batching option. */
function httpWorkflow(id, concurrency, token, style) {
	const http = node('HTTP', 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: '__SANDBOX_URL__/apptenticate/api/v3/ocr/',
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
		sendBody: true,
		contentType: 'multipart-form-data',
		bodyParameters: {
			parameters: [
				{ parameterType: 'formBinaryData', name: 'frontside', inputDataFieldName: 'front' },
				{ name: 'document_type', value: 'passport' },
				{ name: 'return_id', value: 'True' },
			],
		},
		options: style === 'batching' ? { batching: { batch: { batchSize: concurrency, batchInterval: 0 } } } : {},
	}, 1000);
	if (style === 'batching') {
		return { id, name: `bench ${id}`, active: false, nodes: [...imageNodes(N), http], connections: chain('Start', 'Cases', 'Split Cases', 'Images', 'HTTP'), settings: { executionOrder: 'v1' } };
	}
	const loop = node('Loop', 'n8n-nodes-base.splitInBatches', 3, { batchSize: concurrency, options: {} }, 800);
	return {
		id,
		name: `bench ${id}`,
		active: false,
		nodes: [...imageNodes(N), loop, http],
		connections: {
			...chain('Start', 'Cases', 'Split Cases', 'Images', 'Loop'),
			Loop: { main: [[], [{ node: 'HTTP', type: 'main', index: 0 }]] },
			HTTP: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** From the first run's start to the last run's end of a node, in ms (n8n's run data). */
function nodeMs(execution, name) {
	const runs = execution.nodeRuns(name);
	if (!runs.length) return NaN;
	const start = Math.min(...runs.map((r) => r.startTime));
	const end = Math.max(...runs.map((r) => r.startTime + r.executionTime));
	return end - start;
}

/** Peak RSS (MB) and CPU seconds of the `n8n execute` processes while `promise` runs. */
async function measured(promise) {
	let peak = 0;
	const cpu = new Map();
	const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
	const sample = () => {
		try {
			const lines = execFileSync('ps', ['-eo', 'pid,rss,args'], { encoding: 'utf8' }).split('\n');
			let rss = 0;
			for (const line of lines.filter((l) => l.includes('n8n') && l.includes(' execute'))) {
				const [pid, kb] = line.trim().split(/\s+/);
				rss += Number(kb);
				try {
					const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
					cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / ticks);
				} catch {}
			}
			peak = Math.max(peak, rss);
		} catch {}
	};
	const timer = setInterval(sample, 50);
	try {
		const result = await promise;
		return { result, peakMb: Math.round(peak / 1024), cpuSeconds: [...cpu.values()].reduce((a, b) => a + b, 0) };
	} finally {
		clearInterval(timer);
	}
}

const median = (values) => {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};
const seconds = (ms) => (ms / 1000).toFixed(2);

async function main() {
	const env = new SuiteEnv('bench', version, { workflows: [], sandbox: { taskPendingMs: taskMs } });
	await env.setup();
	try {
		const sandboxUrl = env.sandbox.url;
		env.sandbox.configure({ tokenLifetimeSeconds: 3600 });
		const tokenAnswer = await fetch(`${sandboxUrl}/apptenticate/api/token/`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'username=sandbox&password=sandbox',
		}).then((r) => r.json());
		const flows = {};
		const add = (flow) => (flows[flow.id] = JSON.parse(fill(JSON.stringify(flow), env.vars)));
		for (const kind of nodes) {
			add(packageWorkflow(`bench-${kind}-base`, kind, 5, 0));
			for (const c of CONCURRENCIES) add(packageWorkflow(`bench-${kind}-c${c}`, kind, c));
		}
		if (nodes.includes('ocr')) {
			for (const c of CONCURRENCIES) {
				add(httpWorkflow(`bench-http-loop-c${c}`, c, tokenAnswer.access, 'loop'));
				add(httpWorkflow(`bench-http-batching-c${c}`, c, tokenAnswer.access, 'batching'));
			}
		}
		await env.n8n.importWorkflows(Object.values(flows));

		const run = async (id, kind, { expireMidway = false } = {}) => {
			env.sandbox.reset();
			env.sandbox.configure({ tokenLifetimeSeconds: 3600, taskPendingMs: taskMs });
			if (kind !== 'progeny') env.sandbox.setFault({ path: VENDOR_PATHS[kind], kind: 'latency', ms: L, times: N * 3 });
			const concurrency = Number(/c(\d+)$/.exec(id)?.[1] ?? 5);
			let expiry;
			if (expireMidway) {
				// Half-way through the vendor calls (at the limit's pace), every token stops being valid.
				const halfway = kind === 'progeny' ? taskMs / 2 : (Math.ceil(N / concurrency) * L) / 2;
				expiry = setTimeout(() => env.sandbox.expireTokens(), 4000 + halfway);
			}
			const { result: execution, peakMb, cpuSeconds } = await measured(env.n8n.execute(id, { timeoutMs: 900_000 }));
			clearTimeout(expiry);
			const counters = env.sandbox.counters();
			const outputNode = id.includes('-http-') ? 'HTTP' : 'KYC';
			const runs = execution.nodeRuns(outputNode);
			const items = runs.flatMap((r) => r.data?.main?.[0] ?? []);
			return {
				ok: execution.ok && (id.endsWith('-base') || items.filter((i) => !i.json.error).length === N),
				ms: nodeMs(execution, outputNode),
				tokens: counters[TOKEN_COUNTERS[kind]] ?? 0,
				maxInFlight: counters.maxInFlight?.[VENDOR[kind]] ?? 0,
				peakMb,
				cpuSeconds,
			};
		};

		if (flag('memory')) {
			const rows = [];
			for (const count of [50, 200]) {
				const id = `bench-ocr-mem-${count}`;
				await env.n8n.importWorkflows([JSON.parse(fill(JSON.stringify(packageWorkflow(id, 'ocr', 5, count)), env.vars))]);
				const base = await run(`bench-ocr-base`, 'ocr');
				const r = await run(id, 'ocr');
				rows.push(`| ${count} | ${imageKb} KB | ${base.peakMb} MB | ${r.peakMb} MB | ${r.peakMb - base.peakMb} MB |`);
			}
			console.log(`\nn8n ${version}, Apptenticate OCR, Concurrency 5, images of ${imageKb} KB\n`);
			console.log('| N | Image | Peak RSS, no items | Peak RSS | Extra |\n| --- | --- | --- | --- | --- |');
			console.log(rows.join('\n'));
			return;
		}

		for (const kind of nodes) {
			const base = await run(`bench-${kind}-base`, kind);
			const rows = [];
			for (const c of CONCURRENCIES) {
				const limit = kind === 'progeny' ? (taskMs + POLL_INTERVAL_S * 1000) * 1.1 : Math.ceil(N / c) * L;
				const own = [];
				const http = [];
				let last;
				for (let i = 0; i < repeat; i++) {
					last = await run(`bench-${kind}-c${c}`, kind);
					if (!last.ok) throw new Error(`bench-${kind}-c${c} did not process every item`);
					own.push(last.ms);
					if (kind === 'ocr') http.push((await run(`bench-http-loop-c${c}`, 'ocr')).ms);
				}
				const expiry = await run(`bench-${kind}-c${c}`, kind, { expireMidway: true });
				const batching = kind === 'ocr' ? await run(`bench-http-batching-c${c}`, 'ocr') : undefined;
				const t = median(own);
				const h = median(http);
				rows.push(
					[
						c,
						`${seconds(t)} s`,
						`${seconds(limit)} s`,
						`${Math.round((limit / t) * 100)} %`,
						kind === 'ocr' ? `${seconds(h)} s (${(h / t).toFixed(2)}×)` : 'n/a',
						kind === 'ocr' ? `${seconds(batching.ms)} s, ${batching.maxInFlight} in flight` : 'n/a',
						`${last.tokens}`,
						`${expiry.tokens - 1}${expiry.ok ? '' : ' (items failed)'}`,
						`${Math.round(((last.cpuSeconds - base.cpuSeconds) / N) * 1000 * 10) / 10} ms`,
						`${last.maxInFlight}`,
						`${last.peakMb} MB`,
					].join(' | '),
				);
			}
			const title = { ocr: 'Apptenticate OCR', link: 'LINK Verify', progeny: 'Progeny Passport OCR' }[kind];
			const latency = kind === 'progeny' ? `task time ${taskMs} ms, poll interval ${POLL_INTERVAL_S} s` : `${L} ms per call`;
			console.log(`\n${title}: n8n ${version}, N = ${N} images of ${imageKb} KB, ${latency}, median of ${repeat}\n`);
			console.log(
				'| Concurrency | Node time | Limit | Limit / time | HTTP Request, Loop Over Items of C (time ratio) | HTTP Request Batching option | Logins | Logins per mid-batch expiry | n8n CPU per item | Most in flight | Peak RSS |',
			);
			console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
			console.log(rows.map((r) => `| ${r} |`).join('\n'));
		}
	} finally {
		await env.teardown();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
