import { checkCountryCode } from '../../../nodes/LinkMobility/countries';
import {
	FIELD_CANDIDATES,
	canonical,
	flattenFields,
	identityFromFields,
	normalizeCallback,
	normalizeDocumentType,
	normalizeVerifyAnswer,
} from '../../../nodes/LinkMobility/normalize';
import { approvedCallback, automaticAnswer } from './fixtures';

const normal = (code: string, value: string) => ({ type: 'Normal', code, value, description: code });
const identityOf = (...fields: Array<{ type?: string; code: string; value: string }>) =>
	identityFromFields(flattenFields(fields).data);

describe('ISO 3166-1 alpha-2 check', () => {
	it('knows all 249 codes and nothing else', () => {
		const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
		let count = 0;
		for (const a of letters) for (const b of letters) if (checkCountryCode(a + b).valid) count++;
		expect(count).toBe(249);
	});

	test.each([
		['ES', true],
		['es', true],
		[' gb ', true],
		['AX', true], // Åland
		['SS', true], // South Sudan
		['XK', false], // Kosovo: no ISO code
		['UK', false],
		['EU', false],
		['ESP', false],
		['E', false],
		[undefined, false],
	])('%p -> %p', (input, valid) => {
		expect(checkCountryCode(input).valid).toBe(valid);
	});
});

describe('automatic fields -> identity schema', () => {
	it('the codes of the sandbox (and the seed\'s TYPE)', () => {
		expect(
			identityOf(
				normal('TYPE', 'IDENTITY'),
				normal('DOCUMENT_NUMBER', '12345678Z'),
				normal('NAME', 'LUIS'),
				normal('SURNAME', 'GARCIA'),
				normal('BIRTH_DATE', '1963-10-31'),
				normal('EXPIRY_DATE', '31/10/2030'),
				normal('NATIONALITY', 'esp'),
				normal('SEX', 'F'),
			),
		).toEqual({
			documentType: 'id_card',
			documentNumber: '12345678Z',
			givenNames: 'LUIS',
			surnames: 'GARCIA',
			fullName: null,
			gender: 'F',
			birthDate: '1963-10-31',
			issueDate: null,
			expiryDate: '2030-10-31',
			nationality: 'ESP',
			issuingCountry: null,
			address: null,
			personalNumber: null,
		});
	});

	// Every candidate code of the table is read, whatever its separators or case.
	const cases: Array<[keyof ReturnType<typeof identityFromFields>, string, string, unknown]> = [];
	const samples: Record<string, [string, unknown]> = {
		documentNumber: ['AB123', 'AB123'],
		personalNumber: ['99999999R', '99999999R'],
		givenNames: ['ANA MARIA', 'ANA MARIA'],
		surnames: ['RUIZ', 'RUIZ'],
		fullName: ['ANA MARIA RUIZ', 'ANA MARIA RUIZ'],
		birthDate: ['15.03.1990', '1990-03-15'],
		issueDate: ['2020-01-02', '2020-01-02'],
		expiryDate: ['02/01/2030', '2030-01-02'],
		nationality: ['prt', 'PRT'],
		gender: ['Female', 'F'],
		documentType: ['passport', 'passport'],
		issuingCountry: ['esp', 'ESP'],
		address: ['CALLE MAYOR 1, MADRID', 'CALLE MAYOR 1, MADRID'],
	};
	for (const [field, [value, expected]] of Object.entries(samples)) {
		for (const code of FIELD_CANDIDATES[field as keyof typeof FIELD_CANDIDATES]) {
			cases.push([field as never, code, value, expected]);
		}
	}
	test.each(cases)('%s from %s', (field, code, value, expected) => {
		expect(identityOf(normal(code, value))[field]).toEqual(expected);
		// LINK may spell codes in lower case or with other separators.
		expect(identityOf(normal(code.toLowerCase().replace(/_/g, '-'), value))[field]).toEqual(expected);
	});

	it('surnames from first and second surname when there is no surname field', () => {
		expect(identityOf(normal('FIRST_SURNAME', 'GARCIA'), normal('SECOND_SURNAME', 'LOPEZ')).surnames).toBe('GARCIA LOPEZ');
		expect(identityOf(normal('SURNAME', 'RUIZ'), normal('FIRST_SURNAME', 'X')).surnames).toBe('RUIZ');
	});

	it('address lines are joined', () => {
		expect(identityOf(normal('ADDRESS_LINE_1', 'CALLE MAYOR 1'), normal('ADDRESS_LINE_2', '28001 MADRID')).address).toBe(
			'CALLE MAYOR 1, 28001 MADRID',
		);
	});

	it('the first code of the table wins, and an empty value does not count', () => {
		expect(identityOf(normal('DOC_NUMBER', 'second'), normal('DOCUMENT_NUMBER', 'first')).documentNumber).toBe('first');
		expect(identityOf(normal('DOCUMENT_NUMBER', '  '), normal('DOC_NUMBER', 'kept')).documentNumber).toBe('kept');
	});

	it('Validation fields are checks, never identity data', () => {
		const flat = flattenFields([
			{ type: 'Validation', code: 'NAME', value: 'OK' },
			{ type: 'validation', code: 'TEST_GLOBAL_AUTHENTICITY_VALUE', value: 'FAIL' },
			normal('SEX', 'M'),
		]);
		expect(flat.checks).toEqual({ NAME: 'OK', TEST_GLOBAL_AUTHENTICITY_VALUE: 'FAIL' });
		expect(identityFromFields(flat.data).givenNames).toBeNull();
		expect(flat.fields).toEqual({ NAME: 'OK', TEST_GLOBAL_AUTHENTICITY_VALUE: 'FAIL', SEX: 'M' });
	});

	it('a repeated code (two sides) keeps its first value; junk entries are skipped', () => {
		const flat = flattenFields([normal('SIDE', '1'), normal('SIDE', '2'), null, 'x', { code: 'EMPTY' }, { value: 'no code' }]);
		expect(flat.fields).toEqual({ SIDE: '1' });
	});

	test.each([
		['IDENTITY', 'id_card'],
		['identity card', 'id_card'],
		['PASSPORT', 'passport'],
		['DRIVERS_LICENSE', 'drivers_license'],
		['RESIDENCE_PERMIT', 'residence_permit'],
		['HEALTH_SERVICES_CARD', 'health_card'],
		['VISA', 'visa'],
		['', null],
	])('document type %p -> %p', (input, expected) => {
		expect(normalizeDocumentType(input)).toBe(expected);
	});

	it('a verify answer without fields is a record with nulls, valid from the result', () => {
		const answer = { ...automaticAnswer('NotProcessed', 'Document not recognized') };
		answer.idVerification = { ...answer.idVerification, fields: undefined as never };
		const record = normalizeVerifyAnswer(answer, { requestId: 'sent-id', expeditorCountry: 'ES' }, false);
		expect(record).toMatchObject({ documentNumber: null, valid: false, transactionId: answer.id });
		expect(record.vendorDetails).toMatchObject({ fields: {}, checks: {}, warning: 'Document not recognized' });
	});

	it('the sent id is the transaction id when LINK does not echo one', () => {
		const { id, ...answer } = automaticAnswer();
		expect(id).toBeDefined();
		expect(normalizeVerifyAnswer(answer, { requestId: 'sent-id', expeditorCountry: 'ES' }, false).transactionId).toBe('sent-id');
	});
});

