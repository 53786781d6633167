import type { IDataObject } from 'n8n-workflow';

export interface StructureCheck extends IDataObject {
	value: string;
	valid: boolean;
	problems: string[];
}

type Rule = [test: (value: string) => boolean, problem: string];

function check(value: string, rules: Rule[]): StructureCheck {
	const problems = rules.filter(([test]) => !test(value)).map(([, problem]) => problem);
	return { value, valid: problems.length === 0, problems };
}

const part = (value: string, start: number, end: number, pattern: RegExp) =>
	pattern.test(value.slice(start, end));

/** CURP structure, as listed under "Automatic validations" in seed 001. */
export function checkCurp(raw: string): StructureCheck {
	const value = raw.trim().toUpperCase();
	return check(value, [
		[(v) => v.length === 18, 'must have exactly 18 characters'],
		[(v) => part(v, 0, 4, /^[A-Z]{4}$/), 'characters 1-4 must be letters'],
		[(v) => part(v, 4, 10, /^\d{6}$/), 'characters 5-10 must be digits (date of birth)'],
		[(v) => part(v, 10, 11, /^[HM]$/), 'character 11 must be H or M (gender)'],
		[(v) => part(v, 11, 13, /^[A-Z]{2}$/), 'characters 12-13 must be letters (state)'],
		[(v) => part(v, 13, 16, /^[A-Z]{3}$/), 'characters 14-16 must be letters (consonants)'],
		[(v) => part(v, 16, 18, /^[A-Z0-9]{2}$/), 'characters 17-18 must be letters or digits'],
	]);
}

/** Elector key structure, as listed under "Automatic validations" in seed 001. */
export function checkElectorKey(raw: string): StructureCheck {
	const value = raw.trim().toUpperCase();
	const entity = Number(value.slice(12, 14));
	return check(value, [
		[(v) => v.length === 18 && /^[A-Z0-9]+$/.test(v), 'must have exactly 18 letters or digits'],
		[(v) => part(v, 0, 6, /^[A-Z]{6}$/), 'characters 1-6 must be letters'],
		[(v) => part(v, 6, 12, /^\d{6}$/), 'characters 7-12 must be digits (date)'],
		[
			(v) => part(v, 12, 14, /^\d{2}$/) && entity >= 0 && entity <= 32,
			'characters 13-14 must be a federal entity code from 00 to 32',
		],
		[(v) => part(v, 14, 15, /^[HM]$/), 'character 15 must be H or M (gender)'],
		[(v) => part(v, 15, 18, /^[A-Z0-9]{3}$/), 'characters 16-18 must be letters or digits'],
	]);
}
