import type { SentRequest } from './fakeN8n';

// The sandbox's strict parser: a body it rejects is a body a strict vendor would reject.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseMultipart } = require('../sandbox/multipart.js') as {
	parseMultipart: (
		body: Buffer,
		contentType: string,
		options?: { contentLength?: number },
	) => { parts: Array<{ name: string; filename?: string; contentType?: string; data: Buffer }> };
};

export interface SentForm {
	fields: Record<string, string>;
	files: Record<string, { filename?: string; contentType?: string; data: Buffer }>;
	names: string[];
}

/** The fields and files of a multipart request, as the vendor would see them. */
export function formOf(request: SentRequest): SentForm {
	const contentType = request.headers['content-type'];
	const { parts } = parseMultipart(request.body ?? Buffer.alloc(0), contentType, {
		contentLength: request.body?.length,
	});
	const form: SentForm = { fields: {}, files: {}, names: parts.map((part) => part.name) };
	for (const part of parts) {
		if (part.filename !== undefined && part.filename !== null) {
			form.files[part.name] = {
				filename: part.filename,
				contentType: part.contentType,
				data: part.data,
			};
		} else {
			form.fields[part.name] = part.data.toString('utf8');
		}
	}
	return form;
}
