// The published package holds the compiled nodes and credentials, their icons, package.json,
// README and LICENSE: nothing else (no sources, tests, sandbox or examples).
const { execFileSync } = require('child_process');
const pkg = require('../package.json');

const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = report.files.map((file) => file.path);
const unexpected = files.filter((file) => !/^(dist\/.+\.(js|svg|png)|package\.json|README\.md|LICENSE\.md)$/.test(file));
const declared = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
const missing = declared.filter((file) => !files.includes(file));
const problems = [
	...unexpected.map((file) => `unexpected file in the package: ${file}`),
	...missing.map((file) => `declared in package.json but not packed: ${file}`),
	...(pkg.dependencies && Object.keys(pkg.dependencies).length ? ['package.json has runtime dependencies'] : []),
];
if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(`package contents: ${files.length} files, all expected (${declared.length} nodes and credentials)`);
