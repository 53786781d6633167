import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { KycDecision } from '../../../nodes/KycDecision/KycDecision.node';
import {
	DEFAULT_MINIMUM_AGE,
	DEFAULT_REVIEW_ON,
	DEFAULT_RULES,
} from '../../../nodes/KycDecision/descriptions';
import { RULES } from '../../../nodes/KycDecision/rules';
import { baseContext } from '../../helpers/fakeN8n';
import type { ParameterValue } from '../../helpers/fakeN8n';

const node = new KycDecision();

/** A record from this package's nodes that passes the default rules (until 2099). */
const passing = (fields: IDataObject = {}): IDataObject => ({
	vendor: 'apptenticate',
	documentType: 'passport',
	documentNumber: 'P123',
	birthDate: '1980-01-01',
	expiryDate: '2099-01-01',
	documentValid: true,
	faceMatch: true,
	...fields,
});

async function run(
	items: INodeExecutionData[],
	parameters: Record<string, ParameterValue> = {},
	continueOnFail = false,
) {
	const context = baseContext({
		items,
		parameters: {
			recordSource: 'item',
			rules: DEFAULT_RULES,
			minimumAge: 18,
			reviewOn: DEFAULT_REVIEW_ON,
			...parameters,
		},
		continueOnFail,
	});
	const [approved, review, rejected] = await node.execute.call(context as never);
	return { approved, review, rejected };
}

async function runError(items: INodeExecutionData[], parameters: Record<string, ParameterValue>) {
	try {
		await run(items, parameters);
	} catch (error) {
		return error as NodeOperationError;
	}
	throw new Error('expected an error');
}

describe('KYC Decision: description', () => {
	const { description } = node;
	const property = (name: string) =>
		description.properties.find((p) => p.name === name) as INodeProperties;

	it('three outputs, named as the README says; no credential; usable as a tool', () => {
		expect(description.name).toBe('kycDecision');
		expect(description.outputs).toEqual(['main', 'main', 'main']);
		expect(description.outputNames).toEqual(['Approved', 'Review', 'Rejected']);
		expect(description.credentials).toBeUndefined();
		expect(description.usableAsTool).toBe(true);
	});

	it("the panel's defaults are the rules module's, and every rule can be chosen and sent to review", () => {
		expect(property('rules').default).toEqual(DEFAULT_RULES);
		expect(property('reviewOn').default).toEqual(DEFAULT_REVIEW_ON);
		expect(property('minimumAge').default).toBe(DEFAULT_MINIMUM_AGE);
		for (const name of ['rules', 'reviewOn']) {
			expect(
				(property(name).options as Array<{ value: string }>).map((option) => option.value).sort(),
			).toEqual([...RULES].sort());
		}
	});
});

