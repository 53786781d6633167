import type { IDataObject } from 'n8n-workflow';
import {
	DEFAULT_MINIMUM_AGE,
	DEFAULT_REVIEW_ON,
	DEFAULT_RULES,
} from '../../../nodes/KycDecision/descriptions';
import { comparableName, decide, RULES } from '../../../nodes/KycDecision/rules';
import type { DecisionSettings, RuleName } from '../../../nodes/KycDecision/rules';

const NOW = new Date('2026-03-15T12:00:00Z');

/** A record that passes every rule: an Apptenticate ID card read with both sides and a face check. */
const good = (fields: IDataObject = {}): IDataObject => ({
	vendor: 'apptenticate',
	documentType: 'id_card',
	documentNumber: 'E-8-123456',
	givenNames: 'Sofía María',
	surnames: 'López Contreras',
	fullName: 'Sofía María López Contreras',
	birthDate: '1994-10-10',
	expiryDate: '2032-08-12',
	documentValid: true,
	documentAuthentic: null,
	faceMatch: true,
	liveness: true,
	sidesMatch: true,
	curpValid: null,
	electorKeyValid: null,
	...fields,
});

const only = (rule: RuleName, extra: Partial<DecisionSettings> = {}): DecisionSettings => ({
	rules: [rule],
	minimumAge: DEFAULT_MINIMUM_AGE,
	reviewOn: [],
	...extra,
});

const codes = (records: IDataObject[], settings: DecisionSettings) =>
	decide(records, settings, NOW).reasons.map((reason) => [reason.code, reason.outcome]);

describe('decide: the combination', () => {
	it('no reason: approved, with an empty list of reasons', () => {
		expect(decide([good()], { rules: [...RULES], minimumAge: 18, reviewOn: [] }, NOW)).toEqual({
			decision: 'approved',
			reasons: [],
		});
	});

	it('a rejecting reason rejects even next to review reasons; every reason is listed', () => {
		const result = decide(
			[good({ expiryDate: '2026-03-14', faceMatch: false })],
			{ rules: [...RULES], minimumAge: 18, reviewOn: ['faceMatch'] },
			NOW,
		);
		expect(result.decision).toBe('rejected');
		expect(result.reasons).toEqual([
			{
				code: 'DOCUMENT_EXPIRED',
				message: 'The document expired on 2026-03-14',
				rule: 'notExpired',
				outcome: 'rejected',
			},
			{
				code: 'FACE_MISMATCH',
				message: 'Apptenticate found that the face does not match',
				rule: 'faceMatch',
				outcome: 'review',
			},
		]);
	});

	it('review reasons only: review', () => {
		expect(
			decide([good({ faceMatch: false })], only('faceMatch', { reviewOn: ['faceMatch'] }), NOW)
				.decision,
		).toBe('review');
	});

	it('a rule not chosen is not applied', () => {
		expect(decide([good({ faceMatch: false })], only('minimumAge'), NOW).decision).toBe('approved');
	});

	it('missing data goes to review even for a rule that rejects, and never approves', () => {
		const result = decide(
			[{ vendor: 'linkMobility' }],
			{ rules: [...RULES], minimumAge: 18, reviewOn: [] },
			NOW,
		);
		expect(result.decision).toBe('review');
		expect(result.reasons.every((reason) => reason.outcome === 'review')).toBe(true);
		expect(result.reasons.map((reason) => reason.code)).toEqual([
			'AGE_UNKNOWN',
			'EXPIRY_UNKNOWN',
			'DOCUMENT_VALIDITY_UNKNOWN',
			'FACE_MATCH_UNKNOWN',
			'LIVENESS_UNKNOWN',
		]);
	});

	it('no records at all: review', () => {
		expect(decide([], { rules: DEFAULT_RULES, minimumAge: 18, reviewOn: [] }, NOW).decision).toBe(
			'review',
		);
	});

	it('defaults: six rules; face and liveness failures go to review', () => {
		expect(DEFAULT_RULES).toEqual([
			'minimumAge',
			'notExpired',
			'documentValid',
			'faceMatch',
			'ineIdentifiers',
			'sameDocumentNumber',
		]);
		expect(DEFAULT_REVIEW_ON).toEqual(['faceMatch', 'liveness']);
		expect(DEFAULT_MINIMUM_AGE).toBe(18);
	});
});

