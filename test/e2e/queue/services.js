'use strict';
/**
 * Redis and PostgreSQL as the suite's own processes (not system services): each on a free port
 * on 127.0.0.1, its data in a temporary folder, stopped and removed by `stop()`. The binaries
 * come from Debian's packages (install-services.sh). PostgreSQL refuses to run as root, so as
 * root its processes run as the `postgres` user the Debian package creates.
 */
const { spawn, spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { freePort, portInUse } = require('../../../tools/n8n/ports');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs install-services.sh (apt-get the first time, a no-op later); returns PostgreSQL's bin folder. */
function ensureServices() {
	const result = spawnSync('bash', [path.join(__dirname, 'install-services.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`install-services.sh failed (exit ${result.status})`);
	return result.stdout.trim().split('\n').pop();
}

async function waitFor(what, check, { timeoutMs = 30_000, child, logFile } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child && child.exitCode !== null)
			throw new Error(
				`${what} exited with ${child.exitCode}:\n${logFile ? fs.readFileSync(logFile, 'utf8').slice(-2000) : ''}`,
			);
		if (await check()) return;
		await sleep(100);
	}
	throw new Error(
		`${what} was not ready within ${timeoutMs / 1000} s${logFile ? ` (log: ${logFile})` : ''}`,
	);
}

function startChild(command, args, { logFile, ...options }) {
	const log = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { stdio: ['ignore', log, log], detached: true, ...options });
	fs.closeSync(log);
	child.exited = new Promise((resolve) => child.once('exit', resolve));
	return child;
}

async function stopChild(child, signal = 'SIGTERM') {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		child.kill(signal);
	}
	const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await child.exited;
	clearTimeout(killer);
}

/** `redis-server` on a free port, no persistence. */
async function startRedis({ dir, logDir }) {
	const port = await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(logDir, 'redis.log');
	const child = startChild(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ logFile },
	);
	await waitFor('redis-server', () => portInUse(port), { child, logFile });
	return { port, child, logFile, stop: () => stopChild(child) };
}

/** PostgreSQL on a free port: initdb into a fresh folder, trust on 127.0.0.1, one database. */
async function startPostgres({ binDir, logDir, database = 'n8n', user = 'n8n' }) {
	const asRoot = process.getuid?.() === 0;
	const ids = asRoot
		? {
				uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
				gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
			}
		: {};
	// in the system temp folder itself (1777), not under a 0700 folder the postgres user cannot enter
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-e2e-pg-'));
	if (asRoot) fs.chownSync(dir, ids.uid, ids.gid);
	const data = path.join(dir, 'data');
	const run = (bin, args) => {
		const result = spawnSync(path.join(binDir, bin), args, { ...ids, cwd: dir, encoding: 'utf8' });
		if (result.status !== 0)
			throw new Error(
				`${bin} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
			);
	};
	run('initdb', ['-D', data, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
	const port = await freePort();
	const logFile = path.join(logDir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	if (asRoot) fs.chownSync(logFile, ids.uid, ids.gid);
	// durability off: a test database, thrown away after the run
	const settings = [
		'listen_addresses=127.0.0.1',
		`port=${port}`,
		`unix_socket_directories=${dir}`,
		'fsync=off',
		'synchronous_commit=off',
		'full_page_writes=off',
		'max_connections=200',
	];
	const child = startChild(
		path.join(binDir, 'postgres'),
		['-D', data, ...settings.flatMap((s) => ['-c', s])],
		{ ...ids, cwd: dir, logFile },
	);
	await waitFor('postgres', () => portInUse(port), { child, logFile });
	await waitFor(
		'postgres accepting connections',
		() =>
			spawnSync(path.join(binDir, 'pg_isready'), [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
			]).status === 0,
		{ child, logFile },
	);
	run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, database]);
	return {
		port,
		user,
		database,
		child,
		logFile,
		async stop() {
			await stopChild(child, 'SIGINT'); // "fast shutdown"
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = {
	ensureServices,
	startRedis,
	startPostgres,
	startChild,
	stopChild,
	waitFor,
	sleep,
};
