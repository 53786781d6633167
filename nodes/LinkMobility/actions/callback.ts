import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { cleanText } from '../../shared/identity';
import type { IdentityRecord } from '../../shared/identity';
import { normalizeCallback } from '../normalize';
import { optionalLinkContext } from '../transport';
import type { LinkContext } from '../transport';
import {
	certificateFileName,
	certificatePath,
	checkCertificateUrl,
	DEFAULT_CERTIFICATE_PROPERTY,
	downloadCertificate,
} from './certificate';
import type { CertificateLocation } from './certificate';

/** The addresses LINK's callbacks come from, as published in its documentation. */
export const LINK_CALLBACK_IPS = ['217.75.233.139', '213.134.38.77', '88.26.209.16'];

export interface TriggerOptions {
	trustForwardedFor?: boolean;
	downloadCertificate?: boolean;
	binaryPropertyName?: string;
	includeRaw?: boolean;
}

interface RequestLike {
	ip?: string;
	socket?: { remoteAddress?: string };
	headers?: Record<string, string | string[] | undefined>;
	rawBody?: Buffer;
}

interface ResponseLike {
	status(code: number): ResponseLike;
	json(body: unknown): unknown;
	end(): unknown;
}

/** `::ffff:1.2.3.4` (an IPv4 client on an IPv6 socket) is 1.2.3.4; IPv6 compares lower-case. */
export function normalizeIp(ip: string): string {
	const address = ip.trim().toLowerCase().replace(/^\[|\]$/g, '');
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
	return mapped ? mapped[1] : address;
}

export function parseAllowList(text: string): string[] {
	return text
		.split(/[\s,;]+/)
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map(normalizeIp);
}

/**
 * The sender's address: the connection's, or, behind a reverse proxy that the user trusts, the
 * last X-Forwarded-For entry (the one that proxy added; earlier entries can be forged).
 */
export function senderIp(req: RequestLike, trustForwardedFor: boolean): string | undefined {
	if (trustForwardedFor) {
		const header = req.headers?.['x-forwarded-for'];
		const list = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((entry) => entry.trim());
		const last = list.filter(Boolean).pop();
		if (last) return normalizeIp(last);
	}
	const ip = req.ip ?? req.socket?.remoteAddress;
	return ip ? normalizeIp(ip) : undefined;
}

/** Compares in constant time: hashing first gives both sides the same length. */
export function tokenMatches(expected: string, given: unknown): boolean {
	if (typeof given !== 'string') return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(expected), digest(given));
}

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * LINK's own examples miss commas between properties on separate lines. When a body is not
 * valid JSON, those commas are added and the body is parsed once more.
 */
function parseLenientJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		const repaired = text.replace(/("|\d|true|false|null|\]|\})(\s*\r?\n\s*)(?=")/g, '$1,$2');
		try {
			return JSON.parse(repaired);
		} catch {
			return undefined;
		}
	}
}

/**
 * The callback as an object. n8n parses JSON bodies itself; a body sent as text (or without a
 * content type) arrives as a string or only as the raw bytes.
 */
export function parseCallbackBody(body: unknown, rawBody?: Buffer): IDataObject | undefined {
	let value = body;
	const empty = value === undefined || value === null || value === '' || (isObject(value) && Object.keys(value).length === 0);
	if (empty && rawBody?.length) value = rawBody;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') value = parseLenientJson(value);
	return isObject(value) ? value : undefined;
}

function respond(res: ResponseLike, status: number, body?: IDataObject): IWebhookResponseData {
	res.status(status);
	if (body) res.json(body);
	else res.end();
	return { noWebhookResponse: true };
}

const isText = (value: unknown) =>
	(typeof value === 'string' || typeof value === 'number') && cleanText(value) !== null;

const listParameter = (ctx: IWebhookFunctions, name: string): string[] =>
	((ctx.getNodeParameter(name, []) as string[] | undefined) ?? []).map((entry) => String(entry).toLowerCase());

