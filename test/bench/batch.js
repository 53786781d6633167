#!/usr/bin/env node
'use strict';
/**
 * Benchmark (not a test): batches through the package's nodes inside real n8n against the
 * sandbox, which holds every vendor call L ms, at Concurrency 1, 5 and 10; also the same calls
 * made by n8n's HTTP Request node at the same number of requests in flight (Loop Over Items with
 * batch size C), interleaved, median of the repetitions.
 * Turnaround is n8n's time from a vendor answer to the next call (see meanTurnaround).
 *
 *   node test/bench/batch.js [--version 2.41.1] [--items 200] [--latency 100] [--image-kb 100]
 *                            [--repeat 3] [--nodes ocr,link,progeny] [--task-ms 3000] [--quick]
 *                            [--concurrency 1,5,10]
 *   node test/bench/batch.js --memory [--image-kb 2048] [--repeat 1] [--warm]
 *        peak RSS at N = 50 and 200 (--items N: N and 4 N), with 2 MB images and with 100 KB ones,
 *        and the RSS the node added while it ran; --warm: after the warm-up branch, as the speed runs
 *   KYC_BENCH_MEMORY_TRACE=DIR node test/bench/batch.js --memory ...   also V8's heap and the
 *        Buffers outside it in n8n every 20 ms (memory-trace.js), and how far each rose in the node's run
 *   KYC_BENCH_CPU_PROF=DIR node test/bench/batch.js ...     only V8 CPU profiles of the package
 *        runs and of their node-disabled baseline, in DIR/<workflow>/ (test/bench/profile-summary.js)
 *
 * Times are the node's own, from n8n's run data (start of its first run to the end of its
 * last), not `n8n execute`'s wall time with its start-up. The timed node runs after a warm-up
 * branch (WARMUP items through a copy of it), as in a long-running n8n. CPU is that of the
 * processes working in this instance's user folder (`n8n execute` and its children, read from
 * /proc) while the timed node ran; peak RSS is theirs over the run, minus the same workflow
 * with the timed node disabled.
 * A mid-batch expiry expires every token once half of the batch's vendor calls were accepted by the
 * sandbox (it runs in this process); logins per expiry are the logins that follow it.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { SuiteEnv } = require('../e2e/lib/harness');
const { killChildrenOnExit } = require('../../tools/n8n/n8n');
const { fill } = require('../e2e/lib/fixtures');
const { makeJpeg } = require('../fixtures/images');

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
const repeat = Number(option('repeat', quick || flag('memory') ? 1 : 3));
const taskMs = Number(option('task-ms', 3000));
const nodes = option('nodes', 'ocr,link,progeny').split(',');
const CONCURRENCIES = option('concurrency', '1,5,10').split(',').map(Number);
const CPU_PROFILE_DIR = process.env.KYC_BENCH_CPU_PROF;
const MEMORY_TRACE_DIR = process.env.KYC_BENCH_MEMORY_TRACE;
let traceCount = 0;
// peak memory must not grow with N: two batch sizes, N and 4 N when --items is given
const MEMORY_COUNTS = args.includes('--items') ? [N, 4 * N] : [50, 200];
// how the extra memory follows Concurrency (the image copies each call in flight holds)
const MEMORY_CONCURRENCIES = args.includes('--concurrency') ? CONCURRENCIES : [1, 5];
const POLL_INTERVAL_S = 0.5;
/**
 * Memory runs also go with images of this size: what running the node costs whatever the image
 * size, so that the rest is what the images cost.
 */
const SMALL_KB = 100;
/** Items of the warm-up branch that runs before the timed node (see warmUp). */
const WARMUP = 10;
const imageFolder = writeImages();

const CREDENTIALS = {
	ocr: { apptenticateApi: { id: 'e2eApptSandbox01', name: 'Apptenticate Sandbox' } },
	link: { linkMobilityKycApi: { id: 'e2eLinkSandbox01', name: 'LINK Mobility Sandbox' } },
	progeny: { progenyApi: { id: 'e2eProgenySbx001', name: 'Progeny Sandbox' } },
};
const VENDOR_PATHS = {
	ocr: '/apptenticate/api/v3/ocr/',
	link: '/link/identity/verify',
	progeny: '/progeny/api/v3/services/',
};
const VENDOR = { ocr: 'apptenticate', link: 'link', progeny: 'progeny' };
/** The nodes also timed through HTTP Request: Loop Over Items of C, and its Batching option. */
const HTTP_KINDS = ['ocr', 'link', 'progeny'];
const BATCHING_KINDS = ['ocr', 'link'];
/** The sandbox's route name of the call made once per item (Progeny: the upload). */
const ITEM_ROUTE = { ocr: 'ocr', link: 'verify', progeny: 'ocrPassport' };

const node = (name, type, typeVersion, parameters, x, extra = {}) => ({
	id: `${name}-${x}`,
	name,
	type,
	typeVersion,
	position: [x, 0],
	parameters,
	...extra,
});

