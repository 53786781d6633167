#!/usr/bin/env node
'use strict';
/**
 * The queue-mode suite (README "Queue mode"): n8n 2.41.1 only.
 *
 *   node test/e2e/queue/run.js            [--keep] [--test-name-pattern "link"]
 *
 * Installs or reuses n8n 2.41.1 (cache) and Redis/PostgreSQL (Debian packages), builds and packs
 * the package, prepares the template user folder, then runs queue.e2e.js with Node's test runner.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const toolchain = require('../../../tools/n8n/toolchain');
const { ensureServices } = require('./services');

const VERSION = '2.41.1';

async function main() {
	const argv = process.argv.slice(2);
	const keep = argv.includes('--keep') || Boolean(process.env.KYC_E2E_KEEP);
	const runnerArgs = argv.filter((a) => a !== '--keep');
	const started = Date.now();
	const step = (text) => process.stderr.write(`[e2e queue] ${text}\n`);
	const nodeHome = toolchain.ensureN8n([VERSION]);
	ensureServices();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-e2e-queue-'));
	step(`building and packing the package (work folder ${workDir})`);
	const tgz = toolchain.buildAndPack(path.join(workDir, 'pack'), { nodeHome, quiet: true });
	const { prepareTemplate } = require('../lib/harness');
	await prepareTemplate(VERSION, { dir: workDir, tgz, home: nodeHome });
	step(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const env = {
		...process.env,
		PATH: toolchain.pathWithNode(nodeHome),
		KYC_E2E_VERSIONS: VERSION,
		KYC_E2E_WORKDIR: workDir,
		KYC_E2E_TGZ: tgz,
		KYC_E2E_NODE_HOME: nodeHome,
	};
	const args = [
		'--test',
		'--test-reporter=spec',
		'--test-timeout=900000',
		...runnerArgs,
		path.join(__dirname, 'queue.e2e.js'),
	];
	const code = await new Promise((resolve) => {
		const child = spawn(path.join(nodeHome, 'bin', 'node'), args, {
			cwd: toolchain.REPO,
			env,
			stdio: 'inherit',
		});
		for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
		child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
	});
	step(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
	if (code === 0 && !keep) fs.rmSync(workDir, { recursive: true, force: true });
	else step(`work folder kept (n8n logs under queue-*/logs): ${workDir}`);
	return code;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`[e2e queue] ${error.stack || error.message}\n`);
		process.exit(1);
	},
);
