const { parallel, src, dest, task } = require('gulp');

// tsc only emits JavaScript. Copied beside it: the icons that nodes and credentials point at, each
// node's codex file (<Node>.node.json: categories, search aliases, documentation links) and
// output schemas (__schema__/), which n8n looks for next to the node's .js, and the package's
// (empty) entry point.
task(
	'build:static',
	parallel(
		() => src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons')),
		() => src(['nodes/**/*.node.json', 'nodes/**/__schema__/**/*.json']).pipe(dest('dist/nodes')),
		() => src('index.js').pipe(dest('dist')),
	),
);
