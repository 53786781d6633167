import type { ImageFile } from '../../../nodes/shared/binaryImage';
import { Base64Image, jsonBody } from '../../../nodes/shared/jsonBody';
import { freeMemory } from '../../../nodes/shared/requestBody';

describe('jsonBody: a JSON body with its images written in as base64', () => {
	// sizes around the 48 KB chunk and not multiples of 3, so padding and chunk joins show
	const bytes = (size: number, seed: number) =>
		Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 256));
	// a store that gives chunks of a size that is no multiple of 3
	const imageFile = (data: Buffer, chunk: number): ImageFile => ({
		fileName: 'image.jpg',
		mimeType: 'image/jpeg',
		size: data.length,
		read: async function* () {
			for (let start = 0; start < data.length; start += chunk) {
				yield data.subarray(start, start + chunk);
			}
		},
	});

	it('is the JSON that JSON.stringify makes of the same body with base64 strings', async () => {
		const images = [bytes(100_001, 1), bytes(49_152, 2), bytes(3000, 3), bytes(1, 4), bytes(0, 5)];
		const body = (image: (data: Buffer, index: number) => unknown) => ({
			id: 'req "1" \\ ü 🙂 \u0001',
			images: [
				{ content: image(images[0], 0), faceImage: image(images[1], 1) },
				{ content: image(images[2], 2) },
			],
			more: [image(images[3], 3), image(images[4], 4)],
			note: 'kyc-image-0123456789abcdef-0',
			certify: true,
		});
		// one chunk of over 48 KB (an image read whole), and chunks that split the 3-byte groups
		const chunks = [100_001, 1000, 7, 2, 1];
		const sent = await jsonBody(
			body((data, index) => new Base64Image(imageFile(data, chunks[index]))),
		);
		expect(Buffer.isBuffer(sent)).toBe(true);
		expect(sent.toString('utf8')).toBe(JSON.stringify(body((data) => data.toString('base64'))));
	});

	it("the same when each chunk is freed as the next is read, as filesystem mode's are", async () => {
		const image = bytes(159_997, 6);
		const chunks: Buffer[] = [];
		const freed: ImageFile = {
			...imageFile(image, 0),
			read: async function* () {
				// chunks of their own memory (n8n's file stream), each split inside a 3-byte group
				for (let start = 0; start < image.length; start += 49_999) {
					const chunk = Buffer.allocUnsafeSlow(Math.min(49_999, image.length - start));
					image.copy(chunk, 0, start);
					chunks.push(chunk);
					yield chunk;
					freeMemory(chunk);
				}
			},
		};
		const sent = await jsonBody({ content: new Base64Image(freed) });
		expect(chunks.map((chunk) => chunk.length)).toEqual([0, 0, 0, 0]);
		expect(sent.toString('utf8')).toBe(JSON.stringify({ content: image.toString('base64') }));
	});

	it('leaves a body without images as JSON.stringify writes it', async () => {
		const value = { content: 42, images: [], name: 'content', text: 'aGVsbG8=' };
		expect((await jsonBody(value)).toString('utf8')).toBe(JSON.stringify(value));
	});
});
