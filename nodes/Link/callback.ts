import { createHash, timingSafeEqual } from 'crypto';
import type {
	IDataObject,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { includeRawOption } from '../shared/descriptions';
import { cleanText } from '../shared/identity';
import type { IdentityRecord } from '../shared/identity';
import { readOption, readWebhookParameter } from '../shared/parameters';
import {
	certificateFileName,
	certificatePath,
	checkCertificateUrl,
	downloadCertificate,
} from './certificates';
import type { CertificateLocation } from './certificates';
import {
	allowedIpsProperty,
	DEFAULT_CERTIFICATE_PROPERTY,
	downloadCertificateOption,
	repeatWindowOption,
	secretTokenProperty,
	servicesProperty,
	statusesProperty,
	triggerCertificatePropertyOption,
	triggerOptions,
	trustForwardedForOption,
} from './descriptions';
import { normalizeCallback } from './normalize';
import { CREDENTIAL_TYPE, linkContext } from './transport';
import type { LinkContext } from './transport';

/**
 * The LINK Trigger's webhook: checks a callback (sender, token, body), filters it, and turns it
 * into an identity record, with the certificate PDF of a completed Certification.
 */

/** The credential holding the secret of the callback URL (`?token=`). */
export const CALLBACK_CREDENTIAL_TYPE = 'linkMobilityCallbackApi';

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
	const address = ip
		.trim()
		.toLowerCase()
		.replace(/^\[|\]$/g, '');
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
		const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
			.split(',')
			.map((entry) => entry.trim());
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
	const empty =
		value === undefined ||
		value === null ||
		value === '' ||
		(isObject(value) && Object.keys(value).length === 0);
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

const listParameter = (ctx: IWebhookFunctions, property: INodeProperties): string[] =>
	(readWebhookParameter<string[] | undefined>(ctx, property) ?? []).map((entry) =>
		String(entry).toLowerCase(),
	);

const SECRET_MIN_LENGTH = 16;

/**
 * The LINK Mobility Callback credential's test: LINK has nothing to check the secret against,
 * so the test checks that it is long enough and survives a URL unchanged.
 */
export function checkCallbackSecret(secret: string): INodeCredentialTestResult {
	if (secret.length < SECRET_MIN_LENGTH) {
		return {
			status: 'Error',
			message: `The Secret Token has ${secret.length} characters: use at least ${SECRET_MIN_LENGTH}`,
		};
	}
	if (!/^[A-Za-z0-9._~-]+$/.test(secret)) {
		return {
			status: 'Error',
			message:
				'The Secret Token may hold only letters, digits and - . _ ~: other characters change on their way through a URL (a "+" arrives as a space)',
		};
	}
	return {
		status: 'OK',
		message: "The Secret Token can be used: add ?token= and it to the trigger's Production URL",
	};
}

/**
 * Where the callback's token is checked against. A selected LINK Mobility Callback credential
 * wins; the "Secret Token" parameter of version 1 is the fallback for older workflows.
 */
type ExpectedSecret =
	| { kind: 'none' }
	| { kind: 'parameter'; secret: string }
	| { kind: 'credential' };

function expectedSecret(ctx: IWebhookFunctions): ExpectedSecret {
	// The node's credential references are part of the workflow already loaded: no database read.
	if (ctx.getNode().credentials?.[CALLBACK_CREDENTIAL_TYPE]) return { kind: 'credential' };
	const secret = String(readWebhookParameter<unknown>(ctx, secretTokenProperty) ?? '').trim();
	return secret === '' ? { kind: 'none' } : { kind: 'parameter', secret };
}

/**
 * Reads the secret from the credential (a database read in n8n, so only after LINK has its
 * answer). A credential n8n cannot read refuses the callback: it is not authenticated.
 */
async function credentialSecretMatches(
	ctx: IWebhookFunctions,
	given: unknown,
	requestId: string,
): Promise<boolean> {
	let secret: string;
	try {
		const credentials = await ctx.getCredentials(CALLBACK_CREDENTIAL_TYPE);
		secret = String(credentials?.secretToken ?? '').trim();
	} catch (error) {
		ctx.logger.error(
			`LINK Trigger could not read its LINK Mobility Callback credential, so the callback for request ${requestId} was not processed (n8n: ${(error as Error).message})`,
		);
		return false;
	}
	if (secret === '') {
		ctx.logger.warn(
			`LINK Trigger refused the callback for request ${requestId}: its LINK Mobility Callback credential has no Secret Token`,
		);
		return false;
	}
	if (!tokenMatches(secret, given)) {
		ctx.logger.warn(
			`LINK Trigger refused the callback for request ${requestId}: the "token" in its URL is wrong`,
		);
		return false;
	}
	return true;
}

/** Keys of recently accepted callbacks in this process, with the time they expire (ms). */
const recentCallbacks = new Map<string, number>();
const MAX_REMEMBERED_CALLBACKS = 100_000;

/**
 * Remembers a callback for `windowMs`; false when it was already remembered (a repeat).
 * Entries are kept in arrival order, so expired ones are dropped from the front.
 */
export function rememberCallback(key: string, windowMs: number, now = Date.now()): boolean {
	for (const [oldKey, expiry] of recentCallbacks) {
		if (expiry > now && recentCallbacks.size < MAX_REMEMBERED_CALLBACKS) break;
		recentCallbacks.delete(oldKey);
	}
	const expiry = recentCallbacks.get(key);
	if (expiry !== undefined && expiry > now) return false;
	recentCallbacks.delete(key);
	recentCallbacks.set(key, now + windowMs);
	return true;
}

export function forgetCallbacks(): void {
	recentCallbacks.clear();
}

/**
 * What makes two callbacks the same: this trigger (workflow and node), the request id, service
 * and status, and the token in the URL. The token is part of it so that a sender with a wrong
 * token cannot make the trigger drop LINK's genuine callback as a repeat.
 */
function callbackKey(ctx: IWebhookFunctions, record: IdentityRecord, token: unknown): string {
	const { service, status } = record.vendorDetails as { service: string; status: string | null };
	const parts = [
		ctx.getWorkflow().id,
		ctx.getNode().id,
		typeof token === 'string' ? token : '',
		record.transactionId,
		service,
		status,
	];
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64');
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Adds the certificate PDF to a Certification item. `certificateDownloaded` is true only with the
 * PDF attached; a failure is reported in the item, saying whether LINK or n8n failed.
 */
async function withCertificate(
	ctx: IWebhookFunctions,
	record: IdentityRecord,
	options: IDataObject,
): Promise<INodeExecutionData> {
	const details = record.vendorDetails;
	const requestId = record.transactionId as string;
	let link: LinkContext;
	try {
		link = await linkContext(ctx);
	} catch (error) {
		details.certificateError = `n8n could not read the LINK Mobility KYC credential, so the certificate was not downloaded: ${errorMessage(error)}`;
		return { json: record };
	}
	// The callback's URL is used when it is on the credential's LINK address; otherwise the
	// token is not sent there and the certificate is fetched by its request id.
	const checked =
		typeof details.certificateUrl === 'string'
			? checkCertificateUrl(link, details.certificateUrl)
			: undefined;
	const location: CertificateLocation =
		checked && 'location' in checked
			? checked.location
			: { requestId, target: certificatePath(requestId) };
	let pdf: Buffer;
	try {
		pdf = await downloadCertificate(link, location);
	} catch (error) {
		// LINK already has its answer; the workflow gets the item and can retry with LINK Certificate.
		details.certificateError = errorMessage(error);
		return { json: record };
	}
	const fileName = certificateFileName(requestId);
	const property =
		String(readOption(options, triggerCertificatePropertyOption) ?? '').trim() ||
		DEFAULT_CERTIFICATE_PROPERTY;
	try {
		const binary = await ctx.helpers.prepareBinaryData(pdf, fileName, 'application/pdf');
		details.certificateDownloaded = true;
		details.fileName = fileName;
		return { json: record, binary: { [property]: binary } };
	} catch (error) {
		details.certificateError = `LINK Mobility delivered the certificate, but n8n could not store it: ${errorMessage(error)}`;
		return { json: record };
	}
}

/**
 * Handles one LINK callback. Before the answer only what needs no database: the sender's address
 * (403), a token at all and the legacy parameter's token (403), the body (400), the filters and
 * repeats (200, no execution). Then LINK gets its empty 200, and only then the credentials are
 * read: the callback secret (a wrong token starts nothing) and, for a completed Certification,
 * the API credential for the PDF. Nothing from the request is echoed in the answer.
 */
export async function receiveCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = ctx.getRequestObject() as unknown as RequestLike;
	const res = ctx.getResponseObject() as unknown as ResponseLike;
	const options = readWebhookParameter<IDataObject>(ctx, triggerOptions);

	const allowList = parseAllowList(
		String(readWebhookParameter<unknown>(ctx, allowedIpsProperty) ?? ''),
	);
	if (allowList.length > 0) {
		const ip = senderIp(req, readOption(options, trustForwardedForOption) === true);
		if (ip === undefined || !allowList.includes(ip)) {
			ctx.logger.warn(
				`LINK Trigger refused a callback from ${ip ?? 'an unknown address'}: not in "${allowedIpsProperty.displayName}"`,
			);
			return respond(res, 403, { error: 'Forbidden' });
		}
	}
	const secret = expectedSecret(ctx);
	const token = (ctx.getQueryData() as IDataObject).token;
	const tokenRefused =
		secret.kind === 'parameter'
			? !tokenMatches(secret.secret, token)
			: secret.kind === 'credential' && (typeof token !== 'string' || token === '');
	if (tokenRefused) {
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

	const record = normalizeCallback(body, readOption(options, includeRawOption) !== false);
	const { service, status } = record.vendorDetails as { service: string; status: string | null };
	const requestId = record.transactionId as string;
	const services = listParameter(ctx, servicesProperty);
	const statuses = listParameter(ctx, statusesProperty);
	const wanted =
		(services.length === 0 || services.includes(service.toLowerCase())) &&
		(statuses.length === 0 || statuses.includes((status ?? '').toLowerCase()));
	// Answered 200 all the same: LINK would otherwise send the callback again.
	if (!wanted) return respond(res, 200);

	const windowSeconds = Number(readOption(options, repeatWindowOption));
	const repeatKey = windowSeconds > 0 ? callbackKey(ctx, record, token) : undefined;
	if (repeatKey !== undefined && !rememberCallback(repeatKey, windowSeconds * 1000)) {
		ctx.logger.info(
			`LINK Trigger dropped a repeated callback (${service} ${status ?? ''}) for request ${requestId}`,
		);
		return respond(res, 200);
	}

	// LINK gets its answer before anything that reads n8n's database or calls LINK.
	respond(res, 200);
	if (secret.kind === 'credential' && !(await credentialSecretMatches(ctx, token, requestId))) {
		// Not accepted, so not remembered: LINK's genuine callback with the right token still passes.
		if (repeatKey !== undefined) recentCallbacks.delete(repeatKey);
		return { noWebhookResponse: true };
	}
	let item: INodeExecutionData = { json: record };
	if (service === 'Certification') {
		record.vendorDetails.certificateDownloaded = false;
		const download =
			status === 'Completed' &&
			readOption(options, downloadCertificateOption) !== false &&
			ctx.getNode().credentials?.[CREDENTIAL_TYPE];
		if (download) item = await withCertificate(ctx, record, options);
	}
	return { noWebhookResponse: true, workflowData: [[item]] };
}
