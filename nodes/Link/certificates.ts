import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { pollUntil } from '../shared/poll';
import { timeoutOption } from './descriptions';
import { linkRequest, unexpectedAnswer } from './transport';
import type { CallSubject, LinkContext } from './transport';

/**
 * A LINK certificate: where it is, one download, and the wait until LINK has made it. Used by
 * LINK Certificate and by the trigger's Certification callbacks.
 */

export interface CertificateLocation {
	requestId: string;
	/** A path under the credential's base URL, or a full URL on the credential's host. */
	target: string;
}

export const certificatePath = (requestId: string) =>
	`/certificate/${encodeURIComponent(requestId)}`;

export const certificateFileName = (requestId: string) =>
	`${requestId.replace(/[^\w.-]+/g, '_')}.pdf`;

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

const notFound = (requestId: string) =>
	`LINK Mobility has no certificate (yet) for request ${requestId}`;

const isPdf = (data: Buffer) => data.subarray(0, 4).toString('latin1') === '%PDF';

/**
 * One download: `GET /certificate/{id}` answers `{id, content}` with the PDF in base64.
 * Returns undefined while LINK has no certificate for the id (404, or no content yet).
 */
export async function fetchCertificateOnce(
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
		throw unexpectedAnswer(link.ctx, 'certificate download', {
			...subject,
			requestId: location.requestId,
		});
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
	call: (attempt: () => Promise<Buffer | undefined>) => Promise<Buffer | undefined> = async (
		attempt,
	) => await attempt(),
): Promise<Buffer> {
	const intervalMs = wait.pollInterval * 1000;
	return await pollUntil(
		ctx,
		{ firstDelayMs: intervalMs, intervalMs, deadline: wait.startedAt + wait.timeout * 1000 },
		async () =>
			await call(async () => (await fetchCertificateOnce(link, location, { itemIndex })).pdf),
		() => {
			const error = new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex + 1}: LINK Mobility had no certificate for request ${location.requestId} within ${wait.timeout} seconds`,
				{
					itemIndex,
					description: `LINK creates the certificate after the verification. Raise "${timeoutOption.displayName}", or start this node from the LINK Trigger's Certification callback instead of waiting.`,
				},
			);
			error.context.requestId = location.requestId;
			return error;
		},
	);
}
