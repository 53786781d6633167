'use strict';
/**
 * What the editor's node panel gets from a running n8n (`n8n start`): the node types it serves
 * (/types/nodes.json) carry each node's codex (aliases, categories, documentation links), and a
 * search with n8n's own search function (sublimeSearch from the installed n8n's @n8n/utils, with
 * its default keys: display name, then codex aliases, as the node panel searches) finds the
 * package's nodes by the words users type. The output schemas are served where the editor asks
 * for them (/schemas/<node>/<version>[/<operation>].json).
 */
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { e2eSuite } = require('./lib/harness');
const toolchain = require('../../tools/n8n/toolchain');
const pkg = require('../../package.json');

const PREFIX = `${toolchain.PACKAGE_NAME}.`;
/** The nodes, and the words each must be found by (within the first SHOWN results). */
const WORDS = {
	apptenticateOcr: ['KYC', 'identity', 'OCR', 'ID card', 'passport'],
	apptenticateBiometry: ['KYC', 'identity', 'selfie', 'face match', 'liveness'],
	progenyPassportOcr: ['KYC', 'identity', 'passport', 'OCR', 'MRZ'],
	linkVerify: ['KYC', 'identity', 'ID card', 'passport', 'selfie'],
	linkCertificate: ['KYC', 'identity', 'certificate'],
	linkTrigger: ['KYC', 'identity', 'LINK Mobility'],
	kycDecision: ['KYC', 'identity', 'decision', 'approve'],
};
const SHOWN = 15;
/** The operations of each action node: the editor asks for one schema per operation. */
const SCHEMAS = {
	apptenticateOcr: [undefined],
	apptenticateBiometry: ['verifyCitizen', 'compareForeignDocument'],
	progenyPassportOcr: ['extractPassport', 'getTaskResult'],
	linkVerify: ['verify', 'ping'],
	linkCertificate: ['byId', 'byUrl'],
	kycDecision: [undefined],
};

function n8nSearch(version) {
	const modules = path.join(toolchain.n8nHome(version), 'node_modules');
	for (const specifier of ['@n8n/utils/search/sublime-search', '@n8n/utils']) {
		try {
			const { sublimeSearch } = require(require.resolve(specifier, { paths: [modules] }));
			if (typeof sublimeSearch === 'function') return sublimeSearch;
		} catch {
			// the module moved between versions: try the next place
		}
	}
	throw new Error(`no sublimeSearch in n8n ${version}'s @n8n/utils`);
}

e2eSuite('codex', {}, (env) => {
	let nodeTypes;
	let search;
	before(
		async () => {
			await env.startServer();
			const answer = await fetch(`${env.n8n.url}/types/nodes.json`, {
				headers: { cookie: env.n8n.cookie ?? '' },
			});
			assert.equal(answer.status, 200);
			// one entry per node and version: keep the newest version of each node, as the panel does
			const byName = new Map();
			for (const type of await answer.json()) {
				const version = Math.max(...[type.version].flat());
				if (!byName.has(type.name) || byName.get(type.name).version < version)
					byName.set(type.name, { ...type, version });
			}
			// n8n adds a "<name>Tool" variant of every usableAsTool node for AI agents; the node panel
			// lists those under the agent's tools, not among the nodes
			nodeTypes = [...byName.values()].filter(
				(type) => !(type.name.endsWith('Tool') && byName.has(type.name.slice(0, -4))),
			);
			search = n8nSearch(env.version);
		},
		{ timeout: 300_000 },
	);

	const ours = () => nodeTypes.filter((type) => type.name.startsWith(PREFIX));
	const find = (words) =>
		search(
			words,
			nodeTypes.map((type) => ({ properties: type })),
		).map((result) => result.item.properties.name);

	describe('codex node types', () => {
		it('n8n serves the seven nodes, each with its codex: aliases, category, README links', () => {
			assert.deepEqual(
				ours()
					.map((type) => type.name.slice(PREFIX.length))
					.sort(),
				Object.keys(WORDS).sort(),
			);
			for (const type of ours()) {
				const { codex } = type;
				assert.ok(
					codex?.alias?.includes('KYC'),
					`${type.name}: no codex alias KYC: ${JSON.stringify(codex)}`,
				);
				assert.ok(codex.categories.length > 0, `${type.name}: no category`);
				for (const link of [
					...codex.resources.primaryDocumentation,
					...codex.resources.credentialDocumentation,
				]) {
					assert.match(
						link.url,
						new RegExp(`^${pkg.homepage}#[a-z-]+$`),
						`${type.name}: documentation link ${link.url}`,
					);
				}
			}
		});

		it('"kyc" finds the seven nodes first', () => {
			const found = find('kyc');
			assert.deepEqual(
				found.slice(0, Object.keys(WORDS).length).sort(),
				Object.keys(WORDS)
					.map((name) => PREFIX + name)
					.sort(),
				`search "kyc": ${found.slice(0, 10).join(', ')}`,
			);
		});

		for (const [name, words] of Object.entries(WORDS)) {
			it(`${name} is among the first ${SHOWN} results for: ${words.join(', ')}`, () => {
				for (const word of words) {
					const found = find(word);
					const rank = found.indexOf(PREFIX + name);
					assert.ok(
						rank >= 0 && rank < SHOWN,
						`search "${word}": ${name} ${rank < 0 ? 'not found' : `at rank ${rank + 1}`} (first: ${found.slice(0, SHOWN).join(', ')})`,
					);
				}
			});
		}
	});

	describe('codex output schemas', () => {
		for (const [name, operations] of Object.entries(SCHEMAS)) {
			it(`${name}: the editor's schema request for every operation answers the node's output fields`, async () => {
				for (const operation of operations) {
					if (operation === undefined && env.version.startsWith('1.')) {
						// n8n 1.x closes the connection on /schemas/<node>/1.0.0.json (a node without
						// operation): its editor shows no preview for such a node; nothing to ship differently
						env.note(`${name}: n8n 1.x serves no schema for a node without operation`);
						continue;
					}
					// what the editor requests: schemas/<node>/<version x.y.z>[/<resource>][/<operation>].json
					const route = ['schemas', PREFIX + name, '1.0.0', operation].filter(Boolean).join('/');
					const answer = await fetch(`${env.n8n.url}/${route}.json`);
					assert.equal(answer.status, 200, `GET /${route}.json answered ${answer.status}`);
					const schema = await answer.json();
					assert.equal(schema.type, 'object');
					const field =
						name === 'linkCertificate'
							? 'fileName'
							: name === 'kycDecision'
								? 'decision'
								: operation === 'ping'
									? 'available'
									: 'documentNumber';
					assert.ok(
						schema.properties[field],
						`/${route}.json has no ${field}: ${Object.keys(schema.properties)}`,
					);
				}
			});
		}
	});
});
