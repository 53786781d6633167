import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';
import type { ImageFile, ImageRules } from '../shared/binaryImage';
import { explainFailure, failureWithoutAnswer, vendorError } from '../shared/errors';
import type { HttpFailure } from '../shared/errors';
import { authenticatedRequest, vendorConnection } from '../shared/http';
import type { VendorApi, VendorConnection } from '../shared/http';
import { multipartBody } from '../shared/multipart';
import { APPTENTICATE_ERROR_CODES, APPTENTICATE_ERROR_HINTS } from './errorCodes';

export const CREDENTIAL_TYPE = 'apptenticateApi';
const APPTENTICATE: VendorApi = { credentialType: CREDENTIAL_TYPE, vendorName: 'Apptenticate' };

/** "Images sent in jpg format must not exceed 2MB" (seeds 000, 001, 002). */
export const APPTENTICATE_IMAGE_RULES: ImageRules = {
	formats: ['jpeg'],
	maxBytes: 2 * 1024 * 1024,
	vendorName: 'Apptenticate',
};

const failureBody = z
	.object({
		error_code: z.coerce.number().optional(),
		error: z.string().optional(),
		detail: z.string().optional(),
		details: z.record(z.unknown()).optional(),
		// Seed 002's biometry answer: {"valid": false, "message": "...", "code": 903}.
		code: z.unknown().optional(),
		message: z.string().nullish(),
	})
	.passthrough();

function apptenticateError(ctx: IExecuteFunctions, failure: HttpFailure, itemIndex: number) {
	const withoutAnswer = failureWithoutAnswer('Apptenticate', failure);
	if (withoutAnswer)
		return vendorError(ctx, { vendor: 'apptenticate', ...withoutAnswer, itemIndex });
	const parsed = failureBody.safeParse(failure.body);
	const body = parsed.success ? parsed.data : {};
	const biometryCode = Number(body.code);
	const code =
		body.error_code ??
		(body.code !== undefined && Number.isInteger(biometryCode) ? biometryCode : undefined);
	if (code !== undefined) {
		const english = APPTENTICATE_ERROR_CODES[code] ?? 'Apptenticate could not process the request';
		const details = body.details ? Object.values(body.details).map(String).join('; ') : '';
		const vendorMessage = body.error ?? body.message ?? undefined;
		return vendorError(ctx, {
			vendor: 'apptenticate',
			message: `Apptenticate error ${code}: ${english}`,
			description: [
				APPTENTICATE_ERROR_HINTS[code],
				vendorMessage ? `Apptenticate's message: "${vendorMessage}"` : undefined,
				details ? `Details: ${details}` : undefined,
			]
				.filter(Boolean)
				.join(' '),
			vendorCode: code,
			vendorMessage,
			httpCode: failure.status,
			itemIndex,
		});
	}
	const reason = explainFailure(failure);
	return vendorError(ctx, {
		vendor: 'apptenticate',
		message: `Apptenticate request failed: ${reason}`,
		description: body.detail ? `Apptenticate's message: "${body.detail}"` : undefined,
		httpCode: failure.status,
		itemIndex,
	});
}

export type ApptenticateContext = VendorConnection & { ctx: IExecuteFunctions };

export async function apptenticateContext(ctx: IExecuteFunctions): Promise<ApptenticateContext> {
	return (await vendorConnection(ctx, CREDENTIAL_TYPE)) as ApptenticateContext;
}

/**
 * Sends one multipart call. `path` is appended to the credential's base URL unless it is a
 * full URL, which must then be on the credential's address (the legacy biometry endpoint).
 */
export async function apptenticatePost(
	apptenticate: ApptenticateContext,
	path: string,
	fields: Record<string, string | undefined>,
	files: Record<string, ImageFile | undefined>,
	itemIndex: number,
): Promise<IDataObject> {
	const { body, contentType } = await multipartBody(fields, files);
	const { ctx, baseUrl } = apptenticate;
	const url = /^https?:\/\//i.test(path) ? path : `${baseUrl}/${path.replace(/^\/+/, '')}`;
	const answer = await authenticatedRequest<unknown>(
		APPTENTICATE,
		apptenticate,
		{ method: 'POST', url, body, headers: { 'Content-Type': contentType }, json: true },
		(failure) => apptenticateError(ctx, failure, itemIndex),
	);
	const parsed = failureBody.safeParse(answer);
	if (!parsed.success || Array.isArray(answer)) {
		throw vendorError(ctx, {
			vendor: 'apptenticate',
			message: 'Apptenticate answered with something that is not a JSON object',
			itemIndex,
		});
	}
	// Failed OCR can come back with HTTP 200 and an error_code (seed 001's example).
	if (parsed.data.error_code !== undefined) {
		throw apptenticateError(ctx, { kind: 'answer', status: 200, body: answer }, itemIndex);
	}
	return answer as IDataObject;
}

/** Apptenticate's examples send Python-style booleans. */
export const pythonBoolean = (value: boolean) => (value ? 'True' : 'False');
