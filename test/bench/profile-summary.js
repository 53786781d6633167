#!/usr/bin/env node
'use strict';
/**
 * Summarizes V8 .cpuprofile files (from `KYC_BENCH_CPU_PROF=DIR node test/bench/batch.js ...`):
 * self time by area, by file and by function, and the inclusive time of the n8n functions a
 * node calls per item. Several files are summed (e.g. `n8n execute` and its children).
 *
 *   node test/bench/profile-summary.js [--items 200] [--top 25] [--whole] [--callers deepCopy,execute] [--depth 4] FILE_OR_DIR...
 *
 * Only the node's window counts: from the first sample in a package node's `execute` to the
 * last with a package frame (dist of n8n-nodes-kyc) on its stack, so n8n's start-up and the
 * nodes before it drop out; --whole takes the whole profile. --items divides by the batch size
 * (ms per item).
 */
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const index = args.indexOf(`--${name}`);
	if (index === -1) return fallback;
	const [value] = args.splice(index, 2).slice(1);
	return value;
};
const items = Number(option('items', 1));
const top = Number(option('top', 25));
const depth = Number(option('depth', 4));
const callersOf = String(option('callers', 'deepCopy,execute')).split(',');
const whole = args.includes('--whole');
const inputs = args.filter((a) => a !== '--whole');
if (!inputs.length) {
	console.error('usage: profile-summary.js [--items N] [--top K] [--base FILE] FILE_OR_DIR...');
	process.exit(2);
}

const profileFiles = (target) =>
	fs.statSync(target).isDirectory()
		? fs
				.readdirSync(target, { recursive: true })
				.filter((f) => String(f).endsWith('.cpuprofile'))
				.map((f) => path.join(target, String(f)))
		: [target];

const PACKAGE_DIST = 'node_modules/n8n-nodes-kyc/dist/';
const isPackage = (url) => url.includes(PACKAGE_DIST);

/** Where a frame's code lives, coarsely. */
function areaOf(url, functionName) {
	if (!url) return functionName.startsWith('(') ? functionName : '(native/builtin)';
	if (isPackage(url)) return 'package (n8n-nodes-kyc/dist)';
	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
	if (match) return match[1];
	if (url.startsWith('node:')) return 'node: internals';
	return url;
}