/** Three passport JPEGs of imageKb (sandbox markers PERSON=1..3) in a folder n8n may read. */
function writeImages() {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-bench-images-'));
	for (const person of [1, 2, 3]) {
		fs.writeFileSync(
			path.join(folder, `person${person}.jpg`),
			makeJpeg(`PERSON=${person}`, imageKb * 1024),
		);
		fs.writeFileSync(
			path.join(folder, `person${person}-small.jpg`),
			makeJpeg(`PERSON=${person}`, SMALL_KB * 1024),
		);
	}
	return folder;
}

/**
 * Manual trigger → N cases → one JPEG each in binary property `front`, read from disk: images
 * in the items' JSON would be printed by `n8n execute` in every node's run data (megabytes).
 */
function imageNodes(count, small = false) {
	const cases = Array.from({ length: count }, (_, i) => ({
		case: i,
		file: path.join(imageFolder, `person${(i % 3) + 1}${small ? '-small' : ''}.jpg`),
	}));
	return [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
		node(
			'Cases',
			'n8n-nodes-base.set',
			3.4,
			{ mode: 'raw', jsonOutput: JSON.stringify({ cases }), options: {} },
			200,
		),
		node(
			'Split Cases',
			'n8n-nodes-base.splitOut',
			1,
			{ fieldToSplitOut: 'cases', options: {} },
			400,
		),
		node(
			'Images',
			'n8n-nodes-base.readWriteFile',
			1,
			{
				operation: 'read',
				fileSelector: '={{ $json.file }}',
				options: { dataPropertyName: 'front', mimeType: 'image/jpeg' },
			},
			600,
		),
	];
}
/** A node's connections: for each of its outputs, the nodes it feeds. */
const outputs = (...feeds) => ({
	main: feeds.map((names) => names.map((name) => ({ node: name, type: 'main', index: 0 }))),
});

/** Connections that feed each of `names` into the next. */
const chain = (...names) =>
	Object.fromEntries(names.slice(0, -1).map((name, i) => [name, outputs([names[i + 1]])]));

/** The KYC node of `kind` after N images; `disabled`: the same workflow without its work (the baseline). */
function packageWorkflow(
	id,
	kind,
	concurrency,
	count = N,
	{ disabled = false, warm = true, small = false } = {},
) {
	const parameters = {
		ocr: {
			documentType: 'passport',
			frontImageProperty: 'front',
			options: { concurrency, includeRaw: false },
		},
		link: {
			operation: 'verify',
			frontImageProperty: 'front',
			expeditorCountry: 'ES',
			options: { concurrency, includeRaw: false },
		},
		progeny: {
			operation: 'extractPassport',
			passportImageProperty: 'front',
			options: {
				concurrency,
				includeRaw: false,
				firstDelaySeconds: POLL_INTERVAL_S,
				pollIntervalSeconds: POLL_INTERVAL_S,
				timeoutSeconds: 120,
			},
		},
	}[kind];
	const type = { ocr: 'apptenticateOcr', link: 'linkVerify', progeny: 'progenyPassportOcr' }[kind];
	const kyc = node('KYC', `n8n-nodes-kyc.${type}`, 1, parameters, 800, {
		credentials: CREDENTIALS[kind],
		...(disabled ? { disabled } : {}),
	});
	return withWarmUp(
		{
			id,
			name: `bench ${id}`,
			active: false,
			nodes: [...imageNodes(count, small), kyc],
			connections: chain('Start', 'Cases', 'Split Cases', 'Images', 'KYC'),
			settings: { executionOrder: 'v1' },
		},
		warm ? kyc : null,
	);
}

/**
 * `workflow` with a warm-up branch that n8n runs first (v1 order: above the timed branch):
 * WARMUP items from its `feed` node through a copy of `timed` (none when `timed` is null). The
 * timed node then runs as in a long-running n8n, which has loaded and compiled its code and holds
 * a valid token, not as the first node of a fresh `n8n execute` process. The warm-up's own first
 * calls meet the token the sandbox refuses.
 */
function withWarmUp(workflow, timed, feed = 'Images') {
	if (!timed) return workflow;
	const [x] = timed.position;
	const limit = node('Warm-up Items', 'n8n-nodes-base.limit', 1, { maxItems: WARMUP }, x - 100);
	const copy = { ...timed, id: `${timed.id}-warm`, name: 'Warm-up' };
	delete copy.disabled;
	limit.position = [x - 100, -200];
	copy.position = [x, -200];
	const warmUpFeed = { node: limit.name, type: 'main', index: 0 };
	return {
		...workflow,
		nodes: [...workflow.nodes, limit, copy],
		connections: {
			...workflow.connections,
			[limit.name]: { main: [[{ node: copy.name, type: 'main', index: 0 }]] },
			[feed]: { main: [[warmUpFeed, ...workflow.connections[feed].main[0]]] },
		},
	};
}

