import { Base64Bytes, jsonBody } from '../../../nodes/shared/jsonBody';

describe('jsonBody: a JSON body with its images written in as base64', () => {
	// sizes around the 48 KB chunk and not multiples of 3, so padding and chunk joins show
	const bytes = (size: number, seed: number) =>
		Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 256));

	it('is the JSON that JSON.stringify makes of the same body with base64 strings', () => {
		const images = [bytes(100_001, 1), bytes(49_152, 2), bytes(3000, 3), bytes(1, 4), bytes(0, 5)];
		const body = (image: (data: Buffer) => unknown) => ({
			id: 'req "1" \\ ü 🙂 \u0001',
			images: [
				{ content: image(images[0]), faceImage: image(images[1]) },
				{ content: image(images[2]) },
			],
			more: [image(images[3]), image(images[4])],
			note: 'kyc-image-0123456789abcdef-0',
			certify: true,
		});
		const sent = jsonBody(body((data) => new Base64Bytes(data)));
		expect(Buffer.isBuffer(sent)).toBe(true);
		expect(sent.toString('utf8')).toBe(JSON.stringify(body((data) => data.toString('base64'))));
	});

	it('leaves a body without images as JSON.stringify writes it', () => {
		const value = { content: 42, images: [], name: 'content', text: 'aGVsbG8=' };
		expect(jsonBody(value).toString('utf8')).toBe(JSON.stringify(value));
	});
});
