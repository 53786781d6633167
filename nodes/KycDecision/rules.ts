import type { IDataObject } from 'n8n-workflow';
import { ageOn, cleanText, isExpiredOn, joinNames, normalizeDate } from '../shared/identity';

export type Decision = 'approved' | 'review' | 'rejected';

export const RULES = [
	'minimumAge',
	'notExpired',
	'documentValid',
	'faceMatch',
	'liveness',
	'sidesMatch',
	'ineIdentifiers',
	'sameDocumentNumber',
	'samePerson',
] as const;
export type RuleName = (typeof RULES)[number];

export interface DecisionSettings {
	rules: RuleName[];
	minimumAge: number;
	/** Rules whose failure sends the item to review instead of rejecting it. */
	reviewOn: RuleName[];
}

export interface Reason extends IDataObject {
	/** Stable, for workflows: e.g. DOCUMENT_EXPIRED. */
	code: string;
	/** For the reviewer: e.g. "The document expired on 2023-09-25". */
	message: string;
	rule: RuleName;
	/** What this reason alone leads to. */
	outcome: 'rejected' | 'review';
}

export interface DecisionResult {
	decision: Decision;
	reasons: Reason[];
}

/** One finding of a rule. `unknown`: the records lack what the rule needs, always review. */
interface Finding {
	code: string;
	message: string;
	unknown?: boolean;
}

type Rule = (records: IDataObject[], settings: DecisionSettings, now: Date) => Finding[];

const VENDOR_NAMES: Record<string, string> = {
	apptenticate: 'Apptenticate',
	linkMobility: 'LINK Mobility',
	progeny: 'Progeny',
};
const vendorName = (record: IDataObject) =>
	VENDOR_NAMES[String(record.vendor)] ?? (cleanText(record.vendor) || 'The vendor');

/** A verdict as the records carry it: only true and false count, anything else is unknown. */
const verdict = (record: IDataObject, field: string): boolean | null =>
	typeof record[field] === 'boolean' ? (record[field] as boolean) : null;

const TWO_SIDED_DOCUMENTS = ['id_card', 'voter_id', 'drivers_license', 'residence_permit'];

/**
 * A yes/no check the vendors report under one field name: fails when a record says false,
 * unknown when no record says either.
 */
function verdictRule(field: string, failed: (record: IDataObject) => Finding, unknown: Finding) {
	return (records: IDataObject[]): Finding[] => {
		const failing = records.filter((record) => verdict(record, field) === false);
		if (failing.length > 0) return failing.map(failed);
		if (records.some((record) => verdict(record, field) === true)) return [];
		return [{ ...unknown, unknown: true }];
	};
}

const unique = <T>(values: T[]) => [...new Set(values)];

/** Names compared case- and accent-insensitively, in any word order (MRZ: surnames first). */
export function comparableName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean)
		.sort()
		.join(' ');
}

const nameOf = (record: IDataObject) =>
	cleanText(record.fullName) ?? joinNames(cleanText(record.givenNames), cleanText(record.surnames));

/** Document numbers as vendors print them differently: E-8-123456, e8 123456. */
const comparableNumber = (value: unknown) =>
	cleanText(value)
		?.toUpperCase()
		.replace(/[^A-Z0-9]/g, '') || null;

const documentValidity = verdictRule(
	'documentValid',
	(record) => ({
		code: 'DOCUMENT_NOT_VALID',
		message: `${vendorName(record)} found the document not valid`,
	}),
	{ code: 'DOCUMENT_VALIDITY_UNKNOWN', message: 'No record says whether the document is valid' },
);