/** HTTP Request's own login to the sandbox: username and password as a form, or as LINK's JSON. */
function loginNode(url, { json = false } = {}) {
	const credentials = json
		? { specifyBody: 'json', jsonBody: JSON.stringify({ user: 'sandbox', password: 'sandbox' }) }
		: {
				contentType: 'form-urlencoded',
				bodyParameters: {
					parameters: [
						{ name: 'username', value: 'sandbox' },
						{ name: 'password', value: 'sandbox' },
					],
				},
			};
	return node(
		'Login',
		'n8n-nodes-base.httpRequest',
		4.2,
		{ method: 'POST', url, sendBody: true, ...credentials, options: {} },
		100,
	);
}

/** HTTP Request parameters for the Login node's token (its answer's `field`) as a bearer header. */
const bearerHeader = (field) => ({
	sendHeaders: true,
	headerParameters: {
		parameters: [
			{ name: 'Authorization', value: `=Bearer {{ $('Login').first().json.${field} }}` },
		],
	},
});

/**
 * The calls of `kind` (ocr, link) the way an n8n user makes them with HTTP Request, after one
 * login of its own (node Login, once per execution like the package's): `loop` = Loop Over
 * Items of C, else its Batching option. LINK's JSON body wants the image in base64, which an
 * Extract From File node puts in each item before the loop (not timed).
 * Not the package's credential: n8n 2.41.1 does not send a multipart body again after renewing
 * a stored token that met a 401, so the first call of each run would fail.
 */
function httpWorkflow(id, concurrency, style, { kind = 'ocr', count = N, warm = true } = {}) {
	const login =
		kind === 'ocr'
			? loginNode('__SANDBOX_URL__/apptenticate/api/token/')
			: loginNode('__SANDBOX_URL__/link/auth/token', { json: true });
	const token = kind === 'ocr' ? 'access' : 'token';
	const call =
		kind === 'ocr'
			? {
					url: '__SANDBOX_URL__/apptenticate/api/v3/ocr/',
					contentType: 'multipart-form-data',
					bodyParameters: {
						parameters: [
							{ parameterType: 'formBinaryData', name: 'frontside', inputDataFieldName: 'front' },
							{ name: 'document_type', value: 'passport' },
							{ name: 'return_id', value: 'True' },
						],
					},
				}
			: {
					url: '__SANDBOX_URL__/link/identity/verify',
					specifyBody: 'json',
					jsonBody:
						"={{ JSON.stringify({ id: 'bench-' + $runIndex + '-' + $itemIndex, images: [{ content: $json.front }], expeditorCountry: 'ES', certify: false, certifyCallback: '' }) }}",
				};
	const http = node(
		'HTTP',
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url: call.url,
			...bearerHeader(token),
			sendBody: true,
			...call,
			options:
				style === 'batching'
					? { batching: { batch: { batchSize: concurrency, batchInterval: 0 } } }
					: {},
		},
		1000,
	);
	// the items the HTTP node takes: the images, or for LINK their base64 in `json.front`
	const inputs = [login, ...imageNodes(count)];
	const steps = ['Start', 'Login', 'Cases', 'Split Cases', 'Images'];
	if (kind === 'link') {
		inputs.push(
			node(
				'Base64',
				'n8n-nodes-base.extractFromFile',
				1.1,
				{
					operation: 'binaryToPropery',
					binaryPropertyName: 'front',
					destinationKey: 'front',
					options: {},
				},
				700,
			),
		);
		steps.push('Base64');
	}
	const feed = steps[steps.length - 1];
	if (style === 'batching') {
		return withWarmUp(
			{
				id,
				name: `bench ${id}`,
				active: false,
				nodes: [...inputs, http],
				connections: chain(...steps, 'HTTP'),
				settings: { executionOrder: 'v1' },
			},
			warm ? http : null,
			feed,
		);
	}
	const loop = node(
		'Loop',
		'n8n-nodes-base.splitInBatches',
		3,
		{ batchSize: concurrency, options: {} },
		800,
	);
	return withWarmUp(
		{
			id,
			name: `bench ${id}`,
			active: false,
			nodes: [...inputs, loop, http],
			connections: {
				...chain(...steps, 'Loop'),
				Loop: outputs([], ['HTTP']),
				HTTP: outputs(['Loop']),
			},
			settings: { executionOrder: 'v1' },
		},
		warm ? http : null,
		feed,
	);
}

/** A Filter node that lets through the Progeny tasks whose `status` is one of `statuses`. */
function statusFilter(name, statuses, x) {
	const conditions = statuses.map((status) => ({
		id: status,
		leftValue: '={{ $json.status }}',
		rightValue: status,
		operator: { type: 'string', operation: 'equals' },
	}));
	return node(
		name,
		'n8n-nodes-base.filter',
		2.2,
		{
			conditions: {
				options: { caseSensitive: true, typeValidation: 'strict', version: 2 },
				combinator: 'or',
				conditions,
			},
			options: {},
		},
		x,
	);
}

