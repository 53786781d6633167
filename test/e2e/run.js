#!/usr/bin/env node
'use strict';
/**
 * End-to-end tests inside real n8n (see test/e2e/README.md).
 *
 *   node test/e2e/run.js                                   every case on every supported version
 *   node test/e2e/run.js --version 2.41.1                  one version (or KYC_E2E_VERSIONS="2.41.1")
 *   node test/e2e/run.js --test-name-pattern "apptenticate ocr happy"
 *   node test/e2e/run.js credentials                       only test/e2e/credentials.e2e.js
 *   node test/e2e/run.js --keep                            keep the work folder (n8n logs, databases)
 *
 * Steps: install or reuse n8n and Node 24 (cache), build and pack the package once, prepare one
 * template n8n user folder per version (package installed, database migrated), then run the
 * test files with Node's test runner on Node 24, one file at a time.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const toolchain = require('../../tools/n8n/toolchain');

function parseArgs(argv) {
	const args = { versions: [], runnerArgs: [], files: [], keep: Boolean(process.env.KYC_E2E_KEEP) };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s, 2) : [argv[i]];
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--version' || flag === '--versions')
			args.versions.push(
				...value()
					.split(/[\s,]+/)
					.filter(Boolean),
			);
		else if (flag === '--keep') args.keep = true;
		else if (flag === '--help' || flag === '-h') args.help = true;
		else if (flag === '--test-name-pattern' || flag === '--test-skip-pattern')
			args.runnerArgs.push(`${flag}=${value()}`);
		else if (flag.startsWith('--test-')) args.runnerArgs.push(argv[i]);
		else if (!flag.startsWith('-')) args.files.push(flag);
		else
			throw Object.assign(new Error(`unknown option ${flag} (see test/e2e/README.md)`), {
				usage: true,
			});
	}
	return args;
}

function testFiles(filters) {
	const dir = __dirname;
	const all = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.e2e.js'))
		.sort();
	const chosen = filters.length
		? all.filter((f) =>
				filters.some(
					(want) => f === want || f.startsWith(path.basename(want).replace(/\.e2e\.js$/, '')),
				),
			)
		: all;
	if (!chosen.length)
		throw new Error(`no test file matches ${filters.join(', ')} (have: ${all.join(', ')})`);
	return chosen.map((f) => path.join(dir, f));
}

function summarize(workDir, wallMs) {
	const file = path.join(workDir, 'timings.jsonl');
	const lines = [];
	if (fs.existsSync(file)) {
		const entries = fs
			.readFileSync(file, 'utf8')
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l));
		const versions = [...new Set(entries.map((e) => e.version))];
		for (const version of versions) {
			const mine = entries.filter((e) => e.version === version);
			const executes = mine.filter((e) => e.kind === 'execute');
			const setups = mine.filter((e) => e.kind === 'setup');
			const sum = (list) => list.reduce((a, e) => a + e.ms, 0);
			const avg = (list) => (list.length ? Math.round(sum(list) / list.length) : 0);
			lines.push(
				`n8n ${version}: ${executes.length} executions, ${avg(executes)} ms each on average (${(sum(executes) / 1000).toFixed(1)} s); ` +
					`${setups.length} suite set-ups, ${avg(setups)} ms each`,
			);
			for (const e of executes.filter((x) => x.anomaly))
				lines.push(`  note: ${e.suite} ${e.workflow}: ${e.anomaly}`);
		}
	}
	lines.push(`e2e wall time: ${(wallMs / 1000).toFixed(1)} s`);
	return lines.join('\n');
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		const header = fs
			.readFileSync(__filename, 'utf8')
			.split('*/')[0]
			.replace(/^[\s\S]*?\/\*\*\n/, '');
		process.stdout.write(`${header.replace(/^ \* ?/gm, '')}\n`);
		return 0;
	}
	const started = Date.now();
	const versions = args.versions.length ? args.versions : toolchain.selectedVersions();
	for (const version of versions) {
		if (!toolchain.SUPPORTED_VERSIONS.includes(version))
			process.stderr.write(
				`warning: n8n ${version} is not one of the tested versions (${toolchain.SUPPORTED_VERSIONS.join(', ')})\n`,
			);
	}
	const files = testFiles(args.files);

	const step = (text) => process.stderr.write(`[e2e] ${text}\n`);
	step(`n8n ${versions.join(' and ')}: checking the cache ${toolchain.CACHE}`);
	const t0 = Date.now();
	const nodeHome = toolchain.ensureN8n(versions);
	const ensureMs = Date.now() - t0;

	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-e2e-'));
	step(`building and packing the package (work folder ${workDir})`);
	const t1 = Date.now();
	const tgz = toolchain.buildAndPack(path.join(workDir, 'pack'), { nodeHome, quiet: true });
	const packMs = Date.now() - t1;

	// Loaded after the build: the harness requires the sandbox, which needs nothing built, but
	// keeping the order makes a broken build fail before anything else.
	const { prepareTemplate } = require('./lib/harness');
	const t2 = Date.now();
	for (const version of versions) {
		step(`n8n ${version}: installing ${path.basename(tgz)} and migrating a template database`);
		await prepareTemplate(version, { dir: workDir, tgz, home: nodeHome });
	}
	const templateMs = Date.now() - t2;
	step(
		`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s (cache check ${ensureMs} ms, build+pack ${packMs} ms, templates ${templateMs} ms)`,
	);

	const env = {
		...process.env,
		PATH: toolchain.pathWithNode(nodeHome),
		KYC_E2E_VERSIONS: versions.join(' '),
		KYC_E2E_WORKDIR: workDir,
		KYC_E2E_TGZ: tgz,
		KYC_E2E_NODE_HOME: nodeHome,
	};
	const runnerArgs = [
		'--test',
		'--test-reporter=spec',
		'--test-concurrency=1',
		'--test-timeout=900000',
		...args.runnerArgs,
		...files,
	];
	const code = await new Promise((resolve) => {
		const child = spawn(path.join(nodeHome, 'bin', 'node'), runnerArgs, {
			cwd: toolchain.REPO,
			env,
			stdio: 'inherit',
		});
		const forward = (signal) => child.kill(signal);
		process.on('SIGINT', forward);
		process.on('SIGTERM', forward);
		child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
	});

	process.stderr.write(`\n${summarize(workDir, Date.now() - started)}\n`);
	if (code === 0 && !args.keep) fs.rmSync(workDir, { recursive: true, force: true });
	else step(`work folder kept (n8n logs under */logs): ${workDir}`);
	return code;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`[e2e] ${error.usage ? error.message : error.stack || error.message}\n`);
		process.exit(1);
	},
);
