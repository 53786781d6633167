import type { IExecuteFunctions, IHttpRequestOptions, NodeApiError } from 'n8n-workflow';
import { z } from 'zod';
import { detectFileType } from '../shared/binaryImage';
import type { ImageFile, ImageRules } from '../shared/binaryImage';
import { explainFailure, failureWithoutAnswer, readHttpFailure, vendorError } from '../shared/errors';
import type { HttpFailure } from '../shared/errors';
import { authenticatedRequest, isSameOrigin, vendorConnection } from '../shared/http';
import type { VendorApi, VendorConnection } from '../shared/http';
import { multipartBody } from '../shared/multipart';

export const CREDENTIAL_TYPE = 'progenyApi';
const PROGENY: VendorApi = { credentialType: CREDENTIAL_TYPE, vendorName: 'Progeny' };

/** Seed 004: "PNG, JPEG, or JPG"; no size limit is documented (only a 1080 px height advice). */
export const PROGENY_IMAGE_RULES: ImageRules = { formats: ['jpeg', 'png'], vendorName: 'Progeny' };

export type ProgenyContext = VendorConnection & { ctx: IExecuteFunctions };

export async function progenyContext(ctx: IExecuteFunctions): Promise<ProgenyContext> {
	return (await vendorConnection(ctx, CREDENTIAL_TYPE)) as ProgenyContext;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Django REST framework answers `{"detail": "..."}` or `{"field": ["message", ...]}`. */
const failureBody = z.union([z.string(), z.record(z.unknown())]);

const MAX_QUOTE = 500;
const shorten = (text: string) => (text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}...` : text);

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
	for (const text of [detail, message, error]) if (typeof text === 'string' && text.trim()) return shorten(text.trim());
	const fields = Object.entries(parsed.data)
		.filter(([, value]) => Array.isArray(value) || typeof value === 'string')
		.map(([field, value]) => `${field}: ${Array.isArray(value) ? value.map(String).join(' ') : String(value)}`);
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
		message: withoutAnswer ? `Progeny ${action} failed: ${withoutAnswer.message}` : `Progeny ${action} failed: ${explainFailure(failure)}`,
		description: [
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

function unexpectedAnswer(ctx: IExecuteFunctions, what: string, itemIndex: number, taskId?: string) {
	const error = vendorError(ctx, {
		vendor: 'progeny',
		message: `Progeny answered the ${what} with something this node does not understand`,
		description: taskId ? `Task ID: ${taskId}.` : undefined,
		itemIndex,
	});
	if (taskId) error.context.taskId = taskId;
	return error;
}

// ---------------------------------------------------------------------------------------------
// Upload and task look-up
// ---------------------------------------------------------------------------------------------

const uploadAnswer = z.object({ id: z.union([z.string().trim().min(1), z.number()]) }).passthrough();

/** Sends the passport image; Progeny answers with the id of the task that reads it. */
export async function uploadPassport(
	progeny: ProgenyContext,
	image: ImageFile,
	extendData: boolean,
	itemIndex: number,
): Promise<string> {
	// extend_data is sent every time: seed 004's 400 example says "This field is required."
	const { body, contentType } = multipartBody(
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
		{ method: 'GET', url: `${baseUrl}/services/task/`, qs: { id: taskId }, json: true, idempotent: true },
		(failure) => httpError(ctx, failure, 'task look-up', itemIndex, taskId),
	);
	const parsed = taskAnswer.safeParse(answer);
	if (!parsed.success) throw unexpectedAnswer(ctx, 'task look-up', itemIndex, taskId);
	return parsed.data;
}

export type TaskState = 'done' | 'failed' | 'running';

/** Celery's terminal failure states (Progeny runs its services as Celery tasks). */
const FAILED_STATUSES = ['FAILURE', 'REVOKED', 'REJECTED', 'ERROR'];

/** The HTTP-like status Progeny puts in `result.status`, when there is one. */
export function resultStatus(task: ProgenyTask): number | undefined {
	const result = task.result as { status?: unknown } | null | undefined;
	const status = Number(typeof result === 'object' && result !== null ? result.status : undefined);
	return Number.isFinite(status) ? status : undefined;
}

/**
 * SUCCESS is done, a Celery failure state is failed; anything else (PENDING, STARTED,
 * RECEIVED, RETRY, PROGRESS, unknown) is still running. A finished task whose result carries
 * an error status (>= 400) failed as well.
 */
export function taskState(task: ProgenyTask): TaskState {
	const status = task.status.trim().toUpperCase();
	if (FAILED_STATUSES.includes(status)) return 'failed';
	if (status !== 'SUCCESS') return 'running';
	const code = resultStatus(task);
	return code !== undefined && code >= 400 ? 'failed' : 'done';
}

/** A failed task: the vendor's answer is kept in the description, the task id in the context. */
export function taskFailedError(ctx: IExecuteFunctions, taskId: string, task: ProgenyTask, itemIndex: number) {
	const code = resultStatus(task);
	const status = task.status.trim().toUpperCase();
	const words =
		vendorWords((task.result as { data?: unknown } | undefined)?.data) ?? vendorWords(task.result);
	const answer = shorten(JSON.stringify(task.result ?? null));
	const error = vendorError(ctx, {
		vendor: 'progeny',
		message:
			status === 'SUCCESS'
				? `Progeny could not read the passport (task ${taskId} finished with status ${code})`
				: `Progeny's passport reading failed (task ${taskId} ended with status ${status})`,
		description: `Progeny's answer: ${answer}. Check that the image shows the passport's photo page, sharp and at most 1080 px high, then try again.`,
		vendorCode: status === 'SUCCESS' ? code : status,
		vendorMessage: words,
		itemIndex,
	});
	error.context.taskId = taskId;
	return error;
}

/** The task did not finish in time: the id is kept so the result can be fetched later. */
export function taskTimeoutError(
	ctx: IExecuteFunctions,
	taskId: string,
	timeoutSeconds: number,
	lastStatus: string,
	itemIndex: number,
) {
	const error = vendorError(ctx, {
		vendor: 'progeny',
		message: `Progeny did not finish task ${taskId} within ${timeoutSeconds} seconds (last status: ${lastStatus})`,
		description: `The task may still finish. Fetch it later with the operation "Get Task Result" and task ID ${taskId}, or raise the option "Timeout (Seconds)".`,
		itemIndex,
	});
	error.context.taskId = taskId;
	return error;
}

// ---------------------------------------------------------------------------------------------
// Portrait
// ---------------------------------------------------------------------------------------------

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

function asBuffer(data: unknown): Buffer | undefined {
	if (Buffer.isBuffer(data)) return data;
	if (data instanceof ArrayBuffer) return Buffer.from(data);
	if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	return undefined;
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
): Promise<ImageFile> {
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
			description: `Task ID: ${taskId}. Turn off the option "Download Portrait" to get the passport data without the portrait.`,
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
			error.description = `The portrait is on ${url.host}, not on the credential's host, so it was requested without the Progeny token. ${error.description ?? ''}`.trim();
		}
		return error;
	};
	let answer: unknown;
	if (sameOrigin) {
		answer = await authenticatedRequest<unknown>(PROGENY, progeny, { ...options, idempotent: true }, toError);
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
		fileName: /\.(jpe?g|png)$/i.test(lastSegment) ? lastSegment : `portrait.${EXTENSIONS[mimeType]}`,
		mimeType,
	};
}
