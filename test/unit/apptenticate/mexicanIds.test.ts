import { checkCurp, checkElectorKey } from '../../../nodes/Apptenticate/mexicanIds';

describe('CURP structure (seed 001)', () => {
	it('accepts the seed example', () => {
		expect(checkCurp('GALJ900315HDFRPN01')).toEqual({
			value: 'GALJ900315HDFRPN01',
			valid: true,
			problems: [],
		});
	});
	test.each([
		['GALJ900315HDFRPN0', 'must have exactly 18 characters'],
		['GAL1900315HDFRPN01', 'characters 1-4 must be letters'],
		['GALJ90031XHDFRPN01', 'characters 5-10 must be digits (date of birth)'],
		['GALJ900315XDFRPN01', 'character 11 must be H or M (gender)'],
		['GALJ900315HD1RPN01', 'characters 12-13 must be letters (state)'],
		['GALJ900315HDFR1N01', 'characters 14-16 must be letters (consonants)'],
		['GALJ900315HDFRPN-1', 'characters 17-18 must be letters or digits'],
	])('%s: %s', (curp, problem) => {
		const check = checkCurp(curp);
		expect(check.valid).toBe(false);
		expect(check.problems).toContain(problem);
	});
});

describe('elector key structure (seed 001)', () => {
	it('accepts the seed example', () => {
		expect(checkElectorKey('GLRJNC90031512H400').valid).toBe(true);
	});
	test.each([
		['GLRJNC90031512H40', 'must have exactly 18 letters or digits'],
		['GLRJN190031512H400', 'characters 1-6 must be letters'],
		['GLRJNC9003X512H400', 'characters 7-12 must be digits (date)'],
		['GLRJNC90031533H400', 'characters 13-14 must be a federal entity code from 00 to 32'],
		['GLRJNC90031512X400', 'character 15 must be H or M (gender)'],
	])('%s: %s', (key, problem) => {
		const check = checkElectorKey(key);
		expect(check.valid).toBe(false);
		expect(check.problems).toContain(problem);
	});
});