/**
 * Progeny's calls with HTTP Request as an n8n user who knows the vendor would make them: every
 * upload (Loop Over Items of C), then one wait, then every pending task looked up (Loop Over
 * Items of C, started afresh after each wait) until none is pending. The same calls as the
 * package's, at the same number in flight. Timed from the first upload to the last look-up.
 */
function httpProgenyWorkflow(id, concurrency) {
	const bearer = bearerHeader('access');
	const loop = (name, x, options = {}) =>
		node(name, 'n8n-nodes-base.splitInBatches', 3, { batchSize: concurrency, options }, x);
	const nodes = [
		...imageNodes(N),
		loginNode('__SANDBOX_URL__/progeny/api/v3/accounts/token/obtain/'),
		loop('Uploads', 800),
		node(
			'Upload',
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'POST',
				url: '__SANDBOX_URL__/progeny/api/v3/services/ocr_passport/',
				...bearer,
				sendBody: true,
				contentType: 'multipart-form-data',
				bodyParameters: {
					parameters: [
						{
							parameterType: 'formBinaryData',
							name: 'passport_image',
							inputDataFieldName: 'front',
						},
						{ name: 'extend_data', value: 'false' },
					],
				},
				options: {},
			},
			1000,
		),
		node('Wait', 'n8n-nodes-base.wait', 1.1, { amount: POLL_INTERVAL_S }, 1200),
		// a new round of look-ups after each wait, not the rest of the last one
		loop('Look-ups', 1400, { reset: "={{ $prevNode.name === 'Wait' }}" }),
		node(
			'Look-up',
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'GET',
				url: '=__SANDBOX_URL__/progeny/api/v3/services/task/?id={{ $json.id }}',
				...bearer,
				options: {},
			},
			1600,
		),
		statusFilter('Pending', ['PENDING', 'STARTED'], 1800),
		statusFilter('Done', ['SUCCESS'], 1800),
	];
	return {
		id,
		name: `bench ${id}`,
		active: false,
		nodes,
		connections: {
			...chain('Start', 'Login', 'Cases', 'Split Cases', 'Images', 'Uploads'),
			Uploads: outputs(['Wait'], ['Upload']),
			Upload: outputs(['Uploads']),
			Wait: outputs(['Look-ups']),
			'Look-ups': outputs(['Pending', 'Done'], ['Look-up']),
			'Look-up': outputs(['Look-ups']),
			Pending: outputs(['Wait']),
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The nodes a workflow's time is taken over: [first, last, the node whose items are the output]. */
function timedNodes(id) {
	if (id.includes('-http-progeny-')) return ['Upload', 'Look-up', 'Done'];
	return id.includes('-http-') ? ['HTTP', 'HTTP', 'HTTP'] : ['KYC', 'KYC', 'KYC'];
}

/** [start of the first node's first run, end of the last node's last run], epoch ms (n8n's run data). */
function nodeWindow(execution, first, last = first) {
	const starts = execution.nodeRuns(first).map((r) => r.startTime);
	const ends = execution.nodeRuns(last).map((r) => r.startTime + r.executionTime);
	if (!starts.length || !ends.length) return [NaN, NaN];
	return [Math.min(...starts), Math.max(...ends)];
}

/** From the first node's first run to the last node's last run, in ms. */
function nodeMs(execution, first, last = first) {
	const [start, end] = nodeWindow(execution, first, last);
	return end - start;
}

/** Pids of the processes whose working directory is `folder` (n8n's CLI runs in its user folder). */
function processesIn(folder) {
	const pids = [];
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid)) continue;
		try {
			if (fs.readlinkSync(`/proc/${pid}/cwd`) === folder) pids.push(pid);
		} catch {
			// gone, or not ours
		}
	}
	return pids;
}

const CLOCK_TICKS = 100; // USER_HZ, 100 on Linux whatever the kernel's HZ

/**
 * Peak RSS (MB, the sum of the processes' high-water marks) and CPU seconds (user + system)
 * of the processes working in `folder` while `promise` runs, sampled from /proc every 50 ms;
 * `cpuBetween(start, end)` is their CPU seconds between two instants (epoch ms) of the run, and
 * `rssGrowthBetween(start, end)` their highest RSS then over their RSS just before `start` (MB):
 * what a node added in the same processes, free of the 20-40 MB by which separate runs differ.
 */