describe('rule: minimum age', () => {
	it.each([
		['2008-03-15', 18, []], // 18 today
		['2008-03-16', 18, [['UNDER_MINIMUM_AGE', 'rejected']]], // 18 tomorrow
		['2008-03-16', 17, []],
		['1994-10-10', 21, []],
	])('born %p, minimum %p', (birthDate, minimumAge, expected) => {
		expect(codes([good({ birthDate })], only('minimumAge', { minimumAge }))).toEqual(expected);
	});

	it('the sentence says the age and the minimum', () => {
		const [reason] = decide([good({ birthDate: '2010-01-01' })], only('minimumAge'), NOW).reasons;
		expect(reason.message).toBe('The person is 16, under the minimum age of 18');
	});

	it('no birth date: the vendor age if there is one, else review', () => {
		expect(codes([good({ birthDate: null, age: 30 })], only('minimumAge'))).toEqual([]);
		expect(codes([good({ birthDate: null, age: 17 })], only('minimumAge'))).toEqual([
			['UNDER_MINIMUM_AGE', 'rejected'],
		]);
		expect(codes([good({ birthDate: null })], only('minimumAge'))).toEqual([
			['AGE_UNKNOWN', 'review'],
		]);
	});

	it('several records: the youngest age counts; a record without a birth date is fine', () => {
		expect(
			codes(
				[good({ birthDate: '1990-01-01' }), good({ birthDate: '2010-01-01' })],
				only('minimumAge'),
			),
		).toEqual([['UNDER_MINIMUM_AGE', 'rejected']]);
		expect(
			codes([good(), { vendor: 'apptenticate', faceMatch: true }], only('minimumAge')),
		).toEqual([]);
	});

	it('failure can be sent to review instead', () => {
		expect(
			codes([good({ birthDate: '2010-01-01' })], only('minimumAge', { reviewOn: ['minimumAge'] })),
		).toEqual([['UNDER_MINIMUM_AGE', 'review']]);
	});
});

describe('rule: document not expired', () => {
	it.each([
		['2026-03-15', []], // valid through its last day
		['2026-03-14', [['DOCUMENT_EXPIRED', 'rejected']]],
		['14-03-2026', [['DOCUMENT_EXPIRED', 'rejected']]], // a vendor's format still counts
		[null, [['EXPIRY_UNKNOWN', 'review']]],
		['None-None-None', [['EXPIRY_UNKNOWN', 'review']]],
	])('expiry %p', (expiryDate, expected) => {
		expect(codes([good({ expiryDate })], only('notExpired'))).toEqual(expected);
	});

	it('the sentence names the date', () => {
		expect(
			decide([good({ expiryDate: '2023-09-25' })], only('notExpired'), NOW).reasons[0].message,
		).toBe('The document expired on 2023-09-25');
	});

	it("the expiry date wins over the vendor's flag; the flag counts without a date", () => {
		expect(
			codes([good({ expiryDate: '2023-09-25', isExpired: false })], only('notExpired')),
		).toEqual([['DOCUMENT_EXPIRED', 'rejected']]);
		expect(codes([good({ expiryDate: null, isExpired: false })], only('notExpired'))).toEqual([]);
		const [reason] = decide(
			[good({ vendor: 'progeny', expiryDate: null, isExpired: true })],
			only('notExpired'),
			NOW,
		).reasons;
		expect(reason).toMatchObject({
			code: 'DOCUMENT_EXPIRED',
			message: 'Progeny reports the document as expired',
		});
	});

	it('checks the time it is given, not the time the record was made', () => {
		const record = good({ expiryDate: '2026-03-15', isExpired: false });
		expect(decide([record], only('notExpired'), new Date('2026-03-16T00:00:01Z')).decision).toBe(
			'rejected',
		);
	});
});

