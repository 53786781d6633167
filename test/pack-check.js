// The published package holds the compiled nodes and credentials, their icons, codex files
// (<Node>.node.json) and output schemas (__schema__), package.json, README and LICENSE: nothing
// else (no sources, tests, sandbox or examples). And a local `npm publish` is refused.
const { execFileSync, spawnSync } = require('child_process');
const path = require('path');
const pkg = require('../package.json');

const [report] = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
);
const files = report.files.map((file) => file.path);
const unexpected = files.filter(
	(file) =>
		!/^(dist\/.+\.(js|svg|png)|dist\/nodes\/.+\.node\.json|dist\/nodes\/.+\/__schema__\/v\d+\.\d+\.\d+(\/.+)?\.json|package\.json|README\.md|LICENSE\.md)$/.test(
			file,
		),
);
const declared = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
const missing = declared.filter((file) => !files.includes(file));
// n8n reads a node's codex from the file next to it: X.node.js -> X.node.json
const withoutCodex = pkg.n8n.nodes.filter((file) => !files.includes(`${file}on`));
const withoutSchema = pkg.n8n.nodes.filter(
	(file) => !files.some((f) => f.startsWith(`${path.dirname(file)}/__schema__/`)),
);

// package.json is "private" (the publish workflow lifts it): npm refuses before sending anything.
// --force skips the registry look-up that comes before that check; the registry is unreachable.
const publish = spawnSync(
	'npm',
	[
		'publish',
		'--force',
		'--registry',
		'http://127.0.0.1:9/',
		'--//127.0.0.1:9/:_authToken=not-a-token',
	],
	{
		encoding: 'utf8',
	},
);
const problems = [
	...unexpected.map((file) => `unexpected file in the package: ${file}`),
	...missing.map((file) => `declared in package.json but not packed: ${file}`),
	...withoutCodex.map((file) => `node without its codex file: ${file}on`),
	...withoutSchema.map(
		(file) => `node without an output schema under ${path.dirname(file)}/__schema__/`,
	),
	...(pkg.dependencies && Object.keys(pkg.dependencies).length
		? ['package.json has runtime dependencies']
		: []),
	...(publish.status !== 0 && /EPRIVATE/.test(publish.stderr)
		? []
		: [`a local npm publish was not refused: ${publish.stderr}`]),
	...(pkg.scripts.prepublishOnly === 'n8n-node prerelease'
		? []
		: ['prepublishOnly is not n8n-node prerelease']),
];
if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(
	`package contents: ${files.length} files, all expected (${declared.length} nodes and credentials, ${pkg.n8n.nodes.length} codex files); local npm publish refused (EPRIVATE)`,
);