async function measured(folder, promise) {
	const seen = new Map(); // pid -> { cpu, hwmKb }
	const timeline = []; // { t, cpu, rssKb }: CPU seconds so far and RSS now, at each sample
	const sample = () => {
		let rssKb = 0;
		for (const pid of processesIn(folder)) {
			try {
				const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
				const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
				const hwm = /VmHWM:\s+(\d+)/.exec(status);
				rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
				const before = seen.get(pid) ?? { cpu: 0, hwmKb: 0 };
				// a process that is exiting has no VmHWM any more: keep what it had
				seen.set(pid, {
					cpu: Math.max(before.cpu, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS),
					hwmKb: Math.max(before.hwmKb, Number(hwm?.[1] ?? 0)),
				});
			} catch {
				// exited between the two reads: its last sample stands
			}
		}
		timeline.push({
			t: Date.now(),
			cpu: [...seen.values()].reduce((sum, v) => sum + v.cpu, 0),
			rssKb,
		});
	};
	/** CPU seconds so far at `t`, interpolated between the samples around it. */
	const cpuAt = (t) => {
		const after = timeline.findIndex((point) => point.t >= t);
		if (after <= 0) return after === 0 ? timeline[0].cpu : timeline[timeline.length - 1].cpu;
		const [a, b] = [timeline[after - 1], timeline[after]];
		return a.cpu + ((b.cpu - a.cpu) * (t - a.t)) / (b.t - a.t);
	};
	const timer = setInterval(sample, 50);
	try {
		const result = await promise;
		const values = [...seen.values()];
		return {
			result,
			peakMb: Math.round(values.reduce((sum, v) => sum + v.hwmKb, 0) / 1024),
			cpuSeconds: values.reduce((sum, v) => sum + v.cpu, 0),
			cpuBetween: (start, end) => cpuAt(end) - cpuAt(start),
			rssGrowthBetween: (start, end) => {
				const before = timeline.filter((point) => point.t <= start).at(-1);
				// up to one sample (50 ms) past the end, which may have caught the node's last moment
				const during = timeline.filter((point) => point.t > start && point.t <= end + 50);
				if (!before || !during.length) return NaN;
				return Math.round((Math.max(...during.map((p) => p.rssKb)) - before.rssKb) / 1024);
			},
		};
	} finally {
		clearInterval(timer);
	}
}

/**
 * From a memory trace (memory-trace.js): for each n8n process (by pid) that ran in the node's
 * window, what each of process.memoryUsage()'s figures rose to in it over its value at its start, MB.
 */
function memoryTraceGrowth(dir, start, end) {
	const mb = (bytes) => Math.round(bytes / 2 ** 20);
	const result = {};
	for (const file of fs.readdirSync(dir)) {
		const samples = fs
			.readFileSync(path.join(dir, file), 'utf8')
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		const before = samples.filter((s) => s.t <= start).at(-1);
		const during = samples.filter((s) => s.t > start && s.t <= end + 20);
		if (!before || !during.length) continue;
		const atPeak = during.reduce((a, b) => (b.rss > a.rss ? b : a));
		const figures = (result[path.basename(file, '.jsonl')] = {});
		for (const key of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers']) {
			figures[key] = {
				start: mb(before[key]),
				max: `+${mb(Math.max(...during.map((s) => s[key])) - before[key])}`,
				atRssPeak: `+${mb(atPeak[key] - before[key])}`,
			};
		}
	}
	return result;
}

/**
 * n8n's mean time from a vendor answer to the call that takes its place (its arrival at the
 * sandbox), for `calls` made `concurrency` at a time: the k-th call to arrive follows the
 * (k - concurrency)-th answer. So node time ≈ ceil(N / C) × (vendor time + turnaround).
 */
function meanTurnaround(calls, concurrency) {
	const arrivals = calls.map((r) => r.t).sort((a, b) => a - b);
	const answers = calls.map((r) => r.t + r.durationMs).sort((a, b) => a - b);
	let sum = 0;
	for (let k = concurrency; k < arrivals.length; k++) sum += arrivals[k] - answers[k - concurrency];
	return arrivals.length > concurrency ? sum / (arrivals.length - concurrency) : NaN;
}

/** Progeny: the mean number of task look-ups (`?id=`) of the tasks the `uploads` created. */
function lookupsPerTask(requests, uploads) {
	const tasks = new Set(uploads.map((r) => r.taskId));
	const lookups = requests.filter(
		(r) =>
			r.vendor === 'progeny' &&
			r.route === 'task' &&
			tasks.has(new URLSearchParams(r.query).get('id')),
	);
	return lookups.length / tasks.size;
}

const median = (values) => {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};
const seconds = (ms) => (ms / 1000).toFixed(2);

/**
 * Expires every token once `half` accepted calls of `route` have reached the sandbox, polling its request
 * log in this process. Returns { stop(), logins() }: logins() counts the logins after the expiry
 * (null when the batch never got that far).
 */
