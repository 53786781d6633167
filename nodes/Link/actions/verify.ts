import { randomUUID } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { Base64Image, jsonBody } from '../../shared/jsonBody';
import { readImage, readImageParameter } from '../../shared/binaryImage';
import type { ImageRules } from '../../shared/binaryImage';
import { includeRawOption } from '../../shared/descriptions';
import { readOption, readParameter, readText } from '../../shared/parameters';
import { checkCountryCode } from '../countries';
import {
	backImageProperty,
	certifyCallbackProperty,
	certifyProperty,
	expeditorCountryProperty,
	faceImageProperty,
	fieldMappingOption,
	frontImageProperty,
	manualVerificationCallbackProperty,
	manualVerificationProperty,
	maxImageSizeOption,
	verifyOptions,
	verifyRequestIdProperty,
} from '../descriptions';
import { MAPPABLE_FIELDS, normalizeVerifyAnswer } from '../normalize';
import type { FieldMapping, MappableField } from '../normalize';
import { LINK_IMAGE_RULES, linkRequest, unexpectedAnswer } from '../transport';
import type { LinkContext } from '../transport';

const MEGABYTE = 1024 * 1024;

/** The image rules with the user's size limit ("Max Image Size"), checked before anything is sent. */
function imageRules(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): ImageRules {
	const value = readOption<unknown>(options, maxImageSizeOption);
	const megabytes = Number(value);
	if (!Number.isFinite(megabytes) || megabytes <= 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex + 1}: "${maxImageSizeOption.displayName}" must be a positive number, got "${String(value)}"`,
			{ itemIndex },
		);
	}
	return { ...LINK_IMAGE_RULES, maxBytes: Math.round(megabytes * MEGABYTE) };
}

type MappingRows = { mappings?: Array<{ code?: string; field?: string }> };

/** The "Field Mapping" rows, checked: a row without a code or with an unknown field fails the item. */
function fieldMapping(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): FieldMapping[] {
	return (readOption<MappingRows>(options, fieldMappingOption).mappings ?? []).map((row, index) => {
		const code = String(row.code ?? '').trim();
		const field = String(row.field ?? '').trim();
		const problem =
			code === ''
				? 'has no LINK field code'
				: (MAPPABLE_FIELDS as readonly string[]).includes(field)
					? undefined
					: `names an unknown identity field "${field}"`;
		if (problem) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex + 1}: "${fieldMappingOption.displayName}" row ${index + 1} ${problem}`,
				{ itemIndex, description: `Identity fields: ${MAPPABLE_FIELDS.join(', ')}.` },
			);
		}
		return { code, field: field as MappableField };
	});
}

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/** Reads an optional image: an empty property name means "not sent". */
async function optionalImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: INodeProperties,
	rules: ImageRules,
) {
	const property = readText(ctx, itemIndex, parameter);
	return property === ''
		? undefined
		: await readImage(ctx, itemIndex, property, parameter.displayName, rules);
}

interface VerifyImage {
	content: Base64Image;
	faceImage?: Base64Image;
}

/** The documented `POST /identity/verify` body. */
interface VerifyBody {
	id: string;
	images: VerifyImage[];
	expeditorCountry: string;
	certify: boolean;
	certifyCallback: string;
	manualVerification?: boolean;
	manualVerificationCallback?: string;
}

/**
 * Builds the documented `POST /identity/verify` body from the item, checking everything first so
 * that a bad input fails here, naming the item and the field, and nothing is sent.
 */
export async function buildVerifyBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): Promise<VerifyBody> {
	const item = `Item ${itemIndex + 1}`;
	// An expression may give any text: only an ISO code is sent.
	const country = checkCountryCode(readParameter(ctx, itemIndex, expeditorCountryProperty));
	if (!country.valid) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${item}: "${expeditorCountryProperty.displayName}" must be an ISO 3166-1 alpha-2 code, got "${country.code}"`,
			{ itemIndex, description: country.hint },
		);
	}

	const rules = imageRules(ctx, itemIndex, options);
	const front = await readImageParameter(ctx, itemIndex, frontImageProperty, rules);
	const back = await optionalImage(ctx, itemIndex, backImageProperty, rules);
	const face = await optionalImage(ctx, itemIndex, faceImageProperty, rules);

	const first: VerifyImage = { content: new Base64Image(front) };
	// LINK compares the face with the document when the first image carries it.
	if (face) first.faceImage = new Base64Image(face);
	const images = back ? [first, { content: new Base64Image(back) }] : [first];

	const requestId = readText(ctx, itemIndex, verifyRequestIdProperty) || randomUUID();
	const certify = readParameter<boolean>(ctx, itemIndex, certifyProperty);
	const body: VerifyBody = {
		id: requestId,
		images,
		expeditorCountry: country.code,
		certify,
		// Empty: LINK sends the certificate to the default URL of the account.
		certifyCallback: certify ? readText(ctx, itemIndex, certifyCallbackProperty) : '',
	};
	if (readParameter<boolean>(ctx, itemIndex, manualVerificationProperty)) {
		body.manualVerification = true;
		body.manualVerificationCallback = readText(ctx, itemIndex, manualVerificationCallbackProperty);
	}
	return body;
}

export async function verifyItem(
	ctx: IExecuteFunctions,
	link: LinkContext,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const options = readParameter<IDataObject>(ctx, itemIndex, verifyOptions);
	const mapping = fieldMapping(ctx, itemIndex, options);
	const body = await buildVerifyBody(ctx, itemIndex, options);
	const requestId = body.id;
	const answer = await linkRequest(link, 'POST', '/identity/verify', await jsonBody(body), {
		itemIndex,
		requestId,
	});
	if (!isObject(answer) || !isObject(answer.idVerification)) {
		throw unexpectedAnswer(ctx, 'identity verification', { itemIndex, requestId });
	}
	// NotCorrect, NotProcessed and Warning are verdicts, not failures: they are output as such.
	const record = normalizeVerifyAnswer(
		answer,
		{
			requestId,
			expeditorCountry: body.expeditorCountry,
			faceImage: body.images[0].faceImage !== undefined,
			mapping,
		},
		readOption(options, includeRawOption) !== false,
	);
	return { json: record };
}

export async function pingItem(link: LinkContext, itemIndex: number): Promise<INodeExecutionData> {
	const answer = await linkRequest(link, 'POST', '/ping', undefined, {
		itemIndex,
		idempotent: true,
	});
	if (!isObject(answer)) throw unexpectedAnswer(link.ctx, 'ping', { itemIndex });
	return {
		json: {
			available:
				String(answer.status ?? '')
					.trim()
					.toLowerCase() === 'ok',
			service: answer.service ?? null,
			status: answer.status ?? null,
			date: answer.date ?? null,
		},
	};
}
