// Links to README sections (`#anchor`, from the README itself and from examples/README.md) must
// name a heading the README has: moving or renaming a section would break them silently.
const { readFileSync } = require('fs');
const { join } = require('path');
const { headingAnchors } = require('../../helpers/readmeAnchors');

const ROOT = join(__dirname, '../../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const anchors = headingAnchors(readme);

test('GitHub anchors: lower case, punctuation dropped but - and _, spaces to -, repeats numbered', () => {
	expect([
		...headingAnchors(
			'# n8n-nodes-kyc\n## Tokens, retries and time-outs\n### `npm run dev`\n## Usage\n## Usage\n```\n## not a heading\n```\n',
		),
	]).toEqual(['n8n-nodes-kyc', 'tokens-retries-and-time-outs', 'npm-run-dev', 'usage', 'usage-1']);
});

test.each([
	['README.md', readme, /\]\(#([^)]+)\)/g],
	[
		'examples/README.md',
		readFileSync(join(ROOT, 'examples/README.md'), 'utf8'),
		/\]\(\.\.\/README\.md#([^)]+)\)/g,
	],
])('%s links only to README headings that exist', (_, text, link) => {
	const targets = [...text.matchAll(link)].map((match) => match[1]);
	expect(targets.filter((target) => !anchors.has(target))).toEqual([]);
});
