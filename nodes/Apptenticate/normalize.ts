import type { IDataObject } from 'n8n-workflow';
import { cleanText, normalizeDate, normalizeGender } from '../shared/identity';
import type { IdentityFields } from '../shared/identity';
import { checkCurp, checkElectorKey } from './mexicanIds';
import type { StructureCheck } from './mexicanIds';

/** Apptenticate's answers mapped onto the identity record: pure, no HTTP. */

export type OcrDocumentType = 'identification_card' | 'passport' | 'ine';

const NORMALIZED_DOCUMENT_TYPES: Record<OcrDocumentType, string> = {
	identification_card: 'id_card',
	passport: 'passport',
	ine: 'voter_id',
};

export const hasBackside = (documentType: OcrDocumentType) => documentType !== 'passport';

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
export function normalizeOcrAnswer(
	documentType: OcrDocumentType,
	answer: IDataObject,
): IdentityFields {
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
		electorKeyValid:
			(vendorDetails.electorKeyCheck as StructureCheck | null | undefined)?.valid ?? null,
		matchScore: typeof answer.matches_percentage === 'number' ? answer.matches_percentage : null,
		transactionId: id === undefined || id === null ? null : String(id),
		vendorDetails,
	};
}

const BIOMETRY_DOCUMENT_TYPES: Record<string, string> = {
	passport: 'passport',
	identification_card: 'id_card',
	profile_image: 'profile_image',
};

/** The document type a foreign-document comparison reports, from the `document_type` sent. */
export const biometryDocumentType = (foreignDocumentType: string) =>
	BIOMETRY_DOCUMENT_TYPES[foreignDocumentType] ?? foreignDocumentType;

/** Maps an Apptenticate biometry answer: its verdict is the face match. */
export function normalizeBiometryAnswer(
	operation: string,
	document: { documentType: string | null; documentNumber: string | null },
	answer: IDataObject,
): IdentityFields {
	const valid = typeof answer.valid === 'boolean' ? answer.valid : null;
	const id = answer.id;
	return {
		...document,
		valid,
		match: valid,
		faceMatch: valid,
		transactionId: id === undefined || id === null ? null : String(id),
		vendorDetails: {
			operation,
			message: cleanText(answer.message),
			code: answer.code ?? null,
		},
	};
}
