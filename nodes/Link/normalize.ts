import type { IDataObject } from 'n8n-workflow';
import {
	cleanText,
	identityRecord,
	joinNames,
	normalizeDate,
	normalizeGender,
} from '../shared/identity';
import type { IdentityFields, IdentityRecord } from '../shared/identity';
import { toAlpha3 } from './countries';

const VENDOR = 'linkMobility';

/** A text value, trimmed; null when empty. */
const text = (value: unknown): string | null =>
	typeof value === 'string' || typeof value === 'number' ? cleanText(value) : null;

/** An enumeration value (`" ACCEPTED"`, `"approved"`): trimmed and upper-cased. */
export const enumValue = (value: unknown): string | null => text(value)?.toUpperCase() ?? null;

const enumList = (value: unknown): string[] =>
	Array.isArray(value) ? value.map(enumValue).filter((item): item is string => item !== null) : [];

const objectAt = (value: unknown): IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: {};

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
 * Field codes that may carry each identity value, first code present wins. LINK's documentation
 * lists only a few codes (TYPE, SIDE, QUALITY_IMAGE_BLURRING, ICAR_RESULT_DOCUMENT_ID,
 * TEST_GLOBAL_AUTHENTICITY_VALUE, TEST_SIDE_CORRESPONDENCE); its engine is ICAR's, whose names
 * (SURNAME once per surname, EXPEDITOR, ID_NUMBER for the national id of a Spanish DNI) are
 * here with the usual names of document readers. Codes are compared upper-cased, with any
 * separator read as "_".
 */
export const FIELD_CANDIDATES = {
	documentNumber: [
		'DOCUMENT_NUMBER',
		'DOC_NUMBER',
		'DOCUMENTNUMBER',
		'NUMBER_DOCUMENT',
		'IDENTITY_NUMBER',
		'PASSPORT_NUMBER',
		'CARD_NUMBER',
	],
	personalNumber: [
		'PERSONAL_NUMBER',
		'ID_NUMBER',
		'PERSONAL_ID',
		'PERSONAL_ID_NUMBER',
		'PERSONAL_GOVERNMENT_ID',
		'NATIONAL_ID',
		'DNI',
		'NIE',
		'NIF',
	],
	givenNames: ['NAME', 'NAMES', 'GIVEN_NAMES', 'GIVEN_NAME', 'FIRST_NAME', 'FORENAMES', 'FORENAME'],
	surnames: ['SURNAME', 'SURNAMES', 'LAST_NAME', 'FAMILY_NAME'],
	firstSurname: ['FIRST_SURNAME', 'SURNAME_1', 'SURNAME1'],
	secondSurname: ['SECOND_SURNAME', 'SURNAME_2', 'SURNAME2'],
	fullName: ['FULL_NAME', 'FULLNAME', 'COMPLETE_NAME'],
	birthDate: ['BIRTH_DATE', 'BIRTHDATE', 'DATE_OF_BIRTH', 'DOB'],
	issueDate: [
		'ISSUE_DATE',
		'ISSUING_DATE',
		'DATE_OF_ISSUE',
		'ISSUANCE_DATE',
		'DATE_OF_ISSUANCE',
		'EXPEDITION_DATE',
	],
	expiryDate: [
		'EXPIRY_DATE',
		'EXPIRATION_DATE',
		'DATE_OF_EXPIRY',
		'EXPIRY',
		'EXPIRATION',
		'VALID_UNTIL',
	],
	nationality: ['NATIONALITY', 'NATIONALITY_CODE'],
	gender: ['SEX', 'GENDER'],
	documentType: ['DOCUMENT_TYPE', 'DOC_TYPE', 'TYPE'],
	issuingCountry: [
		'ISSUING_COUNTRY',
		'ISSUING_STATE',
		'ISSUING_STATE_CODE',
		'EXPEDITOR',
		'EXPEDITOR_COUNTRY',
		'ISSUER_COUNTRY',
		'COUNTRY_OF_ISSUE',
		'COUNTRY_CODE_OF_ISSUANCE',
		'COUNTRY',
	],
	address: ['ADDRESS', 'FULL_ADDRESS', 'DOMICILE', 'RESIDENCE_ADDRESS'],
	addressLines: [
		'ADDRESS_LINE_1',
		'ADDRESS_LINE_2',
		'ADDRESS_LINE_3',
		'ADDRESS_LINE_4',
		'ADDRESS_1',
		'ADDRESS_2',
		'ADDRESS_3',
		'ADDRESS_4',
	],
	/** The face comparison, read only when a face image was sent. */
	match: ['TEST_FACE_RECOGNITION_VALUE'],
	matchScore: ['TEST_FACE_RECOGNITION_RATIO'],
} as const;