/** Shortens a script URL to what tells it apart: the package's path inside its module. */
function shortFile(url) {
	if (!url) return '(none)';
	const kyc = url.indexOf(PACKAGE_DIST);
	if (kyc !== -1) return url.slice(kyc + 'node_modules/'.length);
	const nm = url.lastIndexOf('node_modules/');
	return nm !== -1 ? url.slice(nm + 'node_modules/'.length) : url.replace(/^file:\/\//, '');
}

/**
 * One profile as samples: for each sample its duration (µs) and its stack (frame ids, leaf
 * first). A sample's duration is the delta to the next sample.
 */
function load(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
	const { samples, timeDeltas } = profile;
	const durations = samples.map((_, i) => (i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0));
	// the package's code at work: a package frame other than a module's top level (loaded at
	// start-up); the window opens with a node's `execute`, since n8n also builds the nodes'
	// descriptions (package code) at start-up
	const packageFrames = (id) => {
		const frames = [];
		for (let at = id; at !== undefined; at = parent.get(at)) {
			const frame = byId.get(at).callFrame;
			if (isPackage(frame.url) && !(frame.functionName === '' && frame.lineNumber === 0))
				frames.push(frame);
		}
		return frames;
	};
	const stacks = samples.map(packageFrames);
	const inPackage = stacks.map((frames) => frames.length > 0);
	const first = whole
		? 0
		: stacks.findIndex((frames) => frames.some((f) => f.functionName === 'execute'));
	const last = whole ? samples.length - 1 : inPackage.lastIndexOf(true);
	const inWindow = (i) => first !== -1 && i >= first && i <= last;
	const windowUs = durations.reduce((sum, us, i) => sum + (inWindow(i) ? us : 0), 0);
	return { byId, parent, samples, durations, inWindow, windowUs };
}

/** Functions whose inclusive time says how much per-item work goes where. */
const INCLUSIVE = [
	[
		'getNodeParameter (n8n)',
		(f) => /^_?getNodeParameter$/.test(f.functionName) && /n8n-core/.test(f.url),
	],
	['deepCopy (n8n-workflow)', (f) => f.functionName === 'deepCopy' && /n8n-workflow/.test(f.url)],
	['expression runtime (isolated VM bridge)', (f) => /@n8n\/expression-runtime/.test(f.url)],
	[
		'expression evaluation (Expression.getParameterValue / resolveSimpleParameterValue)',
		(f) =>
			/^(getParameterValue|resolveSimpleParameterValue)$/.test(f.functionName) &&
			/n8n-workflow/.test(f.url),
	],
	[
		'getCredentials (n8n)',
		(f) => /^_?getCredentials$/.test(f.functionName) && /n8n-core/.test(f.url),
	],
	[
		'binary read: assertBinaryData / getBinaryDataBuffer',
		(f) => /^(assertBinaryData|getBinaryDataBuffer)$/.test(f.functionName),
	],
	[
		'n8n request helper: httpRequestWithAuthentication / requestWithAuthentication',
		(f) => /^(httpRequestWithAuthentication|requestWithAuthentication)$/.test(f.functionName),
	],
	[
		'n8n request helper: httpRequest / proxyRequestToAxios',
		(f) =>
			/^(httpRequest|proxyRequestToAxios|invokeAxios)$/.test(f.functionName) &&
			/n8n-core/.test(f.url),
	],
	['axios (any frame)', (f) => /node_modules\/axios\//.test(f.url)],
	['form-data (any frame)', (f) => /node_modules\/form-data\//.test(f.url)],
	['zod (any frame)', (f) => /node_modules\/zod\//.test(f.url)],
	['JSON.parse / JSON.stringify', (f) => /^(parse|stringify)$/.test(f.functionName) && !f.url],
	[
		'Buffer base64 (toString / from / write)',
		(f) =>
			/^(toString|from|base64Slice|base64Write|byteLengthUtf8)$/.test(f.functionName) &&
			(!f.url || f.url === 'node:buffer'),
	],
	['package frames (any n8n-nodes-kyc/dist frame on the stack)', (f) => isPackage(f.url)],
	[
		'run-data handling: WorkflowExecute.runNode',
		(f) => f.functionName === 'runNode' && /n8n-core/.test(f.url),
	],
];

function summarize(files) {
	const self = new Map(); // function key -> µs
	const byFile = new Map();
	const byArea = new Map();
	const inclusive = new Map(INCLUSIVE.map(([label]) => [label, 0]));
	const callers = new Map(); // "leaf <- caller <- caller" -> µs, for the leaves named by --callers
	let sampled = 0;
	let wall = 0;
	for (const file of files) {
		const { byId, parent, samples, durations, inWindow, windowUs } = load(file);
		wall += windowUs;
		samples.forEach((id, i) => {
			const us = durations[i];
			if (!us || !inWindow(i)) return;
			sampled += us;
			const frame = byId.get(id).callFrame;
			const key = `${frame.functionName || '(anonymous)'}  ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
			self.set(key, (self.get(key) ?? 0) + us);
			const fileKey = shortFile(frame.url);
			byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
			const area = areaOf(frame.url, frame.functionName);
			byArea.set(area, (byArea.get(area) ?? 0) + us);
			const hit = new Set();
			for (let at = id; at !== undefined; at = parent.get(at)) {
				const f = byId.get(at).callFrame;
				for (const [label, test] of INCLUSIVE) if (!hit.has(label) && test(f)) hit.add(label);
			}
			for (const label of hit) inclusive.set(label, inclusive.get(label) + us);
			if (callersOf.includes(frame.functionName)) {
				const chain = [];
				for (
					let at = parent.get(id);
					at !== undefined && chain.length < depth;
					at = parent.get(at)
				) {
					const f = byId.get(at).callFrame;
					if (f.functionName && f.functionName !== frame.functionName)
						chain.push(
							`${f.functionName} (${shortFile(f.url).split('/').pop()}:${f.lineNumber + 1})`,
						);
				}
				const path = `${frame.functionName} <- ${chain.join(' <- ')}`;
				callers.set(path, (callers.get(path) ?? 0) + us);
			}
		});
	}
	return { self, byFile, byArea, inclusive, callers, sampled, wall };
}

const ms = (us) => (us / 1000).toFixed(1);
const perItem = (us) => (items > 1 ? ` | ${(us / 1000 / items).toFixed(3)}` : '');
const head = (title, ...cols) => {
	console.log(`\n### ${title}\n`);
	const all = [...cols, 'ms', ...(items > 1 ? ['ms per item'] : [])];
	console.log(`| ${all.join(' | ')} |\n| ${all.map(() => '---').join(' | ')} |`);
};
const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);

const files = inputs.flatMap(profileFiles);
const summary = summarize(files);

console.log(
	`${files.length} profile(s), ${whole ? 'whole profile' : "the node's window"}: ${ms(summary.wall)} ms${items > 1 ? `, per item of ${items}` : ''}`,
);

head(`Self time by area (top ${top})`, 'Area');
for (const [area, us] of sorted(summary.byArea).slice(0, top))
	console.log(`| ${area} | ${ms(us)}${perItem(us)} |`);

head('Inclusive time (a sample counts once if any matching frame is on its stack)', 'What');
for (const [label, us] of summary.inclusive) console.log(`| ${label} | ${ms(us)}${perItem(us)} |`);

head(`Top ${top} functions by self time`, 'Function  file:line');
for (const [key, us] of sorted(summary.self).slice(0, top))
	console.log(`| ${key} | ${ms(us)}${perItem(us)} |`);

head(`Top ${top} package functions by self time`, 'Function  file:line');
for (const [key, us] of sorted(summary.self)
	.filter(([k]) => k.includes('n8n-nodes-kyc/dist/'))
	.slice(0, top))
	console.log(`| ${key} | ${ms(us)}${perItem(us)} |`);

head(`Top ${top} files by self time`, 'File');
for (const [file, us] of sorted(summary.byFile).slice(0, top))
	console.log(`| ${file} | ${ms(us)}${perItem(us)} |`);

head(
	`Who calls ${callersOf.join(', ')} (self time of the leaf, by its nearest named callers; top ${top})`,
	'Leaf <- callers',
);
for (const [chain, us] of sorted(summary.callers).slice(0, top))
	console.log(`| ${chain} | ${ms(us)}${perItem(us)} |`);
