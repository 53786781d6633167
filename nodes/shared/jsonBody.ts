import { randomBytes } from 'crypto';
import type { ImageFile } from './binaryImage';
import { newRequestBody } from './requestBody';

const QUOTE = 0x22;
const BASE64_PIECE = 3 * 16 * 1024;

/** An image that a JSON body (see jsonBody) carries as a base64 string. */
export class Base64Image {
	constructor(readonly image: ImageFile) {}
}

/**
 * A JSON request body as one Buffer of its final size, with each Base64Image written in as
 * base64 straight from n8n's binary store, a chunk at a time. Given an object with base64
 * strings, axios runs JSON.stringify over it, which scans every character of the images for
 * escapes (about 1.5 ms per 100 KB image in the benchmark's profile); and the image's bytes
 * and its base64 string would both live as long as the call. n8n sends a Buffer body as is,
 * and the package sends it again after a refused token.
 */
export async function jsonBody(value: object): Promise<Buffer> {
	const images: ImageFile[] = [];
	const marker = `kyc-image-${randomBytes(8).toString('hex')}-`;
	const text = JSON.stringify(value, (_key, field: unknown) => {
		if (!(field instanceof Base64Image)) return field;
		images.push(field.image);
		return `${marker}${images.length - 1}`;
	});
	// the JSON around the images, then each image in its quotes, written into one Buffer
	const segments = text.split(new RegExp(`"${marker}\\d+"`));
	const size =
		segments.reduce((sum, segment) => sum + Buffer.byteLength(segment), 0) +
		images.reduce((sum, image) => sum + Math.ceil(image.size / 3) * 4 + 2, 0);
	const body = newRequestBody(size);
	let offset = body.write(segments[0]);
	for (const [index, image] of images.entries()) {
		body[offset++] = QUOTE;
		offset = await writeBase64(image, body, offset);
		body[offset++] = QUOTE;
		offset += body.write(segments[index + 1], offset);
	}
	return body;
}

/**
 * Writes an image as base64, in pieces of 48 KB: a 64 KB string is short-lived in V8's young
 * generation, while one of over 128 KB would be a large object. A chunk's last 1 or 2 bytes wait
 * for the next chunk.
 */
async function writeBase64(image: ImageFile, body: Buffer, offset: number): Promise<number> {
	let rest: Buffer = Buffer.alloc(0);
	for await (const chunk of image.read()) {
		const bytes = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
		const whole = bytes.length - (bytes.length % 3);
		for (let start = 0; start < whole; start += BASE64_PIECE) {
			const piece = bytes.toString('base64', start, Math.min(start + BASE64_PIECE, whole));
			offset += body.write(piece, offset, 'latin1');
		}
		// a copy: the chunk is freed when the next one is read (ImageFile.read)
		rest = Buffer.from(bytes.subarray(whole));
	}
	return offset + body.write(rest.toString('base64'), offset, 'latin1');
}
