import {
	ageOn,
	identityRecord,
	isExpiredOn,
	normalizeDate,
	normalizeGender,
	utcDay,
} from '../../../nodes/shared/identity';

describe('normalizeDate', () => {
	test.each([
		['10-10-1994', '1994-10-10'], // Apptenticate DD-MM-YYYY
		['12-08-2032', '2032-08-12'],
		['2025-12-31', '2025-12-31'], // INE expiry, LINK
		['1991-9-24', '1991-09-24'], // Progeny YYYY-M-D
		['2023-9-5', '2023-09-05'],
		['1963-10-31', '1963-10-31'],
		[' 15-03-1990 ', '1990-03-15'],
		['None-None-None', null], // Progeny's missing date
		['', null],
		['31-02-2020', null], // not a calendar date
		['2020-13-01', null],
		['yesterday', null],
		[null, null],
		[19900315, null],
	])('%p -> %p', (input, expected) => {
		expect(normalizeDate(input)).toBe(expected);
	});
});

describe('normalizeGender', () => {
	test.each([
		['F', false, 'F'],
		['M', false, 'M'],
		['Male', false, 'M'],
		['Female', false, 'F'],
		[' male ', false, 'M'],
		['N/B', false, 'X'], // LINK non-binary
		['X', false, 'X'],
		['H', true, 'M'], // INE front: hombre
		['M', true, 'F'], // INE front: mujer
		['Male', true, 'M'], // the INE front can also say Male
		['?', false, null],
		['', false, null],
		[undefined, false, null],
	])('%p (spanish letters: %p) -> %p', (input, spanish, expected) => {
		expect(normalizeGender(input, spanish)).toBe(expected);
	});
});

describe('identityRecord', () => {
	it('has every schema field, null when unknown, and builds the full name', () => {
		const record = identityRecord(
			'progeny',
			{ givenNames: 'Ana', surnames: 'Ruiz' },
			{ a: 1 },
			true,
		);
		expect(Object.keys(record).sort()).toEqual(
			[
				'vendor',
				'documentType',
				'documentNumber',
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
				'personalNumber',
				'valid',
				'match',
				'matchScore',
				'transactionId',
				'vendorDetails',
				'raw',
				'isExpired',
				'age',
				'documentValid',
				'documentAuthentic',
				'faceMatch',
				'liveness',
				'sidesMatch',
				'curpValid',
				'electorKeyValid',
			].sort(),
		);
		expect(record.fullName).toBe('Ana Ruiz');
		expect(record.documentNumber).toBeNull();
		expect(record.raw).toEqual({ a: 1 });
	});

	it('leaves raw out when asked', () => {
		expect(identityRecord('apptenticate', {}, { a: 1 }, false)).not.toHaveProperty('raw');
	});
});

// 2026-03-15 23:30 UTC: still the 15th in UTC, already the 16th east of UTC+1.
const NOW = new Date('2026-03-15T23:30:00Z');

describe('utcDay', () => {
	it('is the date in UTC, whatever the local time zone', () => {
		expect(utcDay(NOW)).toBe('2026-03-15');
		expect(utcDay(new Date('2026-03-16T00:00:00+02:00'))).toBe('2026-03-15');
	});
});

describe('isExpiredOn', () => {
	test.each([
		['2026-03-14', true], // yesterday
		['2026-03-15', false], // valid through its last day
		['2026-03-16', false],
		['14-03-2026', true], // any vendor format
		['2026-3-14', true],
		['None-None-None', null],
		[null, null],
		['', null],
	])('%p -> %p', (expiry, expected) => {
		expect(isExpiredOn(expiry, NOW)).toBe(expected);
	});
});

describe('ageOn', () => {
	test.each([
		['2008-03-15', 18], // 18th birthday today
		['2008-03-16', 17], // tomorrow
		['2008-03-14', 18],
		['15-03-2008', 18],
		['1990-12-31', 35],
		['2026-03-15', 0],
		['2026-03-16', null], // born in the future: not an age
		[null, null],
		['None-None-None', null],
	])('%p -> %p', (birth, expected) => {
		expect(ageOn(birth, NOW)).toBe(expected);
	});

	it('a 29 February birthday: the year is complete on 1 March in a common year', () => {
		expect(ageOn('2000-02-29', new Date('2025-02-28T12:00:00Z'))).toBe(24);
		expect(ageOn('2000-02-29', new Date('2025-03-01T12:00:00Z'))).toBe(25);
		expect(ageOn('2000-02-29', new Date('2024-02-29T12:00:00Z'))).toBe(24);
	});
});

describe('identityRecord: derived fields', () => {
	it('isExpired and age from the dates, at the given time', () => {
		const record = identityRecord(
			'apptenticate',
			{ birthDate: '2008-03-16', expiryDate: '2026-03-14' },
			undefined,
			false,
			NOW,
		);
		expect(record).toMatchObject({ age: 17, isExpired: true });
	});

	it('the verdicts are null unless the vendor gave them', () => {
		const record = identityRecord(
			'linkMobility',
			{ valid: true, match: true },
			undefined,
			false,
			NOW,
		);
		expect(record).toMatchObject({
			isExpired: null,
			age: null,
			documentValid: null,
			documentAuthentic: null,
			faceMatch: null,
			liveness: null,
			sidesMatch: null,
			curpValid: null,
			electorKeyValid: null,
		});
	});

	it("the dates win over a vendor's own isExpired / age; those count only when the date is unknown", () => {
		// Progeny's seed says is_expired false and age 30 for a passport that expired on 2023-09-25.
		const disagreeing = identityRecord(
			'progeny',
			{ birthDate: '1991-09-24', expiryDate: '2023-09-25', isExpired: false, age: 30 },
			undefined,
			false,
			NOW,
		);
		expect(disagreeing).toMatchObject({ isExpired: true, age: 34 });
		const noDates = identityRecord('progeny', { isExpired: false, age: 30 }, undefined, false, NOW);
		expect(noDates).toMatchObject({ isExpired: false, age: 30 });
	});
});
