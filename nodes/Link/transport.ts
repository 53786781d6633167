import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { z } from 'zod';
import { linkBaseUrl } from '../../credentials/LinkMobilityKycApi.credentials';
import type { ImageRules } from '../shared/binaryImage';
import { explainFailure, failureWithoutAnswer, vendorError } from '../shared/errors';
import type { HttpFailure } from '../shared/errors';
import { authenticatedRequest, vendorConnection } from '../shared/http';
import type { VendorApi, VendorConnection } from '../shared/http';
import { maxImageSizeOption } from './descriptions';

export const CREDENTIAL_TYPE = 'linkMobilityKycApi';
const VENDOR = 'linkMobility';
const LINK: VendorApi = { credentialType: CREDENTIAL_TYPE, vendorName: 'LINK Mobility' };

/**
 * LINK's examples send JPEG and PNG. LINK documents no size limit; the node's default of 10 MB per
 * image (its option "Max Image Size (MB)", which sets `maxBytes`) holds any phone photo or scan
 * (3-6 MB) and keeps a request (three images, base64) under about 40 MB, where a 50 MB photo
 * would cost n8n gigabytes and LINK answers 413.
 */
export const LINK_IMAGE_RULES: ImageRules = {
	formats: ['jpeg', 'png'],
	vendorName: 'LINK Mobility',
	maxBytesOption: maxImageSizeOption.displayName,
};

type LinkFunctions = IExecuteFunctions | IWebhookFunctions;

export type LinkContext = VendorConnection & { ctx: LinkFunctions };

export async function linkContext(ctx: LinkFunctions): Promise<LinkContext> {
	return await vendorConnection(ctx, CREDENTIAL_TYPE, linkBaseUrl);
}

/** What a call is about, so that an error names it: the item, LINK's request id, a 404's meaning. */
export interface CallSubject {
	itemIndex?: number;
	requestId?: string;
	/** The message for a 404, e.g. "LINK Mobility has no certificate (yet) for request X". */
	notFound?: string;
	/** A call that changes nothing at LINK (GETs are): safe to send again after any network failure. */
	idempotent?: boolean;
}

const errorBody = z
	.object({
		id: z.string().optional(),
		code: z.union([z.string(), z.number()]).optional(),
		message: z.string().optional(),
	})
	.passthrough();

/** LINK's documented errors: 400 with code 003 (validation), 500 with code 001 (unknown). */
const VENDOR_CODE_MEANINGS: Record<string, string> = {
	'001':
		'LINK Mobility could not process the request. Try again later; if it persists, contact LINK Mobility with the request ID.',
	'003':
		'LINK Mobility found the request invalid: check the images (JPEG or PNG, readable) and the Issuing Country.',
};

/** Turns a failed call into an English NodeApiError that keeps LINK's code and message. */
export function linkError(
	ctx: LinkFunctions,
	failure: HttpFailure,
	subject: CallSubject = {},
): NodeApiError {
	const parsed = errorBody.safeParse(failure.body);
	const body = parsed.success ? parsed.data : {};
	const vendorCode = body.code === undefined ? undefined : String(body.code);
	let message: string;
	let description: string | undefined;

	const withoutAnswer = failureWithoutAnswer(LINK.vendorName, failure);
	if (withoutAnswer) {
		({ message, description } = withoutAnswer);
		if (failure.kind === 'loginRefused') {
			description =
				'Check the User and Password of the LINK Mobility KYC credential, and that its Environment matches the account: production and stage accounts are separate. A refused login is not tried again for a minute.';
		}
	} else if (failure.status === 404 && subject.notFound) {
		message = subject.notFound;
	} else if (vendorCode !== undefined) {
		const verb = failure.status === 400 ? 'rejected the request' : 'could not process the request';
		message = `LINK Mobility ${verb} (code ${vendorCode})${body.message ? `: ${body.message}` : ''}`;
		description = VENDOR_CODE_MEANINGS[vendorCode];
	} else {
		message = `LINK Mobility request failed: ${explainFailure(failure)}`;
		description = body.message ? `LINK Mobility's message: "${body.message}"` : undefined;
	}

	const error = vendorError(ctx, {
		vendor: VENDOR,
		message,
		description,
		vendorCode,
		vendorMessage: body.message,
		httpCode: failure.status,
		itemIndex: subject.itemIndex,
	});
	const requestId = subject.requestId ?? body.id;
	if (requestId !== undefined) error.context.requestId = requestId;
	if (requestId !== undefined && failure.uncertain) {
		error.description =
			`${error.description ?? ''} The request ID is ${requestId}: a certificate or callback for it shows that LINK processed it.`.trim();
	}
	return error;
}

/**
 * One authenticated JSON call to LINK. `target` is a path under the credential's base URL or a
 * full URL (a certificate URL from a callback, already checked to be on the credential's host).
 */
export async function linkRequest(
	link: LinkContext,
	method: IHttpRequestMethods,
	target: string,
	body: IDataObject | Buffer | undefined,
	subject: CallSubject = {},
): Promise<unknown> {
	const url = /^https?:\/\//i.test(target)
		? target
		: `${link.baseUrl}/${target.replace(/^\/+/, '')}`;
	// a Buffer body is JSON already (jsonBody)
	const headers = Buffer.isBuffer(body) ? { 'Content-Type': 'application/json' } : undefined;
	return await authenticatedRequest<unknown>(
		LINK,
		link,
		{ method, url, body, headers, json: true, idempotent: subject.idempotent ?? method === 'GET' },
		(failure) => linkError(link.ctx, failure, subject),
	);
}

/** The English error for a 200 answer that does not have the documented shape. */
export function unexpectedAnswer(
	ctx: LinkFunctions,
	what: string,
	subject: CallSubject = {},
): NodeApiError {
	const error = vendorError(ctx, {
		vendor: VENDOR,
		message: `LINK Mobility answered the ${what} with something unexpected`,
		description:
			'The answer lacked the documented fields. If this persists, ask LINK Mobility whether the API changed.',
		itemIndex: subject.itemIndex,
	});
	if (subject.requestId !== undefined) error.context.requestId = subject.requestId;
	return error;
}
