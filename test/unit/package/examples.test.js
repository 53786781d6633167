// The sample images in examples/images are the sandbox's test images (test/fixtures/images.js):
// tiny valid JPEGs whose marker picks the sandbox's person 1. Regenerate with makeJpeg('PERSON=1').
const { readFileSync } = require('fs');
const { join } = require('path');
const { makeJpeg, markerOf } = require('../../fixtures/images');

test.each(['front', 'back', 'selfie'])(
	'examples/images/%s.jpg is the sandbox image of person 1',
	(name) => {
		const image = readFileSync(join(__dirname, '../../../examples/images', `${name}.jpg`));
		expect(image.equals(makeJpeg('PERSON=1'))).toBe(true);
		expect(markerOf(image)).toContain('PERSON=1');
	},
);

// The images the examples' manual triggers make (base64 in their Set nodes) are the sandbox's
// images: the shipped samples, or (the Progeny batch) persons 1 to 3.
const { readdirSync } = require('fs');
const EXAMPLES = join(__dirname, '../../../examples');
const embeddedImages = (workflow) =>
	workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.set' && node.parameters.mode === 'raw')
		.flatMap((node) =>
			[...node.parameters.jsonOutput.matchAll(/"\/9j\/[A-Za-z0-9+/=]+"/g)].map((m) =>
				Buffer.from(JSON.parse(m[0]), 'base64'),
			),
		);

test.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')))(
	'%s: embedded images are sandbox images',
	(file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
		const hasManualTrigger = workflow.nodes.some(
			(node) => node.type === 'n8n-nodes-base.manualTrigger',
		);
		const images = embeddedImages(workflow);
		expect(images.length > 0).toBe(hasManualTrigger);
		const sample = readFileSync(join(EXAMPLES, 'images', 'front.jpg'));
		for (const image of images) {
			const marker = markerOf(image);
			expect(marker).toMatch(/^PERSON=[123]$/);
			expect(image.equals(makeJpeg(marker))).toBe(true);
			if (file !== 'progeny-passport-batch.json') expect(image.equals(sample)).toBe(true);
		}
	},
);
