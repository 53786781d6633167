import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImageParameter } from '../../shared/binaryImage';
import { cleanText, identityRecord } from '../../shared/identity';
import { APPTENTICATE_IMAGE_RULES, apptenticatePost, pythonBoolean } from '../transport';
import type { ApptenticateContext } from '../transport';

export type BiometryOperation = 'verifyCitizen' | 'compareForeignDocument';

const NATIONALS_PATH = '/api/v3/biometrics/nationals/';
const FOREIGNS_PATH = '/api/v3/biometrics/foreigns/';

/**
 * Seed 002 (the older "Endpoint Biometría") names its fields two ways: its payload says
 * image / id / device, its code example imagen / id / dispositivo.
 */
const LEGACY_FIELD_NAMES = {
	payload: { image: 'image', device: 'device' },
	codeExample: { image: 'imagen', device: 'dispositivo' },
} as const;

const NORMALIZED_DOCUMENT_TYPES: Record<string, string> = {
	passport: 'passport',
	identification_card: 'id_card',
	profile_image: 'profile_image',
};

function citizenIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const citizenId = String(ctx.getNodeParameter('citizenId', itemIndex, '') ?? '').trim();
	if (citizenId === '') {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: "Citizen ID" is empty`, {
			itemIndex,
			description: 'Enter the Panamanian ID number (cédula), for example 8-123-456, or map it from an earlier node.',
		});
	}
	return citizenId;
}

export async function biometryItem(
	ctx: IExecuteFunctions,
	apptenticate: ApptenticateContext,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const operation = ctx.getNodeParameter('operation', itemIndex) as BiometryOperation;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const returnId = options.returnTransactionId === false ? undefined : pythonBoolean(true);
	const device = (options.device as string) || undefined;
	const readSelfie = async () =>
		await readImageParameter(ctx, itemIndex, 'selfieImageProperty', 'Selfie Image Binary Field', APPTENTICATE_IMAGE_RULES);

	let answer: IDataObject;
	let documentType: string | null = null;
	let documentNumber: string | null = null;
	if (operation === 'verifyCitizen') {
		documentNumber = citizenIdOf(ctx, itemIndex);
		documentType = 'id_card';
		const selfie = await readSelfie();
		if (options.endpoint === 'legacy') {
			const names = LEGACY_FIELD_NAMES[(options.legacyFieldNames as 'payload' | 'codeExample') ?? 'payload'];
			answer = await apptenticatePost(
				apptenticate,
				(options.legacyPath as string) || '/api/biometrics/',
				{ cedula: documentNumber, id: returnId, [names.device]: device },
				{ [names.image]: selfie },
				itemIndex,
			);
		} else {
			answer = await apptenticatePost(
				apptenticate,
				NATIONALS_PATH,
				{ citizen_id: documentNumber, return_id: returnId, device },
				{ selfie },
				itemIndex,
			);
		}
	} else {
		const foreignDocumentType = ctx.getNodeParameter('foreignDocumentType', itemIndex) as string;
		documentType = NORMALIZED_DOCUMENT_TYPES[foreignDocumentType] ?? foreignDocumentType;
		const frontside = await readImageParameter(
			ctx,
			itemIndex,
			'documentImageProperty',
			'Document Image Binary Field',
			APPTENTICATE_IMAGE_RULES,
		);
		const selfie = await readSelfie();
		answer = await apptenticatePost(
			apptenticate,
			FOREIGNS_PATH,
			{ document_type: foreignDocumentType, return_id: returnId, device },
			{ frontside, selfie },
			itemIndex,
		);
	}

	const valid = typeof answer.valid === 'boolean' ? answer.valid : null;
	const id = answer.id;
	const record = identityRecord(
		'apptenticate',
		{
			documentType,
			documentNumber,
			valid,
			match: valid,
			faceMatch: valid,
			transactionId: id === undefined || id === null ? null : String(id),
			vendorDetails: {
				operation,
				message: cleanText(answer.message),
				code: answer.code ?? null,
			},
		},
		answer,
		options.includeRaw !== false,
	);
	return { json: record };
}