describe('rule: document valid', () => {
	it.each([
		[{ documentValid: true }, []],
		[{ documentValid: false }, [['DOCUMENT_NOT_VALID', 'rejected']]],
		[{ documentValid: null }, [['DOCUMENT_VALIDITY_UNKNOWN', 'review']]],
		[{ documentValid: 'true' }, [['DOCUMENT_VALIDITY_UNKNOWN', 'review']]], // only booleans count
		[{ documentValid: true, documentAuthentic: false }, [['DOCUMENT_NOT_AUTHENTIC', 'rejected']]],
		[{ documentValid: null, documentAuthentic: false }, [['DOCUMENT_NOT_AUTHENTIC', 'rejected']]],
	])('%p', (fields, expected) => {
		expect(codes([good(fields)], only('documentValid'))).toEqual(expected);
	});

	it('names the vendor; one record saying not valid is enough', () => {
		const result = decide(
			[good(), good({ vendor: 'linkMobility', documentValid: false })],
			only('documentValid'),
			NOW,
		);
		expect(result.reasons).toEqual([
			{
				code: 'DOCUMENT_NOT_VALID',
				message: 'LINK Mobility found the document not valid',
				rule: 'documentValid',
				outcome: 'rejected',
			},
		]);
	});

	it('a record without a verdict (a face check) next to one with it is fine', () => {
		expect(
			codes([good(), { vendor: 'apptenticate', faceMatch: true }], only('documentValid')),
		).toEqual([]);
	});
});

describe('rule: face match', () => {
	it.each([
		[{ faceMatch: true }, []],
		[{ faceMatch: false }, [['FACE_MISMATCH', 'rejected']]],
		[{ faceMatch: null }, [['FACE_MATCH_UNKNOWN', 'review']]],
	])('%p', (fields, expected) => {
		expect(codes([good(fields)], only('faceMatch'))).toEqual(expected);
	});

	it('the OCR record has no face verdict, the Biometry record has it', () => {
		expect(
			codes(
				[good({ faceMatch: null }), { vendor: 'apptenticate', faceMatch: true }],
				only('faceMatch'),
			),
		).toEqual([]);
		expect(
			codes(
				[good({ faceMatch: null }), { vendor: 'apptenticate', faceMatch: false }],
				only('faceMatch'),
			),
		).toEqual([['FACE_MISMATCH', 'rejected']]);
	});
});

describe('rule: liveness', () => {
	it.each([
		[{ liveness: true }, []],
		[{ liveness: false }, [['LIVENESS_FAILED', 'rejected']]],
		[{ liveness: null }, [['LIVENESS_UNKNOWN', 'review']]],
	])('%p', (fields, expected) => {
		expect(codes([good(fields)], only('liveness'))).toEqual(expected);
	});

	it('the sentence', () => {
		expect(
			decide([good({ vendor: 'progeny', liveness: false })], only('liveness'), NOW).reasons[0]
				.message,
		).toBe('Progeny found that the selfie is not of a live person');
	});
});

describe('rule: sides match', () => {
	it.each([
		[{ sidesMatch: true }, []],
		[{ sidesMatch: false }, [['SIDES_MISMATCH', 'rejected']]],
		[{ sidesMatch: null }, [['SIDES_MATCH_UNKNOWN', 'review']]], // an ID card read without comparing its sides
		[{ sidesMatch: null, documentType: 'voter_id' }, [['SIDES_MATCH_UNKNOWN', 'review']]],
		[{ sidesMatch: null, documentType: 'passport' }, []], // one side: nothing to compare
	])('%p', (fields, expected) => {
		expect(codes([good(fields)], only('sidesMatch'))).toEqual(expected);
	});

	it('the Biometry record (also an id_card, without sides) does not make it unknown', () => {
		expect(
			codes(
				[good(), { vendor: 'apptenticate', documentType: 'id_card', sidesMatch: null }],
				only('sidesMatch'),
			),
		).toEqual([]);
	});
});

