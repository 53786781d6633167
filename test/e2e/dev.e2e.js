'use strict';
/**
 * The main job: `npm run dev -- --check` (tools/dev.sh) builds, installs, imports the
 * examples, starts n8n 2.41.1 with the sandbox, runs the onboarding and LINK examples through the
 * running server and checks their results. Run twice on one user folder: the second run reuses it, keeps a
 * credential the "user" pointed at a real vendor, and moves the sandbox credentials to the
 * sandbox's new port.
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const toolchain = require('../../tools/n8n/toolchain');
const { N8n } = require('../../tools/n8n/n8n');
const { freePort, portInUse } = require('../../tools/n8n/ports');

const VERSION = '2.41.1';
const skip = toolchain.selectedVersions().includes(VERSION)
	? false
	: `dev runs n8n ${VERSION}, which is not selected`;

function runDev(env) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn('bash', [path.join(toolchain.REPO, 'tools', 'dev.sh'), '--check'], {
			cwd: toolchain.REPO,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (c) => (output += c));
		child.stderr.on('data', (c) => (output += c));
		// dev.js stops its n8n and sandbox on SIGTERM: do not leave them behind if this test dies
		const stopDev = () => child.kill('SIGTERM');
		process.once('exit', stopDev);
		child.once('close', (code) => {
			process.removeListener('exit', stopDev);
			resolve({ code, output, ms: Date.now() - started });
		});
	});
}

describe(`n8n ${VERSION}`, { skip }, () => {
	describe('dev check', () => {
		let home;
		let env;
		before(async () => {
			home = fs.mkdtempSync(path.join(process.env.KYC_E2E_WORKDIR || os.tmpdir(), 'dev-home-'));
			env = {
				KYC_DEV_HOME: home,
				KYC_DEV_PORT: String(await freePort()),
				KYC_SANDBOX_PORT: String(await freePort()),
			};
		});
		after(() => {
			if (!process.env.KYC_E2E_WORKDIR) fs.rmSync(home, { recursive: true, force: true });
		});

		it('npm run dev -- --check on a new user folder: examples imported, onboarding example answers', async () => {
			const run = await runDev(env);
			assert.equal(run.code, 0, run.output);
			assert.match(run.output, /imported examples: .*apptenticate-id-onboarding\.json/);
			assert.match(run.output, /owner account created/);
			assert.match(run.output, /login: dev@example\.com \/ /);
			assert.match(
				run.output,
				/LINK example: verification .* certified, its callback ran the LINK callbacks example/,
			);
			assert.match(run.output, /check passed/);
			process.stdout.write(`dev --check, new user folder: ${run.ms} ms\n`);
		});

		it('a second run reuses the folder, keeps a credential changed by the user, follows the sandbox port', async () => {
			const nodeHome = toolchain.ensureN8n([VERSION], { quiet: true });
			const n8n = await new N8n({
				version: VERSION,
				nodeHome,
				userFolder: home,
				encryptionKey: 'n8n-nodes-kyc-dev-encryption-key',
			}).init();
			// the user points the Progeny credential at the real service
			await n8n.importCredentials([
				{
					id: 'kycDevProgeny001',
					name: 'Progeny (sandbox)',
					type: 'progenyApi',
					data: {
						baseUrl: 'https://be.progeny.tech/api/v3',
						username: 'me',
						password: 'secret',
						accessToken: '',
					},
				},
			]);
			const newSandboxPort = String(await freePort());
			const run = await runDev({ ...env, KYC_SANDBOX_PORT: newSandboxPort });
			assert.equal(run.code, 0, run.output);
			assert.doesNotMatch(
				run.output,
				/imported examples/,
				'unchanged examples are not imported again',
			);
			assert.doesNotMatch(run.output, /owner account created/);
			assert.match(
				run.output,
				/credential "Progeny \(sandbox\)" points at https:\/\/be\.progeny\.tech\/api\/v3: left as it is/,
			);
			assert.match(
				run.output,
				/credentials for the sandbox: Apptenticate \(sandbox\), LINK Mobility \(sandbox\)\n/,
			);
			assert.match(
				run.output,
				/check passed/,
				'the Apptenticate credential follows the sandbox to its new port',
			);
			process.stdout.write(`dev --check, reused user folder: ${run.ms} ms\n`);
		});

		it("npm run dev stops n8n and the sandbox on a SIGINT sent to npm's own PID (as a process manager or IDE does)", async () => {
			// npm -> sh -c -> bash tools/dev.sh -> node tools/dev.js -> n8n (own process group)
			const child = spawn('npm', ['run', 'dev'], {
				cwd: toolchain.REPO,
				env: { ...process.env, ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true, // a group of its own: the SIGINT below goes to npm's PID only, not a group
			});
			let output = '';
			const closed = new Promise((resolve) =>
				child.once('close', (code, signal) => resolve({ code, signal })),
			);
			const running = new Promise((resolve) => {
				const onData = (chunk) => {
					output += chunk;
					if (/is running at/.test(output)) resolve();
				};
				child.stdout.on('data', onData);
				child.stderr.on('data', onData);
			});
			try {
				await Promise.race([
					running,
					closed.then(() => assert.fail(`npm run dev ended before n8n ran:\n${output}`)),
				]);
				assert.ok(await portInUse(Number(env.KYC_DEV_PORT)), 'n8n listens');
				const sent = Date.now();
				process.kill(child.pid, 'SIGINT');
				const timeout = new Promise((resolve) =>
					setTimeout(() => resolve('timeout'), 60_000).unref(),
				);
				const outcome = await Promise.race([closed, timeout]);
				assert.notEqual(
					outcome,
					'timeout',
					`npm run dev still running 60 s after SIGINT:\n${output}`,
				);
				assert.match(output, /SIGINT: stopping n8n and the sandbox/);
				assert.equal(await portInUse(Number(env.KYC_DEV_PORT)), false, 'n8n stopped');
				assert.equal(await portInUse(Number(env.KYC_SANDBOX_PORT)), false, 'the sandbox stopped');
				process.stdout.write(
					`npm run dev: stopped ${Date.now() - sent} ms after SIGINT to npm (${JSON.stringify(outcome)})\n`,
				);
			} finally {
				if (child.exitCode === null && child.signalCode === null)
					process.kill(-child.pid, 'SIGKILL');
			}
		});
	});
});
