import type { IExecuteFunctions, IHttpRequestOptions, NodeApiError } from 'n8n-workflow';
import { z } from 'zod';
import { detectFileType } from '../shared/binaryImage';
import type { ImageFile, ImageRules } from '../shared/binaryImage';
import {
	explainFailure,
	failureWithoutAnswer,
	readHttpFailure,
	vendorError,
} from '../shared/errors';
import type { HttpFailure } from '../shared/errors';
import { authenticatedRequest, isSameOrigin, vendorConnection } from '../shared/http';
import type { VendorApi, VendorConnection } from '../shared/http';
import { multipartBody } from '../shared/multipart';
import { downloadPortraitOption } from './descriptions';

export const CREDENTIAL_TYPE = 'progenyApi';
const PROGENY: VendorApi = { credentialType: CREDENTIAL_TYPE, vendorName: 'Progeny' };

/** Seed 004: "PNG, JPEG, or JPG"; no size limit is documented (only a 1080 px height advice). */
export const PROGENY_IMAGE_RULES: ImageRules = { formats: ['jpeg', 'png'], vendorName: 'Progeny' };

export type ProgenyContext = VendorConnection & { ctx: IExecuteFunctions };

export async function progenyContext(ctx: IExecuteFunctions): Promise<ProgenyContext> {
	return (await vendorConnection(ctx, CREDENTIAL_TYPE)) as ProgenyContext;
}

/** Django REST framework answers `{"detail": "..."}` or `{"field": ["message", ...]}`. */
const failureBody = z.union([z.string(), z.record(z.unknown())]);

const MAX_QUOTE = 500;
export const shorten = (text: string) =>
	text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}...` : text;

/** Progeny's own words from an error answer, or undefined when it gave none. */
export function vendorWords(body: unknown): string | undefined {
	const parsed = failureBody.safeParse(body);
	if (!parsed.success) return undefined;
	if (typeof parsed.data === 'string') {
		// An HTML error page (proxy, server crash) says nothing useful in a message.
		const text = parsed.data.trim();
		return text && !text.startsWith('<') ? shorten(text) : undefined;
	}
	const { detail, message, error } = parsed.data;
	for (const text of [detail, message, error])
		if (typeof text === 'string' && text.trim()) return shorten(text.trim());
	const fields = Object.entries(parsed.data)
		.filter(([, value]) => Array.isArray(value) || typeof value === 'string')
		.map(
			([field, value]) =>
				`${field}: ${Array.isArray(value) ? value.map(String).join(' ') : String(value)}`,
		);
	return fields.length ? shorten(fields.join('; ')) : undefined;
}

function httpError(
	ctx: IExecuteFunctions,
	failure: HttpFailure,
	action: string,
	itemIndex: number,
	taskId?: string,
): NodeApiError {
	const withoutAnswer = failureWithoutAnswer(PROGENY.vendorName, failure);
	const words = vendorWords(failure.body);
	const error = vendorError(ctx, {
		vendor: 'progeny',
		message: withoutAnswer
			? `Progeny ${action} failed: ${withoutAnswer.message}`
			: `Progeny ${action} failed: ${explainFailure(failure)}`,
		description:
			[
				withoutAnswer?.description,
				words ? `Progeny's message: "${words}"` : undefined,
				taskId ? `Task ID: ${taskId}.` : undefined,
			]
				.filter(Boolean)
				.join(' ') || undefined,
		vendorMessage: words,
		httpCode: failure.status,
		itemIndex,
	});
	if (taskId) error.context.taskId = taskId;
	return error;
}

function unexpectedAnswer(
	ctx: IExecuteFunctions,
	what: string,
	itemIndex: number,
	taskId?: string,
) {
	const error = vendorError(ctx, {
		vendor: 'progeny',
		message: `Progeny answered the ${what} with something this node does not understand`,
		description: taskId ? `Task ID: ${taskId}.` : undefined,
		itemIndex,
	});
	if (taskId) error.context.taskId = taskId;
	return error;
}

const uploadAnswer = z
	.object({ id: z.union([z.string().trim().min(1), z.number()]) })
	.passthrough();