const RULE_CHECKS: Record<RuleName, Rule> = {
	minimumAge: (records, { minimumAge }, now) => {
		const ages = records
			.map(
				(record) =>
					ageOn(record.birthDate, now) ?? (typeof record.age === 'number' ? record.age : null),
			)
			.filter((age): age is number => age !== null);
		if (ages.length === 0) {
			return [
				{
					code: 'AGE_UNKNOWN',
					message: `No record gives the birth date, so the minimum age of ${minimumAge} cannot be checked`,
					unknown: true,
				},
			];
		}
		const youngest = Math.min(...ages);
		return youngest < minimumAge
			? [
					{
						code: 'UNDER_MINIMUM_AGE',
						message: `The person is ${youngest}, under the minimum age of ${minimumAge}`,
					},
				]
			: [];
	},

	notExpired: (records, _settings, now) => {
		const expired = new Set<string>();
		let known = false;
		for (const record of records) {
			const expiry = normalizeDate(record.expiryDate);
			const isExpired = isExpiredOn(expiry, now) ?? verdict(record, 'isExpired');
			if (isExpired === null) continue;
			known = true;
			if (isExpired) {
				expired.add(
					expiry
						? `The document expired on ${expiry}`
						: `${vendorName(record)} reports the document as expired`,
				);
			}
		}
		if (!known)
			return [
				{
					code: 'EXPIRY_UNKNOWN',
					message: "No record gives the document's expiry date",
					unknown: true,
				},
			];
		return [...expired].map((message) => ({ code: 'DOCUMENT_EXPIRED', message }));
	},

	documentValid: (records) => {
		const authenticity = records
			.filter((record) => verdict(record, 'documentAuthentic') === false)
			.map((record) => ({
				code: 'DOCUMENT_NOT_AUTHENTIC',
				message: `${vendorName(record)} found the document not authentic`,
			}));
		const validity = documentValidity(records);
		// A document found not authentic needs no validity verdict to fail.
		return authenticity.length > 0
			? [...validity.filter((finding) => !finding.unknown), ...authenticity]
			: validity;
	},

	faceMatch: verdictRule(
		'faceMatch',
		(record) => ({
			code: 'FACE_MISMATCH',
			message: `${vendorName(record)} found that the face does not match`,
		}),
		{ code: 'FACE_MATCH_UNKNOWN', message: 'No record says whether the face matches' },
	),

	liveness: verdictRule(
		'liveness',
		(record) => ({
			code: 'LIVENESS_FAILED',
			message: `${vendorName(record)} found that the selfie is not of a live person`,
		}),
		{
			code: 'LIVENESS_UNKNOWN',
			message: 'No record says whether the selfie passed a liveness check',
		},
	),

	sidesMatch: (records) => {
		const failing = records.filter((record) => verdict(record, 'sidesMatch') === false);
		if (failing.length > 0) {
			return failing.map((record) => ({
				code: 'SIDES_MISMATCH',
				message: `${vendorName(record)} found that the front and the back of the document do not belong together`,
			}));
		}
		if (records.some((record) => verdict(record, 'sidesMatch') === true)) return [];
		const twoSided = records.some((record) =>
			TWO_SIDED_DOCUMENTS.includes(String(record.documentType)),
		);
		// A passport has one side: nothing to compare.
		return twoSided
			? [
					{
						code: 'SIDES_MATCH_UNKNOWN',
						message: 'The front and the back of the document were not compared',
						unknown: true,
					},
				]
			: [];
	},

	ineIdentifiers: (records) => {
		const ine = records.filter(
			(record) =>
				record.documentType === 'voter_id' ||
				verdict(record, 'curpValid') !== null ||
				verdict(record, 'electorKeyValid') !== null,
		);
		if (ine.length === 0) return [];
		const identifier = (field: string, check: string, name: string, code: string): Finding[] => {
			const failing = ine.filter((record) => verdict(record, field) === false);
			if (failing.length > 0) {
				return failing.map((record) => {
					const problems = (
						(record.vendorDetails as IDataObject | undefined)?.[check] as IDataObject | undefined
					)?.problems;
					const detail =
						Array.isArray(problems) && problems.length > 0 ? `: ${problems.join('; ')}` : '';
					return {
						code: `${code}_INVALID`,
						message: `The ${name} on the voter ID is not well-formed${detail}`,
					};
				});
			}
			if (ine.some((record) => verdict(record, field) === true)) return [];
			return [
				{
					code: `${code}_UNKNOWN`,
					message: `The ${name} could not be read from the voter ID`,
					unknown: true,
				},
			];
		};
		return [
			...identifier('curpValid', 'curpCheck', 'CURP', 'CURP'),
			...identifier('electorKeyValid', 'electorKeyCheck', 'elector key', 'ELECTOR_KEY'),
		];
	},

	sameDocumentNumber: (records) => {
		if (records.length < 2) return [];
		const numbers = records
			.map((record) => comparableNumber(record.documentNumber))
			.filter((n): n is string => n !== null);
		if (numbers.length < 2) {
			return [
				{
					code: 'DOCUMENT_NUMBERS_UNKNOWN',
					message: `Fewer than two of the ${records.length} records give a document number, so they cannot be compared`,
					unknown: true,
				},
			];
		}
		const distinct = unique(numbers).length;
		return distinct > 1
			? [
					{
						code: 'DOCUMENT_NUMBER_MISMATCH',
						message: `The ${records.length} records give ${distinct} different document numbers`,
					},
				]
			: [];
	},

	samePerson: (records) => {
		if (records.length < 2) return [];
		const names = records
			.map(nameOf)
			.filter((name): name is string => name !== null)
			.map(comparableName);
		const births = records
			.map((record) => normalizeDate(record.birthDate))
			.filter((date): date is string => date !== null);
		if (names.length < 2 && births.length < 2) {
			return [
				{
					code: 'PERSON_UNKNOWN',
					message: `Fewer than two of the ${records.length} records give a name or a birth date, so they cannot be compared`,
					unknown: true,
				},
			];
		}
		const findings: Finding[] = [];
		if (unique(names).length > 1)
			findings.push({ code: 'NAME_MISMATCH', message: 'The records give different names' });
		if (unique(births).length > 1)
			findings.push({
				code: 'BIRTH_DATE_MISMATCH',
				message: 'The records give different birth dates',
			});
		return findings;
	},
};

/**
 * Applies the chosen rules to the records of one applicant. Any rejecting reason rejects; else
 * any reason sends to review; no reason approves. Missing data never approves.
 */
export function decide(
	records: IDataObject[],
	settings: DecisionSettings,
	now: Date = new Date(),
): DecisionResult {
	const reasons: Reason[] = [];
	for (const rule of RULES) {
		if (!settings.rules.includes(rule)) continue;
		for (const finding of RULE_CHECKS[rule](records, settings, now)) {
			const outcome = finding.unknown || settings.reviewOn.includes(rule) ? 'review' : 'rejected';
			reasons.push({ code: finding.code, message: finding.message, rule, outcome });
		}
	}
	const decision: Decision = reasons.some((reason) => reason.outcome === 'rejected')
		? 'rejected'
		: reasons.length > 0
			? 'review'
			: 'approved';
	return { decision, reasons };
}
