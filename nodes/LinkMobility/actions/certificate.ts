import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { pollUntil, readSeconds } from '../../shared/poll';
import type { WaitingItem } from '../../shared/poll';
import { linkRequest, unexpectedAnswer } from '../transport';
import type { CallSubject, LinkContext } from '../transport';

export const DEFAULT_CERTIFICATE_PROPERTY = 'certificate';

export interface CertificateLocation {
	requestId: string;
	/** A path under the credential's base URL, or a full URL on the credential's host. */
	target: string;
}

export const certificatePath = (requestId: string) => `/certificate/${encodeURIComponent(requestId)}`;

export const certificateFileName = (requestId: string) => `${requestId.replace(/[^\w.-]+/g, '_')}.pdf`;

/**
 * Checks a certificate URL (a callback's `urlCertificateFile`). The access token goes only to
 * the credential's own origin: a URL elsewhere gets an explanation instead of the token.
 */
export function checkCertificateUrl(
	link: LinkContext,
	input: string,
): { location: CertificateLocation } | { problem: string } {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return { problem: `"${input}" is not a URL` };
	}
	const base = new URL(link.baseUrl);
	if (url.origin !== base.origin) {
		return {
			problem: `the URL is on ${url.origin}, not on the credential's LINK Mobility address ${base.origin}; the node sends its access token only there`,
		};
	}
	const segments = url.pathname.split('/').filter(Boolean);
	const requestId = decodeURIComponent(segments[segments.length - 1] ?? '');
	if (requestId === '') return { problem: `the URL "${input}" names no request ID` };
	return { location: { requestId, target: url.toString() } };
}

const notFound = (requestId: string) => `LINK Mobility has no certificate (yet) for request ${requestId}`;

const isPdf = (data: Buffer) => data.subarray(0, 4).toString('latin1') === '%PDF';

/**
 * One download: `GET /certificate/{id}` answers `{id, content}` with the PDF in base64.
 * Returns undefined while LINK has no certificate for the id (404, or no content yet).
 */
async function fetchCertificateOnce(
	link: LinkContext,
	location: CertificateLocation,
	subject: CallSubject,
): Promise<{ pdf?: Buffer; notReady?: unknown }> {
	const outcome = await linkRequest(link, 'GET', location.target, undefined, {
		...subject,
		requestId: location.requestId,
		notFound: notFound(location.requestId),
	}).then(
		(answer) => ({ answer }),
		(error: unknown) => ({ error }),
	);
	if ('error' in outcome) {
		const httpCode = (outcome.error as { httpCode?: string | null }).httpCode;
		if (String(httpCode) === '404') return { notReady: outcome.error };
		throw outcome.error;
	}
	const answer = outcome.answer as IDataObject | null;
	if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
		throw unexpectedAnswer(link.ctx, 'certificate download', { ...subject, requestId: location.requestId });
	}
	const content = typeof answer.content === 'string' ? answer.content.trim() : '';
	if (content === '') {
		// Answered, but without the PDF yet: the same as a 404 for the user.
		const error = new NodeOperationError(link.ctx.getNode(), notFound(location.requestId), {
			itemIndex: subject.itemIndex,
		});
		error.context.requestId = location.requestId;
		return { notReady: error };
	}
	const pdf = Buffer.from(content, 'base64');
	if (!isPdf(pdf)) {
		throw unexpectedAnswer(link.ctx, `certificate of request ${location.requestId} (not a PDF)`, {
			...subject,
			requestId: location.requestId,
		});
	}
	return { pdf };
}

/** Downloads a certificate once: a missing certificate is an error saying so. */
export async function downloadCertificate(
	link: LinkContext,
	location: CertificateLocation,
	subject: CallSubject = {},
): Promise<Buffer> {
	const { pdf, notReady } = await fetchCertificateOnce(link, location, subject);
	if (pdf) return pdf;
	throw notReady;
}

export interface WaitOptions {
	/** Seconds between two attempts. */
	pollInterval: number;
	/** Seconds after which to give up. */
	timeout: number;
}

export const WAIT_DEFAULTS: WaitOptions = { pollInterval: 10, timeout: 300 };

/**
 * Asks again every `pollInterval` seconds after a first attempt made at `startedAt`, the last
 * attempt at the timeout (the shared deadline rule). `call` runs one attempt when its turn comes.
 */