describe('callback -> identity schema', () => {
	it('non-binary gender is X; the unparsed address is used when there is no parsed one', () => {
		const body = approvedCallback();
		const extracted = body.data.documentInfo.extractedData;
		extracted.personAttributes.gender = ' n/b ';
		delete (extracted.address as Partial<typeof extracted.address>).parsedAddress;
		extracted.address.unparsedAddress.addressLine3 = ' ESPAÑA ';
		const record = normalizeCallback(body, false);
		expect(record.gender).toBe('X');
		expect(record.address).toBe('CALLE SIN NOMBRE, 34 23º 17, 28001 MADRID, ESPAÑA');
	});

	it('surnames from first and second surname when "surname" is missing', () => {
		const body = approvedCallback();
		const name = body.data.documentInfo.extractedData.name as Record<string, unknown>;
		delete name.surname;
		delete name.fullName;
		name.firstSurname = 'GARCIA';
		const record = normalizeCallback(body, false);
		expect(record.surnames).toBe('GARCIA DE TODOS LOS SANTOS');
		expect(record.fullName).toBe('LUIS GARCIA DE TODOS LOS SANTOS');
	});

	it('no face comparison: match and the face details are null', () => {
		const body = approvedCallback();
		delete (body.data as Partial<typeof body.data>).faceComparisonInfo;
		const record = normalizeCallback(body, false);
		expect(record.match).toBeNull();
		expect(record.vendorDetails.faceComparison).toEqual({ acceptance: null, reasons: [], match: null, liveness: null });
	});

	it('an unknown service keeps its data under vendorDetails', () => {
		const record = normalizeCallback({ id: ' r-9 ', service: 'Other', status: 'completed', data: { x: 1 } }, true);
		expect(record.transactionId).toBe('r-9');
		expect(record.vendorDetails).toEqual({ requestId: 'r-9', service: 'Other', status: 'Completed', data: { x: 1 } });
		expect(record.raw).toEqual({ id: ' r-9 ', service: 'Other', status: 'completed', data: { x: 1 } });
	});

	test.each([
		[' certification ', 'Certification'],
		['MANUALIDVERIFICATION', 'ManualIDVerification'],
		['Else', 'Else'],
		['', null],
	])('service %p reads as %p', (input, expected) => {
		expect(canonical(input, ['Certification', 'ManualIDVerification'])).toBe(expected);
	});
});
