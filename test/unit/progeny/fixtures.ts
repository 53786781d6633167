import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { ProgenyApi } from '../../../credentials/ProgenyApi.credentials';
import type { CredentialSetup } from '../../helpers/fakeN8n';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const images = require('../../fixtures/images.js') as {
	makeJpeg: (marker?: string) => Buffer;
	makePng: (marker?: string) => Buffer;
	markerOf: (buffer: Buffer) => string | null;
};
// The sandbox's strict parser: a body it rejects is a body a strict server would reject.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multipart = require('../../sandbox/multipart.js') as {
	parseMultipart: (
		body: Buffer,
		contentType: string,
	) => {
		parts: Array<{
			name: string;
			filename: string | null;
			contentType: string | null;
			data: Buffer;
		}>;
	};
};

export const { makeJpeg, makePng, markerOf } = images;

export const ORIGIN = 'https://progeny.test';
export const API_PATH = '/api/v3';
export const BASE = `${ORIGIN}${API_PATH}`;
export const TOKEN_PATH = `${API_PATH}/accounts/token/obtain/`;
export const UPLOAD_PATH = `${API_PATH}/services/ocr_passport/`;
export const TASK_PATH = `${API_PATH}/services/task/`;
export const TASK_ID = 'efe46711-b1d8-43f1-9d02-7a54c43b79a2';

export function progenyCredential(accessToken = ''): CredentialSetup {
	return {
		type: new ProgenyApi(),
		data: {
			baseUrl: `${BASE}/`,
			username: 'ops@example.com',
			password: 's3cret-pass',
			accessToken,
		},
	};
}

/** Seed 004's finished task, verbatim. */
export const SEED_SUCCESS = {
	id: 2188,
	status: 'SUCCESS',
	result: {
		status: 200,
		data: {
			document: {
				is_valid: true,
				is_expired: false,
				dateOfBirth: '1991-9-24',
				age: 30,
				firstName: 'VALERIA',
				lastName: 'PERFILOVA',
				dateOfIssue: 'None-None-None',
				dateOfExpiry: '2023-9-25',
				documentNumber: 'XX008080',
				sex: 'F',
				nationality: 'UKRAINIAN',
				portrait: 'images/services/ocr_passport/9456633680.jpg',
				portrait_url: 'https://dev.progeny.tech/media/images/services/ocr_passport/9456633680.jpg',
			},
			compare: true,
			liveness: true,
		},
	},
};

/** A finished task with the document's fields replaced or added. */
export function successWith(document: IDataObject = {}, data: IDataObject = {}) {
	return {
		...SEED_SUCCESS,
		result: {
			...SEED_SUCCESS.result,
			data: {
				...SEED_SUCCESS.result.data,
				...data,
				document: { ...SEED_SUCCESS.result.data.document, ...document },
			},
		},
	};
}

export const running = (status: string) => ({ id: 2188, status, result: null });

// ---------------------------------------------------------------------------------------------
// What was sent, as the server saw it
// ---------------------------------------------------------------------------------------------

export interface SeenRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: Record<string, string>;
	body: Buffer;
	/** When it arrived (Date.now()). */
	at: number;
}

export const seen: SeenRequest[] = [];

/** nock hands a binary body over hex-encoded, a text body as it is. */
function bodyBuffer(body: unknown, contentType: string): Buffer {
	if (body === undefined || body === null || body === '') return Buffer.alloc(0);
	if (typeof body !== 'string') return Buffer.from(JSON.stringify(body));
	const hex =
		/^multipart\//i.test(contentType) && !body.startsWith('--') && /^[0-9a-f]*$/i.test(body);
	return Buffer.from(body, hex ? 'hex' : 'utf8');
}

type ReplyContext = {
	req: { method: string; path: string; headers: Record<string, string | string[]> };
};

export function remember(context: ReplyContext, body: unknown): SeenRequest {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(context.req.headers))
		headers[key.toLowerCase()] = String(value);
	const url = new URL(context.req.path, ORIGIN);
	const request: SeenRequest = {
		method: context.req.method,
		path: url.pathname,
		query: url.searchParams,
		headers,
		body: bodyBuffer(body, headers['content-type'] ?? ''),
		at: Date.now(),
	};
	seen.push(request);
	return request;
}

export const requestsTo = (path: string) => seen.filter((request) => request.path === path);

export interface SentForm {
	names: string[];
	fields: Record<string, string>;
	files: Record<string, { filename: string | null; contentType: string | null; data: Buffer }>;
}

export function formOf(request: SeenRequest): SentForm {
	const { parts } = multipart.parseMultipart(request.body, request.headers['content-type']);
	const form: SentForm = { names: parts.map((part) => part.name), fields: {}, files: {} };
	for (const part of parts) {
		if (part.filename === null) form.fields[part.name] = part.data.toString('utf8');
		else
			form.files[part.name] = {
				filename: part.filename,
				contentType: part.contentType,
				data: part.data,
			};
	}
	return form;
}

// ---------------------------------------------------------------------------------------------
// Progeny, emulated with nock
// ---------------------------------------------------------------------------------------------

/** The token endpoint: the first answer gives `tokens[0]`, the next `tokens[1]`, and so on. */
export function tokenEndpoint(...tokens: string[]) {
	const list = tokens.length ? tokens : ['jwt-1'];
	let next = 0;
	return nock(ORIGIN)
		.post(TOKEN_PATH)
		.times(list.length)
		.reply(function (_uri, body) {
			remember(this as unknown as ReplyContext, body);
			return [200, { refresh: 'refresh-token', access: list[Math.min(next++, list.length - 1)] }];
		});
}

export function uploadEndpoint(answer: unknown = { id: TASK_ID }, status = 200) {
	return nock(ORIGIN)
		.post(UPLOAD_PATH)
		.reply(function (_uri, body) {
			remember(this as unknown as ReplyContext, body);
			return [status, answer as IDataObject];
		});
}

/** The task endpoint answering `answers` in turn (the last one again if asked more often). */
export function taskEndpoint(...answers: unknown[]) {
	let next = 0;
	return nock(ORIGIN)
		.get(TASK_PATH)
		.query(true)
		.times(answers.length)
		.reply(function (_uri, body) {
			remember(this as unknown as ReplyContext, body);
			return [200, answers[Math.min(next++, answers.length - 1)] as IDataObject];
		});
}

/** A task endpoint that always answers `answer` (for timeouts and cancellation). */
export function taskEndpointForever(answer: unknown) {
	return nock(ORIGIN)
		.get(TASK_PATH)
		.query(true)
		.reply(function (_uri, body) {
			remember(this as unknown as ReplyContext, body);
			return [200, answer as IDataObject];
		})
		.persist();
}

export function resetHttp() {
	nock.cleanAll();
	seen.length = 0;
}

/** Fast polling for tests; the node's defaults are 2 s / 2 s / 120 s. */
export const FAST = { firstDelaySeconds: 0, pollIntervalSeconds: 0.01, timeoutSeconds: 5 };
