const { task, src, dest } = require('gulp');

// tsc only emits JavaScript: the icons that nodes and credentials point at are copied beside it.
task('build:icons', () => src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons')));
