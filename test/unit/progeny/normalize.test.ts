import { normalizeTask } from '../../../nodes/Progeny/normalize';
import { taskState } from '../../../nodes/Progeny/task';
import { vendorWords } from '../../../nodes/Progeny/transport';
import type { ProgenyTask } from '../../../nodes/Progeny/transport';
import { SEED_SUCCESS, running, successWith } from './fixtures';

const normalize = (task: unknown, providerResponse = false) =>
	normalizeTask('task-1', task as ProgenyTask, { providerResponse });

describe('Progeny dates', () => {
	it.each([
		['1991-9-24', '1991-09-24'],
		['2023-9-25', '2023-09-25'],
		['2030-12-1', '2030-12-01'],
		['1991-09-24', '1991-09-24'],
		['None-None-None', null],
		['none-None-none', null],
		['', null],
		[null, null],
		[undefined, null],
		['2023-2-30', null],
		['1991-13-1', null],
		['not a date', null],
	])('%p -> %p', (value, expected) => {
		const fields = normalize(
			successWith({ dateOfBirth: value, dateOfIssue: value, dateOfExpiry: value }),
		);
		expect(fields.birthDate).toBe(expected);
		expect(fields.issueDate).toBe(expected);
		expect(fields.expiryDate).toBe(expected);
	});
});

describe('Progeny task answer -> identity fields', () => {
	it("the seed's answer", () => {
		expect(normalize(SEED_SUCCESS)).toEqual({
			documentType: 'passport',
			documentNumber: 'XX008080',
			givenNames: 'VALERIA',
			surnames: 'PERFILOVA',
			gender: 'F',
			birthDate: '1991-09-24',
			issueDate: null,
			expiryDate: '2023-09-25',
			nationality: 'UKRAINIAN',
			valid: true,
			match: true,
			documentValid: true,
			faceMatch: true,
			liveness: true,
			// Progeny's own values, kept for when the dates are unknown (identityRecord)
			isExpired: false,
			age: 30,
			transactionId: 'task-1',
			vendorDetails: {
				taskId: 'task-1',
				taskStatus: 'SUCCESS',
				isValid: true,
				isExpired: false,
				age: 30,
				compare: true,
				liveness: true,
				portraitUrl: 'https://dev.progeny.tech/media/images/services/ocr_passport/9456633680.jpg',
			},
		});
	});

	it('Python-style missing values ("None") and loose types', () => {
		const fields = normalize(
			successWith(
				{
					firstName: 'None',
					lastName: '  ',
					sex: 'M',
					age: '41',
					is_valid: 'False',
					is_expired: 'true',
					nationality: null,
				},
				{ compare: 'True', liveness: 'maybe' },
			),
		);
		expect(fields).toMatchObject({
			givenNames: null,
			surnames: null,
			gender: 'M',
			nationality: null,
			valid: false,
			match: true,
			vendorDetails: { age: 41, isValid: false, isExpired: true, compare: true, liveness: null },
		});
	});

	it('an unfinished task, or a result without data, gives nulls', () => {
		for (const task of [
			running('PENDING'),
			{ status: 'SUCCESS', result: { status: 200 } },
			{ status: 'SUCCESS', result: 'odd' },
		]) {
			const fields = normalize(task);
			expect(fields.documentNumber).toBeNull();
			expect(fields.valid).toBeNull();
			expect(fields.vendorDetails).toMatchObject({ taskId: 'task-1', portraitUrl: null });
		}
	});

	it('providerResponse: the keys of data beyond document/compare/liveness, only when asked for', () => {
		const task = successWith({}, { provider_data: { a: 1 }, mrz: 'P<UKR' });
		expect(normalize(task, true).vendorDetails?.providerResponse).toEqual({
			provider_data: { a: 1 },
			mrz: 'P<UKR',
		});
		expect(normalize(task, false).vendorDetails).not.toHaveProperty('providerResponse');
		expect(normalize(SEED_SUCCESS, true).vendorDetails).not.toHaveProperty('providerResponse');
	});
});

describe('Progeny task states', () => {
	it.each([
		['SUCCESS', 'done'],
		['success', 'done'],
		['PENDING', 'running'],
		['STARTED', 'running'],
		['RECEIVED', 'running'],
		['RETRY', 'running'],
		['PROGRESS', 'running'],
		['SOMETHING_NEW', 'running'],
		['FAILURE', 'failed'],
		['REVOKED', 'failed'],
		['REJECTED', 'failed'],
		['ERROR', 'failed'],
		[' failure ', 'failed'],
	])('%p is %p', (status, state) => {
		expect(taskState({ status, result: { status: 200 } })).toBe(state);
	});

	it('SUCCESS with result.status >= 400 failed; below 400 or absent is done', () => {
		expect(taskState({ status: 'SUCCESS', result: { status: 400 } })).toBe('failed');
		expect(taskState({ status: 'SUCCESS', result: { status: '500' } })).toBe('failed');
		expect(taskState({ status: 'SUCCESS', result: { status: 399 } })).toBe('done');
		expect(taskState({ status: 'SUCCESS' })).toBe('done');
	});
});

describe("Progeny's words in error answers", () => {
	it.each([
		[{ detail: 'Not found.' }, 'Not found.'],
		[
			{ passport_image: ['No file was submitted.'], extend_data: ['This field is required.'] },
			'passport_image: No file was submitted.; extend_data: This field is required.',
		],
		['Internal Server Error', 'Internal Server Error'],
		['<html><body>502 Bad Gateway</body></html>', undefined],
		[undefined, undefined],
		[{ nested: { a: 1 } }, undefined],
	])('%p -> %p', (body, words) => {
		expect(vendorWords(body)).toBe(words);
	});
});