describe('KYC Decision: routing', () => {
	it('each item to its output, with decision and reasons added, input order and pairing kept', async () => {
		const items = [
			{ json: passing({ expiryDate: '2020-01-01' }) },
			{ json: passing() },
			{ json: passing({ faceMatch: false }) },
			{ json: passing({ birthDate: '2099-01-01', faceMatch: false }) },
			{ json: passing({ documentNumber: 'P9' }) },
		];
		const { approved, review, rejected } = await run(items);
		expect(approved.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 4 }]);
		expect(approved[0].json).toEqual({ ...passing(), decision: 'approved', reasons: [] });
		expect(review.map((item) => item.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
		expect(review[0].json).toMatchObject({
			decision: 'review',
			reasons: [{ code: 'FACE_MISMATCH', outcome: 'review' }],
		});
		// born "2099": no age at today, so the age rule cannot pass
		expect(review[1].json.reasons).toMatchObject([
			{ code: 'AGE_UNKNOWN' },
			{ code: 'FACE_MISMATCH' },
		]);
		expect(rejected).toEqual([
			{
				json: {
					...passing({ expiryDate: '2020-01-01' }),
					decision: 'rejected',
					reasons: [
						{
							code: 'DOCUMENT_EXPIRED',
							message: 'The document expired on 2020-01-01',
							rule: 'notExpired',
							outcome: 'rejected',
						},
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('the rules and their outcomes are read per item (expressions)', async () => {
		const items = [
			{ json: passing({ faceMatch: false }) },
			{ json: passing({ faceMatch: false }) },
		];
		const { review, rejected } = await run(items, {
			reviewOn: (i: number) => (i === 0 ? ['faceMatch'] : []),
		});
		expect(review.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(rejected.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
	});

	it('the minimum age is the chosen one', async () => {
		const { rejected } = await run([{ json: passing({ birthDate: '2000-01-01' }) }], {
			minimumAge: 200,
		});
		expect(rejected[0].json.reasons).toMatchObject([
			{
				code: 'UNDER_MINIMUM_AGE',
				message: expect.stringMatching(/under the minimum age of 200$/),
			},
		]);
	});

	it('no rule chosen: an error, since every applicant would be approved', async () => {
		const error = await runError([{ json: passing() }], { rules: [] });
		expect(error.message).toBe('Item 1: no rule is chosen in "Rules"');
	});

	it('binary data passes through', async () => {
		const binary = { selfie: { data: 'AAAA', mimeType: 'image/jpeg' } };
		const { approved } = await run([{ json: passing(), binary }]);
		expect(approved[0].binary).toEqual(binary);
	});
});

describe('KYC Decision: where the records are', () => {
	const document = passing({ faceMatch: null });
	const selfie = { vendor: 'apptenticate', documentNumber: 'P123', faceMatch: true };

	it('fields of the item, with dot paths and lists', async () => {
		const json = { customer: 42, ocr: document, checks: { biometry: [selfie] } };
		const { approved } = await run([{ json }], {
			recordSource: 'fields',
			recordFields: ' ocr , checks.biometry ',
		});
		expect(approved).toHaveLength(1);
		expect(approved[0].json).toMatchObject({ customer: 42, decision: 'approved', reasons: [] });
	});

	it('the records are combined: the document number must agree across them', async () => {
		const json = { ocr: document, selfie: { ...selfie, documentNumber: 'OTHER' } };
		const { rejected } = await run([{ json }], {
			recordSource: 'fields',
			recordFields: 'ocr, selfie',
		});
		expect(rejected[0].json.reasons).toMatchObject([{ code: 'DOCUMENT_NUMBER_MISMATCH' }]);
	});

	it('JSON: an expression value (objects) or JSON text', async () => {
		const fromExpression = await run([{ json: {} }], {
			recordSource: 'json',
			records: [document, selfie],
		});
		expect(fromExpression.approved).toHaveLength(1);
		const fromText = await run([{ json: {} }], {
			recordSource: 'json',
			records: JSON.stringify([document, selfie]),
		});
		expect(fromText.approved).toHaveLength(1);
		const one = await run([{ json: {} }], {
			recordSource: 'json',
			records: JSON.stringify(document),
		});
		expect(one.review[0].json.reasons).toMatchObject([{ code: 'FACE_MATCH_UNKNOWN' }]);
	});

	it.each([
		[
			{ recordSource: 'fields', recordFields: 'ocr, selfie' },
			'Item 2: field "selfie" ("Record Fields") holds no identity record',
		],
		[
			{ recordSource: 'fields', recordFields: 'ocr.documentNumber' },
			'Item 2: field "ocr.documentNumber" ("Record Fields") holds no identity record',
		],
		[{ recordSource: 'fields', recordFields: ' , ' }, 'Item 2: "Record Fields" is empty'],
		[
			{ recordSource: 'json', records: '{"vendor": ' },
			'Item 2: "Records (JSON)" is not valid JSON',
		],
		[{ recordSource: 'json', records: '[]' }, 'Item 2: "Records (JSON)" holds no identity record'],
		[
			{ recordSource: 'json', records: '[1, 2]' },
			'Item 2: "Records (JSON)" holds no identity record',
		],
	])('bad input %p: %p', async (parameters, message) => {
		const items = [{ json: { ocr: document, selfie } }, { json: { ocr: document } }];
		// the first item is fine, so the message must name the second
		const given = parameters as IDataObject;
		const params = {
			...parameters,
			recordFields: (i: number) => (i === 0 ? 'ocr' : given.recordFields),
			records: (i: number) => (i === 0 ? [document] : given.records),
		};
		const error = await runError(items, params);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
	});

	it('continueOnFail: the error item goes to Review (never Approved), paired with its item', async () => {
		const items = [{ json: { ocr: document, selfie } }, { json: { ocr: document } }];
		const { approved, review, rejected } = await run(
			items,
			{ recordSource: 'fields', recordFields: 'ocr, selfie' },
			true,
		);
		expect(approved.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(rejected).toEqual([]);
		expect(review).toEqual([
			{
				json: {
					error: expect.objectContaining({
						message: 'Item 2: field "selfie" ("Record Fields") holds no identity record',
					}),
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});
