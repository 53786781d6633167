import { randomBytes } from 'crypto';
import { copyImage } from './binaryImage';
import type { ImageFile } from './binaryImage';
import { newRequestBody } from './requestBody';

export interface MultipartBody {
	body: Buffer;
	contentType: string;
}

/**
 * Serializes a multipart/form-data body into one Buffer of its final size, each image read
 * straight into it: one copy of an image per call in flight. n8n sends a Buffer body as is, and
 * the package sends it again after a refused token (see README); FormData streams are not
 * replayed.
 */
export async function multipartBody(
	fields: Record<string, string | undefined>,
	files: Record<string, ImageFile | undefined>,
): Promise<MultipartBody> {
	const boundary = `----n8nKycBoundary${randomBytes(12).toString('hex')}`;
	const parts: Array<Buffer | ImageFile> = [];
	const head = (disposition: string, contentType?: string) =>
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n` +
				(contentType ? `Content-Type: ${contentType}\r\n` : '') +
				'\r\n',
		);
	const quoted = (value: string) => `"${value.replace(/["\r\n\\]/g, '_')}"`;
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		parts.push(head(`name=${quoted(name)}`), Buffer.from(`${value}\r\n`));
	}
	for (const [name, file] of Object.entries(files)) {
		if (!file) continue;
		parts.push(
			head(`name=${quoted(name)}; filename=${quoted(file.fileName)}`, file.mimeType),
			file,
			Buffer.from('\r\n'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	const size = parts.reduce(
		(sum, part) => sum + (Buffer.isBuffer(part) ? part.length : part.size),
		0,
	);
	const body = newRequestBody(size);
	let offset = 0;
	for (const part of parts) {
		offset = Buffer.isBuffer(part)
			? offset + part.copy(body, offset)
			: await copyImage(part, body, offset);
	}
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