/** Adds the certificate PDF to a Certification item; a failed download is reported in the item. */
async function withCertificate(
	ctx: IWebhookFunctions,
	link: LinkContext,
	record: IdentityRecord,
	options: TriggerOptions,
): Promise<INodeExecutionData> {
	const details = record.vendorDetails;
	const requestId = record.transactionId as string;
	// The callback's URL is used when it is on the credential's LINK address; otherwise the
	// token is not sent there and the certificate is fetched by its request id.
	const checked = typeof details.certificateUrl === 'string' ? checkCertificateUrl(link, details.certificateUrl) : undefined;
	const location: CertificateLocation =
		checked && 'location' in checked ? checked.location : { requestId, target: certificatePath(requestId) };
	const fileName = certificateFileName(requestId);
	try {
		const pdf = await downloadCertificate(link, location);
		details.certificateDownloaded = true;
		details.fileName = fileName;
		const property = (options.binaryPropertyName ?? '').trim() || DEFAULT_CERTIFICATE_PROPERTY;
		return { json: record, binary: { [property]: await ctx.helpers.prepareBinaryData(pdf, fileName, 'application/pdf') } };
	} catch (error) {
		// LINK already has its answer; the workflow gets the item and can retry with LINK Certificate.
		details.certificateError = (error as Error).message;
		return { json: record };
	}
}

/**
 * Handles one LINK callback: sender checks (403), body checks (400), filters (200, no
 * execution), then one normalized item. Nothing from the request is echoed in the answer.
 */
export async function receiveCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = ctx.getRequestObject() as unknown as RequestLike;
	const res = ctx.getResponseObject() as unknown as ResponseLike;
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;

	const allowList = parseAllowList(String(ctx.getNodeParameter('allowedIps', '') ?? ''));
	if (allowList.length > 0) {
		const ip = senderIp(req, options.trustForwardedFor === true);
		if (ip === undefined || !allowList.includes(ip)) {
			ctx.logger.warn(`LINK Trigger refused a callback from ${ip ?? 'an unknown address'}: not in "Allowed IP Addresses"`);
			return respond(res, 403, { error: 'Forbidden' });
		}
	}
	const secretToken = String(ctx.getNodeParameter('secretToken', '') ?? '').trim();
	if (secretToken !== '' && !tokenMatches(secretToken, (ctx.getQueryData() as IDataObject).token)) {
		ctx.logger.warn('LINK Trigger refused a callback: the "token" in its URL is missing or wrong');
		return respond(res, 403, { error: 'Forbidden' });
	}

	const body = parseCallbackBody(ctx.getBodyData(), req.rawBody);
	if (!body) {
		ctx.logger.warn('LINK Trigger refused a callback: its body is not a JSON object');
		return respond(res, 400, { error: 'The body must be a JSON object' });
	}
	if (!isText(body.id) || !isText(body.service)) {
		ctx.logger.warn('LINK Trigger refused a callback: "id" or "service" is missing');
		return respond(res, 400, { error: 'The body must have "id" and "service"' });
	}

	const record = normalizeCallback(body, options.includeRaw !== false);
	const { service, status } = record.vendorDetails as { service: string; status: string | null };
	const services = listParameter(ctx, 'services');
	const statuses = listParameter(ctx, 'statuses');
	const wanted =
		(services.length === 0 || services.includes(service.toLowerCase())) &&
		(statuses.length === 0 || statuses.includes((status ?? '').toLowerCase()));
	// Answered 200 all the same: LINK would otherwise send the callback again.
	if (!wanted) return respond(res, 200);

	if (service === 'Certification') {
		record.vendorDetails.certificateDownloaded = false;
		const link =
			status === 'Completed' && options.downloadCertificate !== false ? await optionalLinkContext(ctx) : undefined;
		if (link) {
			// LINK gets its answer first; the download may take a while.
			respond(res, 200);
			return { noWebhookResponse: true, workflowData: [[await withCertificate(ctx, link, record, options)]] };
		}
	}
	return { workflowData: [[{ json: record }]] };
}
