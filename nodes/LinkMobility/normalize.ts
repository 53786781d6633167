import type { IDataObject } from 'n8n-workflow';
import { cleanText, identityRecord, joinNames, normalizeDate, normalizeGender } from '../shared/identity';
import type { IdentityFields, IdentityRecord } from '../shared/identity';

const VENDOR = 'linkMobility';

/** A text value, trimmed; null when empty. */
const text = (value: unknown): string | null =>
	typeof value === 'string' || typeof value === 'number' ? cleanText(value) : null;

/** An enumeration value (`" ACCEPTED"`, `"approved"`): trimmed and upper-cased. */
export const enumValue = (value: unknown): string | null => text(value)?.toUpperCase() ?? null;

const enumList = (value: unknown): string[] =>
	Array.isArray(value) ? value.map(enumValue).filter((item): item is string => item !== null) : [];

const objectAt = (value: unknown): IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};

/** LINK's document types (callback values and the `TYPE` field of an automatic check). */
const DOCUMENT_TYPES: Record<string, string> = {
	IDENTITY: 'id_card',
	IDENTITY_CARD: 'id_card',
	ID_CARD: 'id_card',
	PASSPORT: 'passport',
	DRIVERS_LICENSE: 'drivers_license',
	DRIVING_LICENSE: 'drivers_license',
	DRIVING_LICENCE: 'drivers_license',
	RESIDENCE_PERMIT: 'residence_permit',
	HEALTH_SERVICES_CARD: 'health_card',
	HEALTH_CARD: 'health_card',
};

