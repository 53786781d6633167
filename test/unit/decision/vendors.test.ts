/**
 * Every vendor's record shape, built from the vendors' fixtures the way each node builds it,
 * then decided with the node's default rules: the derived fields and verdicts are where the
 * rules look for them.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { ApptenticateBiometry } from '../../../nodes/Apptenticate/ApptenticateBiometry.node';
import { normalizeOcrAnswer } from '../../../nodes/Apptenticate/normalize';
import {
	DEFAULT_MINIMUM_AGE,
	DEFAULT_REVIEW_ON,
	DEFAULT_RULES,
} from '../../../nodes/KycDecision/descriptions';
import { decide, RULES } from '../../../nodes/KycDecision/rules';
import type { DecisionSettings } from '../../../nodes/KycDecision/rules';
import { normalizeCallback, normalizeVerifyAnswer } from '../../../nodes/Link/normalize';
import { normalizeTask } from '../../../nodes/Progeny/normalize';
import type { ProgenyTask } from '../../../nodes/Progeny/transport';
import { identityRecord } from '../../../nodes/shared/identity';
import { binaryItem, runNode } from '../../helpers/fakeN8n';
import { makeJpeg } from '../../helpers/images';
import {
	BASE,
	apptenticateCredential,
	INE_SIDES_ANSWER,
	PANAMA_ID_ANSWER,
	resetHttp,
	tokenEndpoint,
} from '../apptenticate/fixtures';
import {
	approvedCallback,
	automaticAnswer,
	certificationCallback,
	MANUAL_ANSWER,
	notApprovedCallback,
	rejectedCallback,
} from '../link/fixtures';
import { SEED_SUCCESS, successWith } from '../progeny/fixtures';

const NOW = new Date('2026-03-15T12:00:00Z');
const DEFAULTS: DecisionSettings = {
	rules: DEFAULT_RULES,
	minimumAge: DEFAULT_MINIMUM_AGE,
	reviewOn: DEFAULT_REVIEW_ON,
};
const ALL: DecisionSettings = { ...DEFAULTS, rules: [...RULES] };
const codes = (records: IDataObject[], settings = DEFAULTS) =>
	decide(records, settings, NOW).reasons.map((reason) => reason.code);

const apptOcr = (type: 'identification_card' | 'passport' | 'ine', answer: IDataObject) =>
	identityRecord('apptenticate', normalizeOcrAnswer(type, answer), answer, false, NOW);
const progeny = (task: unknown) =>
	identityRecord(
		'progeny',
		normalizeTask('task-1', task as ProgenyTask, { providerResponse: false }),
		undefined,
		false,
		NOW,
	);
const linkCallback = (body: IDataObject) =>
	normalizeCallback(body, false) as unknown as IDataObject;

async function biometryRecord(answer: IDataObject): Promise<IDataObject> {
	tokenEndpoint();
	nock(BASE).post('/api/v3/biometrics/nationals/').reply(200, answer);
	const [item] = await runNode(new ApptenticateBiometry(), {
		items: [binaryItem({ selfie: makeJpeg('selfie') })],
		parameters: {
			operation: 'verifyCitizen',
			citizenId: 'E-8-123456',
			selfieImageProperty: 'selfie',
			options: { includeRaw: false },
		},
		credential: apptenticateCredential(),
	});
	return item.json;
}

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterAll(() => nock.enableNetConnect());

describe('Apptenticate OCR + Biometry', () => {
	it('Panamanian ID card: derived fields and the document verdict', () => {
		expect(apptOcr('identification_card', PANAMA_ID_ANSWER)).toMatchObject({
			age: 31,
			isExpired: false,
			documentValid: true,
			sidesMatch: null,
			faceMatch: null,
			curpValid: null,
		});
	});

	it('ID card + a matching selfie: approved; the card alone lacks the face check', async () => {
		const card = apptOcr('identification_card', PANAMA_ID_ANSWER);
		const selfie = await biometryRecord({ valid: true, message: null, code: 0, id: 77 });
		expect(selfie).toMatchObject({
			faceMatch: true,
			documentValid: null,
			documentNumber: 'E-8-123456',
		});
		expect(decide([card, selfie], DEFAULTS, NOW)).toEqual({ decision: 'approved', reasons: [] });
		expect(decide([card], DEFAULTS, NOW)).toMatchObject({
			decision: 'review',
			reasons: [{ code: 'FACE_MATCH_UNKNOWN' }],
		});
	});

	it('a selfie that does not match: review by default', async () => {
		const card = apptOcr('identification_card', PANAMA_ID_ANSWER);
		const selfie = await biometryRecord({
			valid: false,
			message: 'El rostro no coincide',
			code: 2,
		});
		expect(decide([card, selfie], DEFAULTS, NOW)).toMatchObject({
			decision: 'review',
			reasons: [{ code: 'FACE_MISMATCH', outcome: 'review' }],
		});
	});

	it('sides compared and not matching: sidesMatch false, document not valid, rejected', () => {
		const card = apptOcr('identification_card', {
			backside: PANAMA_ID_ANSWER,
			frontside: { ...PANAMA_ID_ANSWER, names: 'Otra' },
			match: false,
			valid: false,
			matches_percentage: 22.2,
		});
		expect(card).toMatchObject({ sidesMatch: false, documentValid: false });
		const selfie = {
			vendor: 'apptenticate',
			documentType: 'id_card',
			documentNumber: 'E-8-123456',
			faceMatch: true,
		};
		expect(
			decide([card, selfie], { ...DEFAULTS, rules: [...DEFAULT_RULES, 'sidesMatch'] }, NOW),
		).toMatchObject({
			decision: 'rejected',
			reasons: [
				{ code: 'DOCUMENT_NOT_VALID' },
				{
					code: 'SIDES_MISMATCH',
					message:
						'Apptenticate found that the front and the back of the document do not belong together',
				},
			],
		});
	});

	it('Mexican INE with sides: CURP and elector key verdicts; expired on 2025-12-31', () => {
		const ine = apptOcr('ine', INE_SIDES_ANSWER);
		expect(ine).toMatchObject({
			documentType: 'voter_id',
			sidesMatch: true,
			curpValid: true,
			electorKeyValid: true,
			isExpired: true,
			age: 36,
		}); // 36 on the day of the test
		expect(
			codes([ine, { vendor: 'apptenticate', faceMatch: true, documentNumber: '1234567890123' }]),
		).toEqual(['DOCUMENT_EXPIRED']);
	});

	it('Mexican INE with a malformed CURP: rejected with the problem', () => {
		const answer = {
			...INE_SIDES_ANSWER,
			frontside: { ...INE_SIDES_ANSWER.frontside, CURP: 'GALJ9003XXHDFRPN01' },
		};
		const ine = apptOcr('ine', answer);
		expect(ine.curpValid).toBe(false);
		const result = decide([ine], { ...DEFAULTS, rules: ['ineIdentifiers'] }, NOW);
		expect(result).toMatchObject({
			decision: 'rejected',
			reasons: [
				{
					code: 'CURP_INVALID',
					message:
						'The CURP on the voter ID is not well-formed: characters 5-10 must be digits (date of birth)',
				},
			],
		});
	});

	it('passport: one side, no sides verdict needed', () => {
		const passport = apptOcr('passport', { ...PANAMA_ID_ANSWER, document_type: 'P' });
		expect(passport.documentType).toBe('passport');
		expect(
			codes([passport, { vendor: 'apptenticate', faceMatch: true, documentNumber: 'E-8-123456' }], {
				...DEFAULTS,
				rules: ['sidesMatch'],
			}),
		).toEqual([]);
	});
});

describe('Progeny', () => {
	it("the seed's task: Progeny's own is_expired false is kept, the expiry date wins and rejects", () => {
		const record = progeny(SEED_SUCCESS);
		expect(record).toMatchObject({
			documentValid: true,
			faceMatch: true,
			liveness: true,
			isExpired: true,
			age: 34,
		});
		expect(record.vendorDetails).toMatchObject({ isExpired: false, age: 30 });
		expect(decide([record], ALL, NOW)).toMatchObject({
			decision: 'rejected',
			reasons: [
				{
					code: 'DOCUMENT_EXPIRED',
					message: 'The document expired on 2023-09-25',
					rule: 'notExpired',
					outcome: 'rejected',
				},
			],
		});
	});

	it('a current passport, face and liveness passed: approved with every rule', () => {
		expect(decide([progeny(successWith({ dateOfExpiry: '2031-1-1' }))], ALL, NOW)).toEqual({
			decision: 'approved',
			reasons: [],
		});
	});

	it('liveness failed: review by default', () => {
		const record = progeny(successWith({ dateOfExpiry: '2031-1-1' }, { liveness: false }));
		expect(decide([record], ALL, NOW)).toMatchObject({
			decision: 'review',
			reasons: [{ code: 'LIVENESS_FAILED' }],
		});
	});

	it('dates unknown ("None-None-None"): Progeny\'s own values are used', () => {
		const record = progeny(
			successWith({
				dateOfExpiry: 'None-None-None',
				dateOfBirth: 'None-None-None',
				is_expired: true,
				age: 16,
			}),
		);
		expect(record).toMatchObject({ isExpired: true, age: 16 });
		expect(codes([record])).toEqual(['UNDER_MINIMUM_AGE', 'DOCUMENT_EXPIRED']);
	});
});

describe('LINK Mobility', () => {
	it('automatic verification Ok: verdicts from the validation fields', () => {
		const record = normalizeVerifyAnswer(
			automaticAnswer(),
			{ requestId: 'r', expeditorCountry: 'ESP' },
			false,
		);
		expect(record).toMatchObject({
			documentValid: true,
			documentAuthentic: true,
			sidesMatch: true,
			faceMatch: null,
			isExpired: expect.any(Boolean),
		});
		expect(codes([{ ...record, expiryDate: '2030-10-31' }])).toEqual(['FACE_MATCH_UNKNOWN']);
	});

	it('automatic verification with a face image: the face comparison is the face verdict', () => {
		const answer = automaticAnswer();
		answer.idVerification.fields.push({
			type: 'Validation',
			code: 'TEST_FACE_RECOGNITION_VALUE',
			value: 'FAIL',
			description: 'TEST_FACE_RECOGNITION_VALUE',
		});
		const record = normalizeVerifyAnswer(
			answer,
			{ requestId: 'r', expeditorCountry: 'ESP', faceImage: true },
			false,
		);
		expect(record).toMatchObject({ match: false, faceMatch: false });
		expect(codes([{ ...record, expiryDate: '2030-10-31' }])).toEqual(['FACE_MISMATCH']);
	});

	it('automatic verification NotCorrect / Warning: not authentic / sides do not match', () => {
		const notCorrect = normalizeVerifyAnswer(
			automaticAnswer('NotCorrect'),
			{ requestId: 'r', expeditorCountry: 'ESP' },
			false,
		);
		expect(notCorrect).toMatchObject({ documentValid: false, documentAuthentic: false });
		expect(codes([notCorrect], { ...DEFAULTS, rules: ['documentValid'] })).toEqual([
			'DOCUMENT_NOT_VALID',
			'DOCUMENT_NOT_AUTHENTIC',
		]);
		const warning = normalizeVerifyAnswer(
			automaticAnswer('Warning'),
			{ requestId: 'r', expeditorCountry: 'ESP' },
			false,
		);
		expect(codes([warning], { ...DEFAULTS, rules: ['sidesMatch'] })).toEqual(['SIDES_MISMATCH']);
	});

	it('manual verification still processing: nothing known, review', () => {
		const record = normalizeVerifyAnswer(
			MANUAL_ANSWER,
			{ requestId: 'r', expeditorCountry: 'ESP' },
			false,
		);
		expect(decide([record], DEFAULTS, NOW).decision).toBe('review');
	});

	it('callback APPROVED: every verdict positive (the seed document expired in 1963, so that rule rejects)', () => {
		const record = linkCallback(approvedCallback());
		expect(record).toMatchObject({
			documentValid: true,
			documentAuthentic: true,
			faceMatch: true,
			liveness: true,
			isExpired: true,
		});
		expect(codes([record])).toEqual(['DOCUMENT_EXPIRED']);
		expect(decide([{ ...record, expiryDate: '2031-10-31' }], DEFAULTS, NOW)).toEqual({
			decision: 'approved',
			reasons: [],
		});
	});

	it('callback NOT_APPROVED: not valid, not authentic: rejected', () => {
		const record = { ...linkCallback(notApprovedCallback()), expiryDate: '2031-10-31' };
		expect(record).toMatchObject({
			documentValid: false,
			documentAuthentic: false,
			faceMatch: false,
			liveness: false,
		});
		expect(decide([record], DEFAULTS, NOW)).toMatchObject({
			decision: 'rejected',
			reasons: [
				{
					code: 'DOCUMENT_NOT_VALID',
					message: 'LINK Mobility found the document not valid',
					outcome: 'rejected',
				},
				{ code: 'DOCUMENT_NOT_AUTHENTIC', outcome: 'rejected' },
				{ code: 'FACE_MISMATCH', outcome: 'review' },
			],
		});
	});

	it('callback REJECTED (images unusable): no verdicts, review', () => {
		const record = linkCallback(rejectedCallback());
		expect(record).toMatchObject({ documentValid: null, faceMatch: null, liveness: null });
		const result = decide([record], DEFAULTS, NOW);
		expect(result.decision).toBe('review');
		expect(result.reasons.map((reason) => reason.code)).toEqual([
			'AGE_UNKNOWN',
			'EXPIRY_UNKNOWN',
			'DOCUMENT_VALIDITY_UNKNOWN',
			'FACE_MATCH_UNKNOWN',
		]);
	});

	it('a Certification callback holds no identity: review', () => {
		expect(decide([linkCallback(certificationCallback())], DEFAULTS, NOW).decision).toBe('review');
	});
});
