const { parallel, src, dest, task } = require('gulp');

// tsc only emits JavaScript: the icons that nodes and credentials point at, and the package's
// (empty) entry point, are copied beside it.
task(
	'build:icons',
	parallel(
		() => src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons')),
		() => src('index.js').pipe(dest('dist')),
	),
);