export async function waitForCertificate(
	ctx: IExecuteFunctions,
	link: LinkContext,
	location: CertificateLocation,
	wait: WaitOptions & { startedAt: number },
	itemIndex: number,
	call: (attempt: () => Promise<Buffer | undefined>) => Promise<Buffer | undefined> = async (attempt) => await attempt(),
): Promise<Buffer> {
	const intervalMs = wait.pollInterval * 1000;
	return await pollUntil(
		ctx,
		{ firstDelayMs: intervalMs, intervalMs, deadline: wait.startedAt + wait.timeout * 1000 },
		async () => await call(async () => (await fetchCertificateOnce(link, location, { itemIndex })).pdf),
		() => {
			const error = new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex + 1}: LINK Mobility had no certificate for request ${location.requestId} within ${wait.timeout} seconds`,
				{
					itemIndex,
					description:
						'LINK creates the certificate after the verification. Raise "Timeout", or start this node from the LINK Trigger\'s Certification callback instead of waiting.',
				},
			);
			error.context.requestId = location.requestId;
			return error;
		},
	);
}

/** The options of one item; wrong seconds name the item and the option, before anything is sent. */
function readWaitOptions(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): WaitOptions {
	return {
		pollInterval: readSeconds(ctx, itemIndex, options.pollInterval, {
			label: 'Poll Interval (Seconds)',
			default: WAIT_DEFAULTS.pollInterval,
			allowZero: false,
		}),
		timeout: readSeconds(ctx, itemIndex, options.timeout, {
			label: 'Timeout (Seconds)',
			default: WAIT_DEFAULTS.timeout,
			allowZero: false,
		}),
	};
}

function locate(ctx: IExecuteFunctions, link: LinkContext, operation: string, itemIndex: number): CertificateLocation {
	const item = `Item ${itemIndex + 1}`;
	if (operation === 'byUrl') {
		const input = String(ctx.getNodeParameter('certificateUrl', itemIndex, '') ?? '').trim();
		if (input === '') {
			throw new NodeOperationError(ctx.getNode(), `${item}: "Certificate URL" is empty`, {
				itemIndex,
				description: 'Map the certificate URL of the LINK Trigger, e.g. {{ $json.vendorDetails.certificateUrl }}.',
			});
		}
		const checked = checkCertificateUrl(link, input);
		if ('problem' in checked) {
			throw new NodeOperationError(ctx.getNode(), `${item}: "Certificate URL" refused: ${checked.problem}`, {
				itemIndex,
				description:
					'Use a certificate URL sent by LINK to this credential\'s environment, or the "Get by Request ID" operation.',
			});
		}
		return checked.location;
	}
	const requestId = String(ctx.getNodeParameter('requestId', itemIndex, '') ?? '').trim();
	if (requestId === '') {
		throw new NodeOperationError(ctx.getNode(), `${item}: "Request ID" is empty`, {
			itemIndex,
			description: 'Map the ID of the verification request, e.g. {{ $json.transactionId }}.',
		});
	}
	return { requestId, target: certificatePath(requestId) };
}

/**
 * LINK Certificate for one item. The first attempt is the item's start; with Wait Until Ready
 * the later attempts take turns with the other items' calls, so Concurrency bounds the downloads
 * in flight, not the certificates waited for.
 */
export async function certificateItem(
	ctx: IExecuteFunctions,
	link: LinkContext,
	itemIndex: number,
	{ start, call }: WaitingItem,
): Promise<INodeExecutionData> {
	const first = await start(async () => {
		const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const waitUntilReady = options.waitUntilReady === true;
		const wait = waitUntilReady ? readWaitOptions(ctx, itemIndex, options) : undefined;
		const operation = ctx.getNodeParameter('operation', itemIndex) as string;
		const property =
			String(ctx.getNodeParameter('binaryPropertyName', itemIndex, '') ?? '').trim() || DEFAULT_CERTIFICATE_PROPERTY;
		const keepInputFields = options.keepInputFields !== false;
		const location = locate(ctx, link, operation, itemIndex);
		const startedAt = Date.now();
		const { pdf, notReady } = await fetchCertificateOnce(link, location, { itemIndex });
		if (!pdf && !wait) throw notReady;
		return { location, property, keepInputFields, wait: wait && { ...wait, startedAt }, pdf };
	});
	const { location, property, keepInputFields, wait } = first;
	const pdf = first.pdf ?? (await waitForCertificate(ctx, link, location, wait!, itemIndex, call));
	const fileName = certificateFileName(location.requestId);
	// The input's fields (the person's record) stay with the PDF, so no Merge is needed.
	const input = keepInputFields ? ctx.getInputData()[itemIndex]?.json ?? {} : {};
	return {
		json: { ...input, requestId: location.requestId, fileName, ready: true },
		binary: { [property]: await ctx.helpers.prepareBinaryData(pdf, fileName, 'application/pdf') },
	};
}