/** The record fields a "Field Mapping" row can fill from a LINK field code. */
export const MAPPABLE_FIELDS = [
	'documentType',
	'documentNumber',
	'personalNumber',
	'givenNames',
	'surnames',
	'fullName',
	'gender',
	'birthDate',
	'issueDate',
	'expiryDate',
	'nationality',
	'issuingCountry',
	'address',
	'match',
	'matchScore',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** A user's "Field Mapping" row: LINK's `code` fills the record's `field`. */
export interface FieldMapping {
	code: string;
	field: MappableField;
}

export const codeKey = (code: string) =>
	code
		.trim()
		.toUpperCase()
		.replace(/[^A-Z0-9]+/g, '_');

/**
 * One code's value: a string, or, when LINK gives the code several times with different values
 * (a SURNAME per surname, an MRZ line each, a check run on each side), all of them in LINK's
 * order. A check that passed on one side and failed on the other is then `["OK", "FAIL"]`, which
 * no test for `"OK"` mistakes for a pass.
 */
export type FieldValue = string | string[];

export interface FlatFields {
	/** Every field, `{CODE: value}` as LINK spells the code. */
	fields: Record<string, FieldValue>;
	/** The `Validation` fields only (the checks LINK ran, e.g. TEST_GLOBAL_AUTHENTICITY_VALUE). */
	checks: Record<string, FieldValue>;
	/** The `Normal` fields' distinct values by normalized code, for the identity mapping. */
	data: Map<string, string[]>;
	/** Every field's distinct values by normalized code (user mappings and the face comparison). */
	all: Map<string, string[]>;
}

function addValue<K>(target: Map<K, string[]>, key: K, value: string) {
	const values = target.get(key);
	if (!values) target.set(key, [value]);
	else if (!values.includes(value)) values.push(value);
}

const asFieldValues = (byCode: Map<string, string[]>): Record<string, FieldValue> =>
	Object.fromEntries(
		[...byCode].map(([code, values]) => [code, values.length === 1 ? values[0] : values]),
	);

export function flattenFields(list: unknown): FlatFields {
	const fields = new Map<string, string[]>();
	const checks = new Map<string, string[]>();
	const data = new Map<string, string[]>();
	const all = new Map<string, string[]>();
	for (const entry of Array.isArray(list) ? list : []) {
		const field = objectAt(entry);
		const code = text(field.code);
		const value = text(field.value);
		if (code === null || value === null) continue;
		addValue(fields, code, value);
		addValue(all, codeKey(code), value);
		if (enumValue(field.type) === 'VALIDATION') addValue(checks, code, value);
		else addValue(data, codeKey(code), value);
	}
	return { fields: asFieldValues(fields), checks: asFieldValues(checks), data, all };
}

/** OK / FAIL and their synonyms; a repeated check is false if any value fails, null if one is unknown. */
function verdict(values: string[]): boolean | null {
	const verdicts = values.map((value) => {
		const word = codeKey(value);
		if (['OK', 'TRUE', 'YES', 'MATCH', 'PASS', 'PASSED'].includes(word)) return true;
		if (['FAIL', 'FAILED', 'KO', 'NOT_OK', 'FALSE', 'NO', 'NOT_MATCH', 'NO_MATCH'].includes(word))
			return false;
		return null;
	});
	if (verdicts.includes(false)) return false;
	return verdicts.length > 0 && verdicts.every((value) => value === true) ? true : null;
}

/** A ratio as LINK writes it: `0.93`, `0,93` or `93%` (then 93). */
function score(values: string[]): number | null {
	const match = /^(-?\d+(?:[.,]\d+)?)\s*%?$/.exec(values[0] ?? '');
	return match ? Number(match[1].replace(',', '.')) : null;
}

const first = (values: string[]) => values[0] ?? null;
const joined = (separator: string) => (values: string[]) => cleanText(values.join(separator));

/** How each record field is read from a code's distinct values; null means "try the next code". */
const READERS: Record<MappableField, (values: string[]) => string | number | boolean | null> = {
	documentType: (values) => normalizeDocumentType(first(values)),
	documentNumber: first,
	personalNumber: first,
	givenNames: first,
	// ICAR gives one SURNAME field per surname.
	surnames: joined(' '),
	fullName: first,
	gender: (values) => normalizeGender(first(values)),
	birthDate: (values) => normalizeDate(first(values)),
	issueDate: (values) => normalizeDate(first(values)),
	expiryDate: (values) => normalizeDate(first(values)),
	nationality: (values) => enumValue(first(values)),
	// A value that is no ISO code is skipped: the country the node sent then stands.
	issuingCountry: (values) => toAlpha3(first(values)),
	address: joined(', '),
	match: verdict,
	matchScore: score,
};

export interface FieldContext {
	/** The user's "Field Mapping" rows: tried before the built-in codes. */
	mapping?: FieldMapping[];
	/** Whether a face image was sent: only then does the face comparison fill `match`. */
	faceImage?: boolean;
	/** The `expeditorCountry` sent (alpha-2): the issuing country when the answer has none. */
	expeditorCountry?: string;
}

/** Maps the fields of an automatic verification onto the identity schema. */
export function identityFromFields(flat: FlatFields, context: FieldContext = {}): IdentityFields {
	const mapping = context.mapping ?? [];
	/** The user's codes for `field` first (any field type), then the built-in ones. */
	const read = (field: MappableField, builtIn: readonly string[], source = flat.data) => {
		const tries = [
			...mapping.filter((row) => row.field === field).map((row) => flat.all.get(codeKey(row.code))),
			...builtIn.map((code) => source.get(code)),
		];
		for (const values of tries) {
			const value = values === undefined ? null : READERS[field](values);
			if (value !== null) return value;
		}
		return null;
	};
	const textOf = (field: MappableField, builtIn: readonly string[]) =>
		read(field, builtIn) as string | null;
	const firstValue = (codes: readonly string[]) =>
		codes.map((code) => flat.data.get(code)?.[0]).find((value) => value !== undefined) ?? null;
	const candidates = FIELD_CANDIDATES;
	// Without a face image LINK compared no face: a face verdict would then mean nothing.
	const face = context.faceImage === true;
	return {
		documentType: textOf('documentType', candidates.documentType),
		documentNumber: textOf('documentNumber', candidates.documentNumber),
		givenNames: textOf('givenNames', candidates.givenNames),
		surnames:
			textOf('surnames', candidates.surnames) ??
			joinNames(firstValue(candidates.firstSurname), firstValue(candidates.secondSurname)),
		fullName: textOf('fullName', candidates.fullName),
		gender: read('gender', candidates.gender) as IdentityFields['gender'],
		birthDate: textOf('birthDate', candidates.birthDate),
		issueDate: textOf('issueDate', candidates.issueDate),
		expiryDate: textOf('expiryDate', candidates.expiryDate),
		nationality: textOf('nationality', candidates.nationality),
		issuingCountry:
			textOf('issuingCountry', candidates.issuingCountry) ?? toAlpha3(context.expeditorCountry),
		address:
			textOf('address', candidates.address) ??
			cleanText(candidates.addressLines.flatMap((code) => flat.data.get(code) ?? []).join(', ')),
		personalNumber: textOf('personalNumber', candidates.personalNumber),
		match: read('match', face ? candidates.match : [], flat.all) as boolean | null,
		matchScore: read('matchScore', face ? candidates.matchScore : [], flat.all) as number | null,
	};
}

/** What the node sent, as the answer's mapping needs it. */
export interface SentRequest extends FieldContext {
	requestId: string;
	expeditorCountry: string;
}

/**
 * The normalized record of a `POST /identity/verify` answer. Automatic: the identity fields,
 * `valid` = result Ok. Manual (`status: Processing`): no data yet, the callback brings it.
 */
export function normalizeVerifyAnswer(
	answer: IDataObject,
	sent: SentRequest,
	includeRaw: boolean,
): IdentityRecord {
	const verification = objectAt(answer.idVerification);
	const requestId = text(answer.id) ?? sent.requestId;
	const process = text(verification.process);
	const result = text(verification.result);
	const manual = process?.toLowerCase() === 'manual';
	const flat = flattenFields(manual ? undefined : verification.fields);
	const identity = manual ? {} : identityFromFields(flat, sent);
	return identityRecord(
		VENDOR,
		{
			...identity,
			valid: manual || result === null ? null : result.toLowerCase() === 'ok',
			documentValid: manual || result === null ? null : result.toLowerCase() === 'ok',
			documentAuthentic: verdict(flat.all.get('TEST_GLOBAL_AUTHENTICITY_VALUE') ?? []),
			sidesMatch: verdict(flat.all.get('TEST_SIDE_CORRESPONDENCE') ?? []),
			faceMatch: identity.match ?? null,
			transactionId: requestId,
			vendorDetails: {
				requestId,
				status: text(verification.status),
				process,
				result,
				warning: text(verification.warning),
				certificationStatus: text(objectAt(answer.certification).status),
				expeditorCountry: sent.expeditorCountry,
				fields: flat.fields,
				checks: flat.checks,
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
export function canonical<T extends string>(
	value: unknown,
	allowed: readonly T[],
): T | string | null {
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
const reviewVerdict = (value: string | null, yes: string, no: string): boolean | null =>
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
		documentAuthentic: reviewVerdict(
			finding(details.authenticity).result,
			'AUTHENTIC',
			'NOT_AUTHENTIC',
		),
		faceMatch: reviewVerdict(faceMatch, 'MATCH', 'NOT_MATCH'),
		liveness: reviewVerdict(enumValue(faceFindings.faceLivenessApproval), 'LIVE', 'NOT_LIVE'),
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
