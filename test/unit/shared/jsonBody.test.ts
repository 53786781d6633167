import { jsonBody } from '../../../nodes/shared/jsonBody';

describe('jsonBody: a JSON body with its base64 images copied in as bytes', () => {
	const image = (seed: number) => Buffer.alloc(3000, seed).toString('base64');

	it('is the same JSON as JSON.stringify, whatever the other strings hold', () => {
		const value = {
			id: 'req "1" \\ ü 🙂 \u0001',
			images: [{ content: image(1), faceImage: image(2) }, { content: image(3) }],
			note: 'kyc-image-0123456789abcdef-0',
			certify: true,
		};
		const body = jsonBody(value, ['content', 'faceImage']);
		expect(Buffer.isBuffer(body)).toBe(true);
		expect(body.toString('utf8')).toBe(JSON.stringify(value));
	});

	it('leaves strings under other keys to JSON.stringify, and an object without images unchanged', () => {
		const value = { content: 42, images: [], name: 'content' };
		expect(jsonBody(value, ['content']).toString('utf8')).toBe(JSON.stringify(value));
	});
});
