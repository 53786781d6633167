import { identityRecord, normalizeDate, normalizeGender } from '../../../nodes/shared/identity';

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
		const record = identityRecord('progeny', { givenNames: 'Ana', surnames: 'Ruiz' }, { a: 1 }, true);
		expect(Object.keys(record).sort()).toEqual(
			[
				'vendor', 'documentType', 'documentNumber', 'givenNames', 'surnames', 'fullName', 'gender',
				'birthDate', 'issueDate', 'expiryDate', 'nationality', 'issuingCountry', 'address',
				'personalNumber', 'valid', 'match', 'matchScore', 'transactionId', 'vendorDetails', 'raw',
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
