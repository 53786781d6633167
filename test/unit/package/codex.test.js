// JavaScript, not TypeScript: n8n-node lint holds .ts files to node rules (no fs, no __dirname).
const { existsSync, readdirSync, readFileSync } = require('fs');
const { dirname, join } = require('path');
const { identityRecord } = require('../../../nodes/shared/identity');

/** What n8n needs next to every node: its codex file and output schemas (checked in real n8n by test/e2e/codex.e2e.js). */
const ROOT = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const sources = pkg.n8n.nodes.map((file) =>
	join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '')),
);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const { headingAnchors } = require('../../helpers/readmeAnchors');
const README_ANCHORS = headingAnchors(readFileSync(join(ROOT, 'README.md'), 'utf8'));

function schemaFiles(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? schemaFiles(join(dir, entry.name)) : [join(dir, entry.name)],
	);
}

describe.each(sources)('%s', (source) => {
	const codex = readJson(`${source}.json`);
	// the description's first `name:` is the node's
	const text = readFileSync(`${source}.ts`, 'utf8');
	const name = /\bname: '(\w+)'/.exec(text.slice(text.indexOf('INodeTypeDescription = {')))[1];

	it('has a codex naming the node, with KYC among its aliases', () => {
		expect(codex).toMatchObject({
			node: `n8n-nodes-kyc.${name}`,
			nodeVersion: '1.0',
			codexVersion: '1.0',
		});
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.alias).toEqual(expect.arrayContaining(['KYC', 'identity']));
	});

	it('links to sections of the README on the package homepage', () => {
		const urls = [
			...codex.resources.primaryDocumentation,
			...codex.resources.credentialDocumentation,
		].map((link) => link.url);
		for (const url of urls) {
			const [base, anchor] = url.split('#');
			expect(base).toBe(pkg.homepage);
			// a README heading renamed or moved under another title breaks the editor's Docs link
			expect([...README_ANCHORS]).toContain(anchor);
		}
	});

	it('has output schemas whose identity records list every field of the normalized record', () => {
		const files = schemaFiles(join(dirname(source), '__schema__'));
		expect(files.length).toBeGreaterThan(0);
		const recordFields = Object.keys(identityRecord('apptenticate', {}, {}, true)).sort();
		for (const file of files) {
			const schema = readJson(file);
			expect(schema).toMatchObject({ type: 'object', version: 1 });
			const fields = Object.keys(schema.properties);
			if (fields.includes('vendor')) expect(fields.sort()).toEqual(recordFields);
		}
	});
});
