import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * A JSON request body as one Buffer, with the base64 images under `base64Keys` copied in as
 * bytes. Given an object, axios runs JSON.stringify over it, which scans every character of the
 * images for escapes (about 1.5 ms per 100 KB image in the benchmark's profile, the largest part
 * of LINK Verify's own time per item); base64 needs no escaping. n8n sends a Buffer body as is
 * and sends it again after a token refresh.
 */
export function jsonBody(value: IDataObject, base64Keys: string[]): Buffer {
	const images: string[] = [];
	const marker = `kyc-image-${randomBytes(8).toString('hex')}-`;
	const text = JSON.stringify(value, (key, field: unknown) => {
		if (typeof field !== 'string' || !base64Keys.includes(key)) return field;
		images.push(field);
		return `${marker}${images.length - 1}`;
	});
	const chunks: Buffer[] = [];
	let rest = text;
	images.forEach((image, index) => {
		const placeholder = `"${marker}${index}"`;
		const at = rest.indexOf(placeholder);
		chunks.push(
			Buffer.from(`${rest.slice(0, at)}"`),
			Buffer.from(image, 'latin1'),
			Buffer.from('"'),
		);
		rest = rest.slice(at + placeholder.length);
	});
	chunks.push(Buffer.from(rest));
	return Buffer.concat(chunks);
}
