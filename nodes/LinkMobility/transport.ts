import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IWebhookFunctions, NodeApiError } from 'n8n-workflow';
import { z } from 'zod';
import { linkBaseUrl } from '../../credentials/LinkMobilityKycApi.credentials';
import { LOGIN_FAILED, LOGIN_REFUSED } from '../shared/tokenCredential';
import type { ImageRules } from '../shared/binaryImage';
import { explainFailure, vendorError } from '../shared/errors';
import type { HttpFailure } from '../shared/errors';
import { authenticatedRequest } from '../shared/http';

export const CREDENTIAL_TYPE = 'linkMobilityKycApi';
const VENDOR = 'linkMobility';

/** LINK's examples send JPEG and PNG; LINK documents no size limit, so none is enforced here. */
export const LINK_IMAGE_RULES: ImageRules = { formats: ['jpeg', 'png'], vendorName: 'LINK Mobility' };

type LinkFunctions = IExecuteFunctions | IWebhookFunctions;

export interface LinkContext {
	ctx: LinkFunctions;
	baseUrl: string;
}

export async function linkContext(ctx: LinkFunctions): Promise<LinkContext> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	return { ctx, baseUrl: linkBaseUrl(credentials) };
}

/** What a call is about, so that an error names it: the item, LINK's request id, a 404's meaning. */
export interface CallSubject {
	itemIndex?: number;
	requestId?: string;
	/** The message for a 404, e.g. "LINK Mobility has no certificate (yet) for request X". */
	notFound?: string;
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
	'001': 'LINK Mobility could not process the request. Try again later; if it persists, contact LINK Mobility with the request ID.',
	'003': 'LINK Mobility found the request invalid: check the images (JPEG or PNG, readable) and the expeditor country.',
};

/** Turns a failed call into an English NodeApiError that keeps LINK's code and message. */
export function linkError(ctx: LinkFunctions, failure: HttpFailure, subject: CallSubject = {}): NodeApiError {
	const parsed = errorBody.safeParse(failure.body);
	const body = parsed.success ? parsed.data : {};
	const vendorCode = body.code === undefined ? undefined : String(body.code);
	let message: string;
	let description: string | undefined;

	if (failure.networkCode === LOGIN_REFUSED) {
		// The credential's own message: it says what LINK answered to the login.
		message = failure.message ?? 'LINK Mobility refused the user or password of the credential';
		description =
			'Check the User and Password of the LINK Mobility KYC credential, and that its Environment matches the account: production and stage accounts are separate.';
	} else if (failure.networkCode === LOGIN_FAILED) {
		message = failure.message ?? 'Could not obtain a LINK Mobility token';
		description = 'Check the Environment (or Base URL) of the credential, and try again later.';
	} else if (failure.status === 404 && subject.notFound) {
		message = subject.notFound;
	} else if (vendorCode !== undefined) {
		const verb = failure.status === 400 ? 'rejected the request' : 'could not process the request';
		message = `LINK Mobility ${verb} (code ${vendorCode})${body.message ? `: ${body.message}` : ''}`;
		description = VENDOR_CODE_MEANINGS[vendorCode];
	} else if (failure.status === undefined && failure.networkCode) {
		message = `LINK Mobility could not be reached (${failure.networkCode})`;
		description = 'Check the Environment (or Base URL) of the credential and the network of the n8n server.';
	} else if (failure.status === undefined) {
		// No answer from LINK and no network failure: the call failed inside n8n (e.g. a database
		// time-out while its request helper read or saved the credential). LINK is not blamed.
		message = `n8n could not complete the call to LINK Mobility: ${failure.message ?? 'no reason given'}`;
		description =
			"LINK Mobility did not answer with an error: the failure happened inside n8n (for example its database). Try again; if it persists, check n8n's database and log.";
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
	body: IDataObject | undefined,
	subject: CallSubject = {},
): Promise<unknown> {
	const url = /^https?:\/\//i.test(target) ? target : `${link.baseUrl}/${target.replace(/^\/+/, '')}`;
	return await authenticatedRequest<unknown>(
		link.ctx,
		CREDENTIAL_TYPE,
		{ method, url, body, json: true },
		(failure) => linkError(link.ctx, failure, subject),
	);
}

/** The English error for a 200 answer that does not have the documented shape. */
export function unexpectedAnswer(ctx: LinkFunctions, what: string, subject: CallSubject = {}): NodeApiError {
	const error = vendorError(ctx, {
		vendor: VENDOR,
		message: `LINK Mobility answered the ${what} with something unexpected`,
		description: 'The answer lacked the documented fields. If this persists, ask LINK Mobility whether the API changed.',
		itemIndex: subject.itemIndex,
	});
	if (subject.requestId !== undefined) error.context.requestId = subject.requestId;
	return error;
}
