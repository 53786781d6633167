// The sample images in examples/images are the sandbox's test images (test/fixtures/images.js):
// tiny valid JPEGs whose marker picks the sandbox's person 1. Regenerate with makeJpeg('PERSON=1').
const { readFileSync } = require('fs');
const { join } = require('path');
const { makeJpeg, markerOf } = require('../../fixtures/images');

test.each(['front', 'back', 'selfie'])('examples/images/%s.jpg is the sandbox image of person 1', (name) => {
	const image = readFileSync(join(__dirname, '../../../examples/images', `${name}.jpg`));
	expect(image.equals(makeJpeg('PERSON=1'))).toBe(true);
	expect(markerOf(image)).toContain('PERSON=1');
});