describe('rule: INE identifiers', () => {
	const ine = (fields: IDataObject = {}) =>
		good({ documentType: 'voter_id', curpValid: true, electorKeyValid: true, ...fields });

	it.each([
		[{}, []],
		[{ curpValid: false }, [['CURP_INVALID', 'rejected']]],
		[{ electorKeyValid: false }, [['ELECTOR_KEY_INVALID', 'rejected']]],
		[{ curpValid: null }, [['CURP_UNKNOWN', 'review']]],
		[
			{ curpValid: null, electorKeyValid: null },
			[
				['CURP_UNKNOWN', 'review'],
				['ELECTOR_KEY_UNKNOWN', 'review'],
			],
		],
	])('%p', (fields, expected) => {
		expect(codes([ine(fields)], only('ineIdentifiers'))).toEqual(expected);
	});

	it('not a voter ID: not applied', () => {
		expect(codes([good()], only('ineIdentifiers'))).toEqual([]);
	});

	it("the sentence gives the check's problems", () => {
		const record = ine({
			curpValid: false,
			vendorDetails: {
				curpCheck: { valid: false, problems: ['character 11 must be H or M (gender)'] },
			},
		});
		expect(decide([record], only('ineIdentifiers'), NOW).reasons[0].message).toBe(
			'The CURP on the voter ID is not well-formed: character 11 must be H or M (gender)',
		);
	});
});

describe('rule: same document number', () => {
	it.each([
		[['E-8-123456', 'E-8-123456'], []],
		[['E-8-123456', 'e8 123456'], []], // printed differently
		[['E-8-123456', '8-888-1234'], [['DOCUMENT_NUMBER_MISMATCH', 'rejected']]],
		[['E-8-123456', null], [['DOCUMENT_NUMBERS_UNKNOWN', 'review']]],
	])('%p', (numbers, expected) => {
		const records = numbers.map((documentNumber) => good({ documentNumber }));
		expect(codes(records, only('sameDocumentNumber'))).toEqual(expected);
	});

	it('one record: nothing to compare', () => {
		expect(codes([good({ documentNumber: null })], only('sameDocumentNumber'))).toEqual([]);
	});

	it('the sentence', () => {
		const records = [good(), good({ documentNumber: 'X1' }), good({ documentNumber: 'X2' })];
		expect(decide(records, only('sameDocumentNumber'), NOW).reasons[0].message).toBe(
			'The 3 records give 3 different document numbers',
		);
	});
});

describe('rule: same person', () => {
	it('names compared case- and accent-insensitively, in any word order', () => {
		expect(comparableName('Sofía María  López-Contreras')).toBe(
			comparableName('LOPEZ CONTRERAS SOFIA MARIA'),
		);
		const records = [
			good(),
			good({ fullName: 'LOPEZ CONTRERAS SOFIA MARIA' }),
			good({ fullName: null, givenNames: 'SOFIA MARIA', surnames: 'LOPEZ CONTRERAS' }),
		];
		expect(codes(records, only('samePerson'))).toEqual([]);
	});

	it.each([
		[{ fullName: 'Carlos Alberto Rodriguez Batista' }, [['NAME_MISMATCH', 'rejected']]],
		[{ birthDate: '1994-10-11' }, [['BIRTH_DATE_MISMATCH', 'rejected']]],
		[{ birthDate: '10-10-1994' }, []], // the same date in a vendor's format
		[
			{ fullName: 'Carlos Rodriguez', birthDate: '1979-05-03' },
			[
				['NAME_MISMATCH', 'rejected'],
				['BIRTH_DATE_MISMATCH', 'rejected'],
			],
		],
	])('second record %p', (fields, expected) => {
		expect(codes([good(), good(fields)], only('samePerson'))).toEqual(expected);
	});

	it('only one record with a name or a birth date: review', () => {
		expect(
			codes([good(), { vendor: 'apptenticate', faceMatch: true }], only('samePerson')),
		).toEqual([['PERSON_UNKNOWN', 'review']]);
	});

	it('one record: nothing to compare', () => {
		expect(codes([good()], only('samePerson'))).toEqual([]);
	});
});
