import { randomBytes } from 'crypto';
import type { ImageFile } from './binaryImage';

export interface MultipartBody {
	body: Buffer;
	contentType: string;
}

/**
 * Serializes a multipart/form-data body into one Buffer. n8n re-sends a Buffer body after it
 * refreshes an expired token, while it does not replay FormData streams (see README); and one
 * Buffer.concat keeps a single copy of each image in memory.
 */
export function multipartBody(
	fields: Record<string, string | undefined>,
	files: Record<string, ImageFile | undefined>,
): MultipartBody {
	const boundary = `----n8nKycBoundary${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	const head = (disposition: string, contentType?: string) =>
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n` +
				(contentType ? `Content-Type: ${contentType}\r\n` : '') +
				'\r\n',
		);
	const quoted = (value: string) => `"${value.replace(/["\r\n\\]/g, '_')}"`;
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		chunks.push(head(`name=${quoted(name)}`), Buffer.from(value), Buffer.from('\r\n'));
	}
	for (const [name, file] of Object.entries(files)) {
		if (!file) continue;
		chunks.push(
			head(`name=${quoted(name)}; filename=${quoted(file.fileName)}`, file.mimeType),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
