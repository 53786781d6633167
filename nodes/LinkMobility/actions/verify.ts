import { randomUUID } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImage, readImageParameter } from '../../shared/binaryImage';
import { checkCountryCode } from '../countries';
import { normalizeVerifyAnswer } from '../normalize';
import { LINK_IMAGE_RULES, linkRequest, unexpectedAnswer } from '../transport';
import type { LinkContext } from '../transport';

export interface VerifyOptions {
	includeRaw?: boolean;
	concurrency?: number;
}

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/** Reads an optional image: an empty property name means "not sent". */
async function optionalImage(ctx: IExecuteFunctions, itemIndex: number, parameter: string, label: string) {
	const property = String(ctx.getNodeParameter(parameter, itemIndex, '') ?? '').trim();
	return property === '' ? undefined : await readImage(ctx, itemIndex, property, label, LINK_IMAGE_RULES);
}

/**
 * Builds the documented `POST /identity/verify` body from the item, checking everything first so
 * that a bad input fails here, naming the item and the field, and nothing is sent.
 */
export async function buildVerifyBody(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const item = `Item ${itemIndex + 1}`;
	const country = checkCountryCode(ctx.getNodeParameter('expeditorCountry', itemIndex));
	if (!country.valid) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${item}: "Expeditor Country" must be an ISO 3166-1 alpha-2 code, got "${country.code}"`,
			{ itemIndex, description: country.hint },
		);
	}

	const front = await readImageParameter(ctx, itemIndex, 'frontImageProperty', 'Front Image Binary Field', LINK_IMAGE_RULES);
	const back = await optionalImage(ctx, itemIndex, 'backImageProperty', 'Back Image Binary Field');
	const face = await optionalImage(ctx, itemIndex, 'faceImageProperty', 'Face Image Binary Field');

	const first: IDataObject = { content: front.data.toString('base64') };
	// LINK compares the face with the document when the first image carries it.
	if (face) first.faceImage = face.data.toString('base64');
	const images = back ? [first, { content: back.data.toString('base64') }] : [first];

	const requestId = String(ctx.getNodeParameter('requestId', itemIndex, '') ?? '').trim() || randomUUID();
	const certify = ctx.getNodeParameter('certify', itemIndex, false) as boolean;
	const body: IDataObject = {
		id: requestId,
		images,
		expeditorCountry: country.code,
		certify,
		// Empty: LINK sends the certificate to the default URL of the account.
		certifyCallback: certify ? String(ctx.getNodeParameter('certifyCallback', itemIndex, '') ?? '').trim() : '',
	};
	if (ctx.getNodeParameter('manualVerification', itemIndex, false) as boolean) {
		body.manualVerification = true;
		body.manualVerificationCallback = String(
			ctx.getNodeParameter('manualVerificationCallback', itemIndex, '') ?? '',
		).trim();
	}
	return body;
}

export async function verifyItem(
	ctx: IExecuteFunctions,
	link: LinkContext,
	itemIndex: number,
	options: VerifyOptions,
): Promise<INodeExecutionData> {
	const body = await buildVerifyBody(ctx, itemIndex);
	const requestId = body.id as string;
	const answer = await linkRequest(link, 'POST', '/identity/verify', body, { itemIndex, requestId });
	if (!isObject(answer) || !isObject(answer.idVerification)) {
		throw unexpectedAnswer(ctx, 'identity verification', { itemIndex, requestId });
	}
	// NotCorrect, NotProcessed and Warning are verdicts, not failures: they are output as such.
	const record = normalizeVerifyAnswer(
		answer,
		{ requestId, expeditorCountry: body.expeditorCountry as string },
		options.includeRaw !== false,
	);
	return { json: record };
}

export async function pingItem(link: LinkContext, itemIndex: number): Promise<INodeExecutionData> {
	const answer = await linkRequest(link, 'POST', '/ping', undefined, { itemIndex });
	if (!isObject(answer)) throw unexpectedAnswer(link.ctx, 'ping', { itemIndex });
	return {
		json: {
			available: String(answer.status ?? '').trim().toLowerCase() === 'ok',
			service: answer.service ?? null,
			status: answer.status ?? null,
			date: answer.date ?? null,
		},
	};
}
