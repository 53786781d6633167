import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImageParameter } from '../../shared/binaryImage';
import { cleanText, identityRecord, normalizeDate, normalizeGender } from '../../shared/identity';
import type { IdentityFields } from '../../shared/identity';
import { checkCurp, checkElectorKey } from '../mexicanIds';
import type { StructureCheck } from '../mexicanIds';
import { APPTENTICATE_IMAGE_RULES, apptenticatePost, pythonBoolean } from '../transport';
import type { ApptenticateContext } from '../transport';

export type OcrDocumentType = 'identification_card' | 'passport' | 'ine';

const ENDPOINTS: Record<OcrDocumentType, string> = {
	identification_card: '/api/v3/ocr/',
	passport: '/api/v3/ocr/',
	ine: '/api/v3.2/ocr/',
};

const NORMALIZED_DOCUMENT_TYPES: Record<OcrDocumentType, string> = {
	identification_card: 'id_card',
	passport: 'passport',
	ine: 'voter_id',
};

export const hasBackside = (documentType: OcrDocumentType) => documentType !== 'passport';

export async function ocrItem(
	ctx: IExecuteFunctions,
	apptenticate: ApptenticateContext,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const documentType = ctx.getNodeParameter('documentType', itemIndex) as OcrDocumentType;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const withBack = hasBackside(documentType);
	const validateSides = withBack && (ctx.getNodeParameter('validateSides', itemIndex, false) as boolean);

	const frontside = await readImageParameter(
		ctx,
		itemIndex,
		'frontImageProperty',
		'Front Image Binary Field',
		APPTENTICATE_IMAGE_RULES,
	);
	const backside = withBack
		? await readImageParameter(ctx, itemIndex, 'backImageProperty', 'Back Image Binary Field', APPTENTICATE_IMAGE_RULES)
		: undefined;

	const documentTypeValue =
		documentType === 'ine' ? ((options.ineDocumentTypeValue as string) ?? 'id_mexico') : documentType;
	const answer = await apptenticatePost(
		apptenticate,
		ENDPOINTS[documentType],
		{
			document_type: documentTypeValue,
			return_id: options.returnTransactionId === false ? undefined : pythonBoolean(true),
			device: (options.device as string) || undefined,
			validate_sides: validateSides ? pythonBoolean(true) : undefined,
		},
		{ frontside, backside },
		itemIndex,
	);
	const fields = normalizeOcrAnswer(documentType, answer);
	return { json: identityRecord('apptenticate', fields, answer, options.includeRaw !== false) };
}

const pick = (sources: IDataObject[], ...keys: string[]) => {
	for (const source of sources) {
		for (const key of keys) {
			const value = cleanText(source[key]);
			if (value !== null) return value;
		}
	}
	return null;
};

/** Maps an Apptenticate OCR answer (with or without validate_sides) onto the identity schema. */
export function normalizeOcrAnswer(documentType: OcrDocumentType, answer: IDataObject): IdentityFields {
	const back = (answer.backside ?? {}) as IDataObject;
	const front = (answer.frontside ?? {}) as IDataObject;
	const sided = typeof answer.backside === 'object' || typeof answer.frontside === 'object';
	// The back holds machine-read data (Panama: QR, INE: MRZ): more reliable than the front's OCR.
	const sources = sided ? [back, front] : [answer];
	const isIne = documentType === 'ine';

	const gender =
		normalizeGender(pick(sided ? [back] : [answer], 'gender')) ??
		normalizeGender(pick([front], 'gender'), isIne);
	const vendorDetails: IDataObject = {
		documentTypeSent: documentType,
		birthCountry: pick(sources, 'birth_country'),
	};
	if (sided) {
		vendorDetails.frontside = front;
		vendorDetails.backside = back;
	}
	let personalNumber: string | null = null;
	let address: string | null = null;
	if (isIne) {
		const curp = pick([front, answer], 'CURP', 'curp');
		const electorKey = pick([front, answer], 'elector_key');
		personalNumber = curp;
		address = pick([front, answer], 'address');
		Object.assign(vendorDetails, {
			citizenId: pick(sources, 'citizen_id'),
			cic: pick(sources, 'cic'),
			curp,
			electorKey,
			section: pick([front, answer], 'section'),
			validityPeriod: pick([front, answer], 'validity_period'),
			emissionNumber: pick([front, answer], 'emission_number'),
			curpCheck: curp ? checkCurp(curp) : null,
			electorKeyCheck: electorKey ? checkElectorKey(electorKey) : null,
		});
		delete vendorDetails.birthCountry;
	}

	const id = answer.id;
	return {
		documentType: NORMALIZED_DOCUMENT_TYPES[documentType],
		documentNumber: pick(sources, 'document_number'),
		givenNames: pick(sources, 'names', 'name'),
		surnames: pick(sources, 'surnames', 'surname'),
		gender,
		birthDate: normalizeDate(pick(sources, 'birth_date', 'date_of_birth')),
		issueDate: normalizeDate(pick(sources, 'issuing_date', 'issue_date')),
		expiryDate: normalizeDate(pick(sources, 'expiration_date', 'expiry_date')),
		nationality: pick(sources, 'nationality'),
		issuingCountry:
			pick(sources, 'issuing_country', 'country_code') ??
			(documentType === 'identification_card' ? 'PAN' : isIne ? 'MEX' : null),
		address,
		personalNumber,
		valid: typeof answer.valid === 'boolean' ? answer.valid : null,
		match: typeof answer.match === 'boolean' ? answer.match : null,
		documentValid: typeof answer.valid === 'boolean' ? answer.valid : null,
		sidesMatch: typeof answer.match === 'boolean' ? answer.match : null,
		curpValid: (vendorDetails.curpCheck as StructureCheck | null | undefined)?.valid ?? null,
		electorKeyValid: (vendorDetails.electorKeyCheck as StructureCheck | null | undefined)?.valid ?? null,
		matchScore: typeof answer.matches_percentage === 'number' ? answer.matches_percentage : null,
		transactionId: id === undefined || id === null ? null : String(id),
		vendorDetails,
	};
}
