import type { IDataObject } from 'n8n-workflow';

export type KycVendor = 'apptenticate' | 'linkMobility' | 'progeny';
export type Gender = 'M' | 'F' | 'X';

/**
 * The one output shape every node of this package produces, whatever the vendor, so that a
 * mapping to a CRM or a sheet is written once. Fields a vendor does not give are null.
 */
// A type alias rather than an interface: it is then assignable to IDataObject (an item's json).
export type IdentityRecord = {
	vendor: KycVendor;
	/** `id_card`, `passport`, `voter_id` (Mexican INE/IFE), `drivers_license`, `residence_permit`, `health_card`, or null. */
	documentType: string | null;
	documentNumber: string | null;
	givenNames: string | null;
	surnames: string | null;
	fullName: string | null;
	gender: Gender | null;
	/** ISO dates, YYYY-MM-DD. */
	birthDate: string | null;
	issueDate: string | null;
	expiryDate: string | null;
	nationality: string | null;
	issuingCountry: string | null;
	address: string | null;
	personalNumber: string | null;
	/** The vendor's overall verdict: document valid / verification passed. */
	valid: boolean | null;
	/** Face or front/back match, where the operation compares two things. */
	match: boolean | null;
	/** Match score as the vendor gives it (Apptenticate: percentage 0-100). */
	matchScore: number | null;
	/** Derived: the expiry date is before today (UTC); null when the expiry date is unknown. */
	isExpired: boolean | null;
	/** Derived: whole years from the birth date to today (UTC); null when the birth date is unknown. */
	age: number | null;
	/** The vendors' verdicts, under the same names for every vendor; null where a vendor gives none. */
	documentValid: boolean | null;
	documentAuthentic: boolean | null;
	faceMatch: boolean | null;
	liveness: boolean | null;
	sidesMatch: boolean | null;
	/** Mexican INE: the CURP and the elector key are well-formed (checked by this package). */
	curpValid: boolean | null;
	electorKeyValid: boolean | null;
	transactionId: string | null;
	/** Everything vendor-specific, under one clearly named key. */
	vendorDetails: IDataObject;
	/** The vendor's untouched answer (left out when the node's "Include Raw Response" is off). */
	raw?: IDataObject;
};

export type IdentityFields = Partial<Omit<IdentityRecord, 'vendor'>>;

const EMPTY_DATE = /^(none|null|undefined|n\/a)?([-/.](none|null|undefined|n\/a)?)*$/i;

function isoDate(year: number, month: number, day: number): string | null {
	const date = new Date(Date.UTC(year, month - 1, day));
	const valid =
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
	if (!valid) return null;
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Vendors send `DD-MM-YYYY` (Apptenticate), `YYYY-MM-DD` (Apptenticate INE expiry, LINK),
 * `YYYY-M-D` and `None-None-None` (Progeny). Anything that is not a real calendar date is null.
 */
export function normalizeDate(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const text = value.trim();
	if (text === '' || EMPTY_DATE.test(text)) return null;
	const yearFirst = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(text);
	if (yearFirst) return isoDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
	const dayFirst = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
	if (dayFirst) return isoDate(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));
	return null;
}

const GENDERS: Record<string, Gender> = {
	m: 'M',
	male: 'M',
	masculino: 'M',
	hombre: 'M',
	h: 'M',
	f: 'F',
	female: 'F',
	femenino: 'F',
	mujer: 'F',
	x: 'X',
	'n/b': 'X',
	nb: 'X',
	'non-binary': 'X',
	'non binary': 'X',
	nonbinary: 'X',
};

/**
 * `M` / `F` / `X`, or null when unknown. On the front of a Mexican INE the letters are Spanish
 * (`H` = hombre, `M` = mujer): pass `spanishLetters` there, since `M` then means female.
 */
export function normalizeGender(value: unknown, spanishLetters = false): Gender | null {
	if (typeof value !== 'string') return null;
	const key = value.trim().toLowerCase();
	if (spanishLetters && key === 'm') return 'F';
	return GENDERS[key] ?? null;
}

export function cleanText(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	const text = String(value).trim();
	return text === '' ? null : text;
}

export function joinNames(...parts: Array<string | null | undefined>): string | null {
	return cleanText(parts.filter((part) => part).join(' '));
}

/** Today's date in UTC, YYYY-MM-DD: the day the derived fields and the decisions refer to. */
export function utcDay(now: Date = new Date()): string {
	return now.toISOString().slice(0, 10);
}

/** Whether the document expired before today (UTC); null when the expiry date is unknown. */
export function isExpiredOn(expiryDate: unknown, now: Date = new Date()): boolean | null {
	const expiry = normalizeDate(expiryDate);
	return expiry === null ? null : expiry < utcDay(now);
}

/** Age in whole years at today (UTC); null when the birth date is unknown or in the future. */
export function ageOn(birthDate: unknown, now: Date = new Date()): number | null {
	const birth = normalizeDate(birthDate);
	if (birth === null) return null;
	const today = utcDay(now);
	const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
	// ISO dates compare as text: MM-DD before the birthday means the year is not complete yet.
	const age = today.slice(5) < birth.slice(5) ? years - 1 : years;
	return age < 0 ? null : age;
}

/**
 * Builds a complete record: every schema field present, null where the vendor gave nothing.
 * `isExpired` and `age` are derived from the dates; a vendor's own value (`fields.isExpired`,
 * `fields.age`) is only used when the date is unknown.
 */
export function identityRecord(
	vendor: KycVendor,
	fields: IdentityFields,
	raw: IDataObject | undefined,
	includeRaw: boolean,
	now: Date = new Date(),
): IdentityRecord {
	const record: IdentityRecord = {
		vendor,
		documentType: fields.documentType ?? null,
		documentNumber: fields.documentNumber ?? null,
		givenNames: fields.givenNames ?? null,
		surnames: fields.surnames ?? null,
		fullName: fields.fullName ?? joinNames(fields.givenNames, fields.surnames),
		gender: fields.gender ?? null,
		birthDate: fields.birthDate ?? null,
		issueDate: fields.issueDate ?? null,
		expiryDate: fields.expiryDate ?? null,
		nationality: fields.nationality ?? null,
		issuingCountry: fields.issuingCountry ?? null,
		address: fields.address ?? null,
		personalNumber: fields.personalNumber ?? null,
		valid: fields.valid ?? null,
		match: fields.match ?? null,
		matchScore: fields.matchScore ?? null,
		isExpired: isExpiredOn(fields.expiryDate, now) ?? fields.isExpired ?? null,
		age: ageOn(fields.birthDate, now) ?? fields.age ?? null,
		documentValid: fields.documentValid ?? null,
		documentAuthentic: fields.documentAuthentic ?? null,
		faceMatch: fields.faceMatch ?? null,
		liveness: fields.liveness ?? null,
		sidesMatch: fields.sidesMatch ?? null,
		curpValid: fields.curpValid ?? null,
		electorKeyValid: fields.electorKeyValid ?? null,
		transactionId: fields.transactionId ?? null,
		vendorDetails: fields.vendorDetails ?? {},
	};
	if (includeRaw && raw !== undefined) record.raw = raw;
	return record;
}