function expireMidway(sandbox, vendor, route, half, since) {
	let mark = null;
	// calls the sandbox accepted in this run (401s do not count)
	const calls = () =>
		sandbox.requests
			.slice(since)
			.filter((r) => r.vendor === vendor && r.route === route && r.auth === 'valid').length;
	const timer = setInterval(() => {
		if (mark === null && calls() >= half) {
			mark = sandbox.requests.length;
			sandbox.expireTokens();
			clearInterval(timer);
		}
	}, 5);
	return {
		stop: () => clearInterval(timer),
		logins: () =>
			mark === null
				? null
				: sandbox.requests.slice(mark).filter((r) => r.vendor === vendor && r.route === 'token')
						.length,
	};
}

async function main() {
	killChildrenOnExit();
	const env = new SuiteEnv('bench', version, {
		workflows: [],
		sandbox: { taskPendingMs: taskMs },
		// binary data on disk (2.x's default; 1.x keeps it in memory and would print it)
		env: { N8N_RESTRICT_FILE_ACCESS_TO: imageFolder, N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
	});
	await env.setup();
	try {
		const flows = {};
		const add = (flow) => (flows[flow.id] = JSON.parse(fill(JSON.stringify(flow), env.vars)));
		for (const kind of nodes) {
			add(packageWorkflow(`bench-${kind}-base`, kind, 5, N, { disabled: true }));
			for (const c of CONCURRENCIES) add(packageWorkflow(`bench-${kind}-c${c}`, kind, c));
		}
		for (const kind of nodes.filter((k) => HTTP_KINDS.includes(k))) {
			for (const c of CONCURRENCIES) {
				if (kind === 'progeny') {
					add(httpProgenyWorkflow(`bench-http-${kind}-loop-c${c}`, c));
					continue;
				}
				add(httpWorkflow(`bench-http-${kind}-loop-c${c}`, c, 'loop', { kind }));
				add(httpWorkflow(`bench-http-${kind}-batching-c${c}`, c, 'batching', { kind }));
			}
		}
		if (flag('memory')) {
			// --warm: every memory workflow first runs the warm-up branch too (the node-disabled one
			// included), so that the node's window holds neither its code loading nor its first login
			const warm = flag('warm');
			for (const count of MEMORY_COUNTS) {
				for (const small of [false, true]) {
					const size = small ? '-small' : '';
					for (const c of MEMORY_CONCURRENCIES) {
						add(
							packageWorkflow(`bench-ocr-mem${size}-${count}-c${c}`, 'ocr', c, count, {
								warm,
								small,
							}),
						);
					}
					add(
						packageWorkflow(`bench-ocr-mem${size}-${count}-base`, 'ocr', 5, count, {
							disabled: true,
							warm,
							small,
						}),
					);
				}
				for (const c of MEMORY_CONCURRENCIES) {
					add(httpWorkflow(`bench-http-mem-${count}-c${c}`, c, 'loop', { count, warm }));
				}
			}
		}
		await env.n8n.importWorkflows(Object.values(flows));

		/**
		 * One `n8n execute`, from a fresh sandbox (the token stored by the last run is refused once,
		 * then one login), or with `keepSandbox` where the last run left it (its token still valid).
		 */
		const run = async (
			id,
			kind,
			{ count = N, concurrency = 1, expire = false, keepSandbox = false, profile = false } = {},
		) => {
			if (keepSandbox) env.sandbox.clearFaults();
			else env.sandbox.reset();
			const mark = env.sandbox.requests.length;
			env.sandbox.configure({ tokenLifetimeSeconds: 3600, taskPendingMs: taskMs });
			if (kind !== 'progeny' && L > 0)
				env.sandbox.setFault({
					path: VENDOR_PATHS[kind],
					kind: 'latency',
					ms: L,
					times: count * 3,
				});
			const expiry = expire
				? expireMidway(
						env.sandbox,
						VENDOR[kind],
						ITEM_ROUTE[kind],
						// the warm-up's calls come first (memory runs never expire)
						WARMUP + Math.ceil(count / 2),
						mark,
					)
				: null;
			// NODE_OPTIONS for this one child (the harness passes its own env on, unlike the caller's)
			if (profile)
				env.n8n.extraEnv = {
					...env.n8n.extraEnv,
					NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(CPU_PROFILE_DIR, id)}`,
				};
			// KYC_BENCH_MEMORY_TRACE: V8's heap and Buffers in each n8n process, every 20 ms (memory runs)
			const traceDir = MEMORY_TRACE_DIR && path.join(MEMORY_TRACE_DIR, `${id}-${++traceCount}`);
			if (traceDir)
				env.n8n.extraEnv = {
					...env.n8n.extraEnv,
					NODE_OPTIONS: `--require ${path.join(__dirname, 'memory-trace.js')}`,
					KYC_MEMORY_TRACE_DIR: traceDir,
				};
			let measurement;
			try {
				measurement = await measured(
					env.n8n.userFolder,
					env.n8n.execute(id, { timeoutMs: 900_000 }),
				);
			} finally {
				expiry?.stop();
				if (profile || traceDir) delete env.n8n.extraEnv.NODE_OPTIONS;
			}
			const { result: execution, peakMb, cpuSeconds, cpuBetween, rssGrowthBetween } = measurement;
			if (traceDir) {
				const [start, end] = nodeWindow(measurement.result, ...timedNodes(id));
				console.log(`${id}: ${JSON.stringify(memoryTraceGrowth(traceDir, start, end))}`);
			}
			const counters = env.sandbox.counters();
			const itemCalls = env.sandbox.requests
				.slice(mark)
				.filter(
					(r) => r.vendor === VENDOR[kind] && r.route === ITEM_ROUTE[kind] && r.auth === 'valid',
				);
			const [first, last, outputNode] = timedNodes(id);
			const items = execution.nodeRuns(outputNode).flatMap((r) => r.data?.main?.[0] ?? []);
			const succeeded = items.filter((i) => !i.json.error).length;
			const ok = execution.ok && (id.endsWith('-base') || succeeded === count);
			if (!ok && !expire) {
				throw new Error(
					`${id}: ${succeeded} of ${count} items succeeded\n${execution.describe()}\nsandbox counters: ${JSON.stringify(counters)}`,
				);
			}
			return {
				ok,
				ms: nodeMs(execution, first, last),
				// n8n's CPU while the timed node ran (its first run's start to its last run's end)
				nodeCpuSeconds: cpuBetween(...nodeWindow(execution, first, last)),
				logins: env.sandbox.requests
					.slice(mark)
					.filter((r) => r.vendor === VENDOR[kind] && r.route === 'token').length,
				loginsAfterExpiry: expiry?.logins(),
				maxInFlight: counters.maxInFlight?.[VENDOR[kind]] ?? 0,
				// the sandbox's own time per item call, arrival to answer: L plus what the sandbox spends
				vendorMs: median(itemCalls.map((r) => r.durationMs)),
				turnaroundMs: meanTurnaround(itemCalls.slice(-count), concurrency),
				// Progeny: look-ups per task of the timed uploads (not the warm-up's)
				lookupsPerTask:
					kind === 'progeny'
						? lookupsPerTask(env.sandbox.requests.slice(mark), itemCalls.slice(-count))
						: undefined,
				peakMb,
				// RSS the timed node added in its own run (NaN when it did not run)
				growthMb: rssGrowthBetween(...nodeWindow(execution, first, last)),
				cpuSeconds,
			};
		};

		if (flag('memory')) {
			// peak RSS, median of the repetitions (runs of one workflow vary by 20-40 MB), and the
			// RSS the node added within its own run, which does not carry that spread
			const memoryOf = async (id, count) => {
				const runs = [];
				for (let i = 0; i < repeat; i++) runs.push(await run(id, 'ocr', { count }));
				return {
					peakMb: median(runs.map((r) => r.peakMb)),
					growthMb: median(runs.map((r) => r.growthMb)),
				};
			};
			const plus = (mb) => `${mb >= 0 ? '+' : ''}${mb} MB`;
			const rows = [];
			for (const count of MEMORY_COUNTS) {
				const base = (await memoryOf(`bench-ocr-mem-${count}-base`, count)).peakMb;
				const smallBase = (await memoryOf(`bench-ocr-mem-small-${count}-base`, count)).peakMb;
				for (const c of MEMORY_CONCURRENCIES) {
					const own = await memoryOf(`bench-ocr-mem-${count}-c${c}`, count);
					const small = await memoryOf(`bench-ocr-mem-small-${count}-c${c}`, count);
					const http = await memoryOf(`bench-http-mem-${count}-c${c}`, count);
					const extra = own.peakMb - base;
					const smallExtra = small.peakMb - smallBase;
					const goal = Math.round((c * 3 * imageKb) / 1024);
					rows.push(
						`| ${count} | ${c} | ${base} MB | ${plus(extra)} | ${plus(smallExtra)} | ${plus(extra - smallExtra)} | ${plus(http.peakMb - base)} | ${plus(own.growthMb)} | ${plus(small.growthMb)} | ${plus(http.growthMb)} | ${goal} MB |`,
					);
				}
			}
			console.log(
				`\nn8n ${version}, Apptenticate OCR, ${L} ms per call, peak RSS over the same workflow with the node disabled, and RSS growth while the node ran (its highest RSS over its RSS when it started, same run), median of ${repeat}\n`,
			);
			console.log(
				`| N | Concurrency | Peak RSS, node disabled (${imageKb} KB) | Package, ${imageKb} KB images | Package, ${SMALL_KB} KB images | What the ${imageKb} KB images add | HTTP Request, Loop Over Items of C, ${imageKb} KB | Growth while the node ran: package, ${imageKb} KB | Package, ${SMALL_KB} KB | HTTP Request, ${imageKb} KB | Goal (C × 3 × image) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
			);
			console.log(rows.join('\n'));
			return;
		}

		if (CPU_PROFILE_DIR) {
			// profiles only: the node-disabled baseline and one run per concurrency
			for (const kind of nodes) {
				for (const id of [
					`bench-${kind}-base`,
					...CONCURRENCIES.map((c) => `bench-${kind}-c${c}`),
				]) {
					const r = await run(id, kind, { profile: true });
					console.log(
						`${id}: node ${seconds(r.ms)} s, ${r.cpuSeconds.toFixed(2)} CPU s, profile in ${path.join(CPU_PROFILE_DIR, id)}`,
					);
				}
			}
			return;
		}

		for (const kind of nodes) {
			const baseRuns = [];
			for (let i = 0; i < repeat; i++) baseRuns.push(await run(`bench-${kind}-base`, kind));
			const base = { peakMb: median(baseRuns.map((r) => r.peakMb)) };
			const rows = [];
			for (const c of CONCURRENCIES) {
				const limit =
					kind === 'progeny' ? (taskMs + POLL_INTERVAL_S * 1000) * 1.1 : Math.ceil(N / c) * L;
				const own = [];
				const ownCpu = [];
				const http = [];
				const httpCpu = [];
				const turnaround = [];
				const httpTurnaround = [];
				const httpLookups = [];
				const lookups = [];
				let last;
				for (let i = 0; i < repeat; i++) {
					if (HTTP_KINDS.includes(kind)) {
						const loop = await run(`bench-http-${kind}-loop-c${c}`, kind, { concurrency: c });
						http.push(loop.ms);
						httpCpu.push(loop.nodeCpuSeconds);
						httpTurnaround.push(loop.turnaroundMs);
						httpLookups.push(loop.lookupsPerTask);
					}
					last = await run(`bench-${kind}-c${c}`, kind, { concurrency: c });
					own.push(last.ms);
					ownCpu.push(last.nodeCpuSeconds);
					turnaround.push(last.turnaroundMs);
					lookups.push(last.lookupsPerTask);
				}
				const perItem = (cpu) => `${((median(cpu) / N) * 1000).toFixed(1)} ms`;
				// straight after the last run, whose token is still valid: the expiry is the batch's only
				// one (after a sandbox reset the first calls meet a 401 too, and n8n renews only once per call)
				const expiry = await run(`bench-${kind}-c${c}`, kind, {
					concurrency: c,
					expire: true,
					keepSandbox: true,
				});
				const batching = BATCHING_KINDS.includes(kind)
					? await run(`bench-http-${kind}-batching-c${c}`, kind)
					: undefined;
				const t = median(own);
				const h = median(http);
				const expiryLogins =
					expiry.loginsAfterExpiry === null
						? 'batch ended before half'
						: `${expiry.loginsAfterExpiry}`;
				rows.push(
					[
						c,
						`${seconds(t)} s`,
						`${seconds(limit)} s`,
						`${last.vendorMs} ms`,
						L > 0 || kind === 'progeny' ? `${Math.round((limit / t) * 100)} %` : 'n/a',
						kind === 'progeny'
							? 'n/a'
							: `${median(turnaround).toFixed(1)} ms${batching ? ` (HTTP Request ${median(httpTurnaround).toFixed(1)} ms)` : ''}`,
						http.length
							? `${seconds(h)} s (${(h / t).toFixed(2)}×), CPU ${perItem(httpCpu)} per item${kind === 'progeny' ? `; look-ups per task ${median(httpLookups).toFixed(1)} (package ${median(lookups).toFixed(1)})` : ''}`
							: 'n/a',
						batching ? `${seconds(batching.ms)} s, ${batching.maxInFlight} in flight` : 'n/a',
						`${last.logins}`,
						`${expiryLogins}${expiry.ok ? '' : ' (items failed)'}`,
						perItem(ownCpu),
						`${last.maxInFlight}`,
						`${last.peakMb} MB (${last.peakMb - base.peakMb >= 0 ? '+' : ''}${last.peakMb - base.peakMb})`,
					].join(' | '),
				);
			}
			const title = {
				ocr: 'Apptenticate OCR',
				link: 'LINK Verify',
				progeny: 'Progeny Passport OCR',
			}[kind];
			const latency =
				kind === 'progeny'
					? `task time ${taskMs} ms, poll interval ${POLL_INTERVAL_S} s`
					: `${L} ms per call`;
			console.log(
				`\n${title}: n8n ${version}, N = ${N} images of ${imageKb} KB, ${latency}, median of ${repeat}\n`,
			);
			console.log(
				'| Concurrency | Node time | Limit | Vendor time per call (sandbox, median) | Limit / time | Turnaround (answer to next call, mean) | HTTP Request, Loop Over Items of C (time ratio) | HTTP Request Batching option | Logins | Logins per mid-batch expiry | n8n CPU per item | Most in flight | Peak RSS (vs node disabled) |',
			);
			console.log(
				'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
			);
			console.log(rows.map((r) => `| ${r} |`).join('\n'));
		}
	} finally {
		await env.teardown();
		fs.rmSync(imageFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