/** Sends the passport image; Progeny answers with the id of the task that reads it. */
export async function uploadPassport(
	progeny: ProgenyContext,
	image: ImageFile,
	extendData: boolean,
	itemIndex: number,
): Promise<string> {
	// extend_data is sent every time: seed 004's 400 example says "This field is required."
	const { body, contentType } = await multipartBody(
		{ extend_data: extendData ? 'true' : 'false' },
		{ passport_image: image },
	);
	const { ctx, baseUrl } = progeny;
	const answer = await authenticatedRequest<unknown>(
		PROGENY,
		progeny,
		{
			method: 'POST',
			url: `${baseUrl}/services/ocr_passport/`,
			body,
			headers: { 'Content-Type': contentType },
			json: true,
		},
		(failure) => httpError(ctx, failure, 'passport upload', itemIndex),
	);
	const parsed = uploadAnswer.safeParse(answer);
	if (!parsed.success) throw unexpectedAnswer(ctx, 'passport upload', itemIndex);
	return String(parsed.data.id);
}

const taskAnswer = z
	.object({
		id: z.union([z.string(), z.number()]).nullish(),
		status: z.string(),
		result: z.unknown().optional(),
	})
	.passthrough();

export type ProgenyTask = z.infer<typeof taskAnswer>;

/** One look at a task: `GET /services/task/?id=`. */
export async function getTask(
	progeny: ProgenyContext,
	taskId: string,
	itemIndex: number,
): Promise<ProgenyTask> {
	const { ctx, baseUrl } = progeny;
	const answer = await authenticatedRequest<unknown>(
		PROGENY,
		progeny,
		{
			method: 'GET',
			url: `${baseUrl}/services/task/`,
			qs: { id: taskId },
			json: true,
			idempotent: true,
		},
		(failure) => httpError(ctx, failure, 'task look-up', itemIndex, taskId),
	);
	const parsed = taskAnswer.safeParse(answer);
	if (!parsed.success) throw unexpectedAnswer(ctx, 'task look-up', itemIndex, taskId);
	return parsed.data;
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

function asBuffer(data: unknown): Buffer | undefined {
	if (Buffer.isBuffer(data)) return data;
	if (data instanceof ArrayBuffer) return Buffer.from(data);
	if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	return undefined;
}

export interface Portrait {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * Downloads the cropped portrait Progeny points at. The bearer token goes only to the
 * credential's own origin: a portrait on any other host is fetched without credentials.
 */
export async function downloadPortrait(
	progeny: ProgenyContext,
	portraitUrl: string,
	taskId: string,
	itemIndex: number,
): Promise<Portrait> {
	const { ctx, baseUrl } = progeny;
	let url: URL | undefined;
	try {
		url = new URL(portraitUrl, `${baseUrl}/`);
	} catch {
		url = undefined;
	}
	if (!url || !['http:', 'https:'].includes(url.protocol)) {
		const error = vendorError(ctx, {
			vendor: 'progeny',
			message: 'Progeny gave a portrait address that is not a web address',
			description: `Task ID: ${taskId}. Turn off the option "${downloadPortraitOption.displayName}" to get the passport data without the portrait.`,
			itemIndex,
		});
		error.context.taskId = taskId;
		throw error;
	}
	const sameOrigin = isSameOrigin(url.href, baseUrl);
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: url.href,
		encoding: 'arraybuffer',
		json: false,
		timeout: progeny.timeoutMs,
	};
	const toError = (failure: HttpFailure) => {
		const error = httpError(ctx, failure, 'portrait download', itemIndex, taskId);
		if (!sameOrigin && (failure.status === 401 || failure.status === 403)) {
			error.description =
				`The portrait is on ${url.host}, not on the credential's host, so it was requested without the Progeny token. ${error.description ?? ''}`.trim();
		}
		return error;
	};
	let answer: unknown;
	if (sameOrigin) {
		answer = await authenticatedRequest<unknown>(
			PROGENY,
			progeny,
			{ ...options, idempotent: true },
			toError,
		);
	} else {
		try {
			answer = await ctx.helpers.httpRequest(options);
		} catch (caught) {
			throw toError(readHttpFailure(caught));
		}
	}
	const data = asBuffer(answer);
	const type = data ? detectFileType(data) : undefined;
	if (!data || !type?.format) {
		const error = vendorError(ctx, {
			vendor: 'progeny',
			message: "Progeny's portrait address did not return a JPEG or PNG image",
			description: `Task ID: ${taskId}. Address: ${url.href}`,
			itemIndex,
		});
		error.context.taskId = taskId;
		throw error;
	}
	const mimeType = type.format === 'png' ? 'image/png' : 'image/jpeg';
	const lastSegment = url.pathname.split('/').pop() ?? '';
	return {
		data,
		fileName: /\.(jpe?g|png)$/i.test(lastSegment)
			? lastSegment
			: `portrait.${EXTENSIONS[mimeType]}`,
		mimeType,
	};
}