export function normalizeDocumentType(value: unknown): string | null {
	const type = enumValue(value)?.replace(/[^A-Z0-9]+/g, '_');
	if (!type) return null;
	return DOCUMENT_TYPES[type] ?? type.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Automatic verification: the `fields` list
// ---------------------------------------------------------------------------------------------

/**
 * Field codes that may carry each identity value, first match wins. LINK's documentation lists
 * only a few codes (TYPE, SIDE, QUALITY_IMAGE_BLURRING, ICAR_RESULT_DOCUMENT_ID,
 * TEST_GLOBAL_AUTHENTICITY_VALUE, TEST_SIDE_CORRESPONDENCE); the others are the usual names of
 * document readers. Codes are compared upper-cased, with any separator read as "_".
 */
export const FIELD_CANDIDATES = {
	documentNumber: ['DOCUMENT_NUMBER', 'DOC_NUMBER', 'DOCUMENTNUMBER', 'NUMBER_DOCUMENT', 'ID_NUMBER', 'IDENTITY_NUMBER', 'PASSPORT_NUMBER', 'CARD_NUMBER'],
	personalNumber: ['PERSONAL_NUMBER', 'PERSONAL_ID', 'PERSONAL_ID_NUMBER', 'PERSONAL_GOVERNMENT_ID', 'NATIONAL_ID', 'DNI', 'NIE', 'NIF'],
	givenNames: ['NAME', 'NAMES', 'GIVEN_NAMES', 'GIVEN_NAME', 'FIRST_NAME', 'FORENAMES', 'FORENAME'],
	surnames: ['SURNAME', 'SURNAMES', 'LAST_NAME', 'FAMILY_NAME'],
	firstSurname: ['FIRST_SURNAME', 'SURNAME_1', 'SURNAME1'],
	secondSurname: ['SECOND_SURNAME', 'SURNAME_2', 'SURNAME2'],
	fullName: ['FULL_NAME', 'FULLNAME', 'COMPLETE_NAME'],
	birthDate: ['BIRTH_DATE', 'BIRTHDATE', 'DATE_OF_BIRTH', 'DOB'],
	issueDate: ['ISSUE_DATE', 'ISSUING_DATE', 'DATE_OF_ISSUE', 'ISSUANCE_DATE', 'DATE_OF_ISSUANCE', 'EXPEDITION_DATE'],
	expiryDate: ['EXPIRY_DATE', 'EXPIRATION_DATE', 'DATE_OF_EXPIRY', 'EXPIRY', 'EXPIRATION', 'VALID_UNTIL'],
	nationality: ['NATIONALITY', 'NATIONALITY_CODE'],
	gender: ['SEX', 'GENDER'],
	documentType: ['DOCUMENT_TYPE', 'DOC_TYPE', 'TYPE'],
	issuingCountry: ['ISSUING_COUNTRY', 'ISSUING_STATE', 'ISSUER_COUNTRY', 'COUNTRY_OF_ISSUE', 'COUNTRY_CODE_OF_ISSUANCE', 'COUNTRY'],
	address: ['ADDRESS', 'FULL_ADDRESS', 'DOMICILE', 'RESIDENCE_ADDRESS'],
	addressLines: ['ADDRESS_LINE_1', 'ADDRESS_LINE_2', 'ADDRESS_LINE_3', 'ADDRESS_LINE_4', 'ADDRESS_1', 'ADDRESS_2', 'ADDRESS_3', 'ADDRESS_4'],
} as const;

const codeKey = (code: string) => code.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_');

export interface FlatFields {
	/** Every field, `{CODE: value}` as LINK spells the code; the first non-empty value wins. */
	fields: Record<string, string>;
	/** The `Validation` fields only (the checks LINK ran, e.g. TEST_GLOBAL_AUTHENTICITY_VALUE). */
	checks: Record<string, string>;
	/** The `Normal` fields, keyed by normalized code, for the identity mapping. */
	data: Map<string, string>;
}

export function flattenFields(list: unknown): FlatFields {
	const flat: FlatFields = { fields: {}, checks: {}, data: new Map() };
	if (!Array.isArray(list)) return flat;
	for (const entry of list) {
		const field = objectAt(entry);
		const code = text(field.code);
		const value = text(field.value);
		if (code === null || value === null) continue;
		flat.fields[code] ??= value;
		if (enumValue(field.type) === 'VALIDATION') flat.checks[code] ??= value;
		else if (!flat.data.has(codeKey(code))) flat.data.set(codeKey(code), value);
	}
	return flat;
}

/** Maps the `Normal` fields of an automatic verification onto the identity schema. */
export function identityFromFields(data: Map<string, string>): IdentityFields {
	const pick = (codes: readonly string[]) => {
		for (const code of codes) {
			const value = data.get(code);
			if (value !== undefined) return value;
		}
		return null;
	};
	const pickAll = (codes: readonly string[]) =>
		codes.map((code) => data.get(code)).filter((value): value is string => value !== undefined);
	const candidates = FIELD_CANDIDATES;
	return {
		documentType: normalizeDocumentType(pick(candidates.documentType)),
		documentNumber: pick(candidates.documentNumber),
		givenNames: pick(candidates.givenNames),
		surnames:
			pick(candidates.surnames) ?? joinNames(pick(candidates.firstSurname), pick(candidates.secondSurname)),
		fullName: pick(candidates.fullName),
		gender: normalizeGender(pick(candidates.gender)),
		birthDate: normalizeDate(pick(candidates.birthDate)),
		issueDate: normalizeDate(pick(candidates.issueDate)),
		expiryDate: normalizeDate(pick(candidates.expiryDate)),
		nationality: enumValue(pick(candidates.nationality)),
		issuingCountry: enumValue(pick(candidates.issuingCountry)),
		address: pick(candidates.address) ?? cleanText(pickAll(candidates.addressLines).join(', ')),
		personalNumber: pick(candidates.personalNumber),
	};
}

/** A `Validation` field's verdict: OK is true, FAIL false, anything else unknown. */
const checkPassed = (value: string | undefined): boolean | null =>
	value === undefined ? null : ({ OK: true, FAIL: false } as Record<string, boolean>)[value.trim().toUpperCase()] ?? null;

/**
 * The normalized record of a `POST /identity/verify` answer. Automatic: the identity fields,
 * `valid` = result Ok. Manual (`status: Processing`): no data yet, the callback brings it.
 */
export function normalizeVerifyAnswer(
	answer: IDataObject,
	sent: { requestId: string; expeditorCountry: string },
	includeRaw: boolean,
): IdentityRecord {
	const verification = objectAt(answer.idVerification);
	const requestId = text(answer.id) ?? sent.requestId;
	const process = text(verification.process);
	const result = text(verification.result);
	const manual = process?.toLowerCase() === 'manual';
	const { fields, checks, data } = manual ? flattenFields(undefined) : flattenFields(verification.fields);
	const identity = manual ? {} : identityFromFields(data);
	return identityRecord(
		VENDOR,
		{
			...identity,
			valid: manual || result === null ? null : result.toLowerCase() === 'ok',
			documentValid: manual || result === null ? null : result.toLowerCase() === 'ok',
			documentAuthentic: checkPassed(checks.TEST_GLOBAL_AUTHENTICITY_VALUE),
			sidesMatch: checkPassed(checks.TEST_SIDE_CORRESPONDENCE),
			// LINK documents no face check code; this is the one the sandbox uses (absent: unknown).
			faceMatch: checkPassed(checks.TEST_FACE_COMPARISON),
			transactionId: requestId,
			vendorDetails: {
				requestId,
				status: text(verification.status),
				process,
				result,
				warning: text(verification.warning),
				certificationStatus: text(objectAt(answer.certification).status),
				expeditorCountry: sent.expeditorCountry,
				fields,
				checks,
			},
		},
		answer,
		includeRaw,
	);
}

// ---------------------------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------------------------

export const LINK_SERVICES = ['Certification', 'ManualIDVerification'] as const;
export const LINK_STATUSES = ['Completed', 'Processing', 'Error'] as const;

/** The canonical spelling of a value from a list, matched trimmed and case-insensitively. */
export function canonical<T extends string>(value: unknown, allowed: readonly T[]): T | string | null {
	const given = text(value);
	if (given === null) return null;
	return allowed.find((name) => name.toLowerCase() === given.toLowerCase()) ?? given;
}

const finding = (value: unknown) => {
	const detail = objectAt(value);
	return { result: enumValue(detail.result), reasons: enumList(detail.reasons) };
};

function joinAddress(address: IDataObject): string | null {
	const lines = (source: unknown) => {
		const lines = objectAt(source);
		return cleanText(
			['addressLine1', 'addressLine2', 'addressLine3', 'addressLine4']
				.map((key) => text(lines[key]))
				.filter(Boolean)
				.join(', '),
		);
	};
	return lines(address.parsedAddress) ?? lines(address.unparsedAddress);
}

/** A reviewer's verdict: true / false for the two known values, null for anything else. */
const verdict = (value: string | null, yes: string, no: string): boolean | null =>
	value === yes ? true : value === no ? false : null;

/** The identity part of a ManualIDVerification callback. */
function manualVerificationFields(data: IDataObject): IdentityFields {
	const documentInfo = objectAt(data.documentInfo);
	const findings = objectAt(documentInfo.findings);
	const details = objectAt(findings.details);
	const extracted = objectAt(documentInfo.extractedData);
	const document = objectAt(extracted.documentAttributes);
	const person = objectAt(extracted.personAttributes);
	const name = objectAt(extracted.name);
	const face = objectAt(data.faceComparisonInfo);
	const faceFindings = objectAt(face.findings);
	const faceAcceptance = finding(face.acceptance);
	const documentApproval = enumValue(findings.documentApproval);
	const faceMatch = enumValue(faceFindings.faceComparisonApproval);

	return {
		documentType: normalizeDocumentType(document.documentType),
		documentNumber: text(document.documentNumber),
		givenNames: text(name.givenNames),
		surnames: text(name.surname) ?? joinNames(text(name.firstSurname), text(name.secondSurname)),
		fullName: text(name.fullName),
		gender: normalizeGender(text(person.gender)),
		birthDate: normalizeDate(text(person.dateOfBirth)),
		issueDate: normalizeDate(text(document.dateOfIssuance)),
		expiryDate: normalizeDate(text(document.dateOfExpiry)),
		nationality: enumValue(person.nationalityCode),
		issuingCountry: enumValue(document.countryCodeOfIssuance),
		address: joinAddress(objectAt(extracted.address)),
		personalNumber: text(person.personalGovernmentId),
		valid: documentApproval === null ? null : documentApproval === 'APPROVED',
		match: faceMatch === null ? null : faceMatch === 'MATCH',
		documentValid: documentApproval === null ? null : documentApproval === 'APPROVED',
		documentAuthentic: verdict(finding(details.authenticity).result, 'AUTHENTIC', 'NOT_AUTHENTIC'),
		faceMatch: verdict(faceMatch, 'MATCH', 'NOT_MATCH'),
		liveness: verdict(enumValue(faceFindings.faceLivenessApproval), 'LIVE', 'NOT_LIVE'),
		vendorDetails: {
			acceptance: finding(documentInfo.acceptance),
			documentApproval,
			authenticity: finding(details.authenticity),
			originality: finding(details.originality),
			validity: finding(details.validity),
			faceComparison: {
				acceptance: faceAcceptance.result,
				reasons: faceAcceptance.reasons,
				match: faceMatch,
				liveness: enumValue(faceFindings.faceLivenessApproval),
			},
			placeOfBirth: text(person.placeOfBirth),
			issuingAuthority: text(document.issuingAuthority),
			stateOrProvinceOfIssuance: text(document.stateOrProvinceOfIssuance),
		},
	};
}

/**
 * The normalized record of a LINK callback. Certification: the request id and the certificate
 * URL (the trigger adds the PDF). ManualIDVerification: the reviewed identity and verdicts.
 */
export function normalizeCallback(body: IDataObject, includeRaw: boolean): IdentityRecord {
	const requestId = text(body.id);
	const service = canonical(body.service, LINK_SERVICES);
	const status = canonical(body.status, LINK_STATUSES);
	const data = objectAt(body.data);
	const common = { requestId, service, status };

	let fields: IdentityFields;
	if (service === 'ManualIDVerification') {
		const manual = manualVerificationFields(data);
		fields = { ...manual, vendorDetails: { ...common, ...manual.vendorDetails } };
	} else if (service === 'Certification') {
		fields = { vendorDetails: { ...common, certificateUrl: text(data.urlCertificateFile) } };
	} else {
		fields = { vendorDetails: { ...common, data } };
	}
	return identityRecord(VENDOR, { ...fields, transactionId: requestId }, body, includeRaw);
}
