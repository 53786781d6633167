import { checkCountryCode } from '../../../nodes/Link/countries';
import {
	FIELD_CANDIDATES,
	canonical,
	flattenFields,
	identityFromFields,
	normalizeCallback,
	normalizeDocumentType,
	normalizeVerifyAnswer,
} from '../../../nodes/Link/normalize';
import { approvedCallback, automaticAnswer } from './fixtures';

const normal = (code: string, value: string) => ({
	type: 'Normal',
	code,
	value,
	description: code,
});
const identityOf = (...fields: Array<{ type?: string; code: string; value: string }>) =>
	identityFromFields(flattenFields(fields));

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
	it("the codes of the sandbox (and the seed's TYPE)", () => {
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
			match: null,
			matchScore: null,
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
		expect(identityOf(normal(code.toLowerCase().replace(/_/g, '-'), value))[field]).toEqual(
			expected,
		);
	});

	it('surnames from first and second surname when there is no surname field', () => {
		expect(
			identityOf(normal('FIRST_SURNAME', 'GARCIA'), normal('SECOND_SURNAME', 'LOPEZ')).surnames,
		).toBe('GARCIA LOPEZ');
		expect(identityOf(normal('SURNAME', 'RUIZ'), normal('FIRST_SURNAME', 'X')).surnames).toBe(
			'RUIZ',
		);
	});

	it('address lines are joined', () => {
		expect(
			identityOf(
				normal('ADDRESS_LINE_1', 'CALLE MAYOR 1'),
				normal('ADDRESS_LINE_2', '28001 MADRID'),
			).address,
		).toBe('CALLE MAYOR 1, 28001 MADRID');
	});

	it('the first code of the table wins, and an empty value does not count', () => {
		expect(
			identityOf(normal('DOC_NUMBER', 'second'), normal('DOCUMENT_NUMBER', 'first')).documentNumber,
		).toBe('first');
		expect(
			identityOf(normal('DOCUMENT_NUMBER', '  '), normal('DOC_NUMBER', 'kept')).documentNumber,
		).toBe('kept');
	});

	it('Validation fields are checks, never identity data', () => {
		const flat = flattenFields([
			{ type: 'Validation', code: 'NAME', value: 'OK' },
			{ type: 'validation', code: 'TEST_GLOBAL_AUTHENTICITY_VALUE', value: 'FAIL' },
			normal('SEX', 'M'),
		]);
		expect(flat.checks).toEqual({ NAME: 'OK', TEST_GLOBAL_AUTHENTICITY_VALUE: 'FAIL' });
		expect(identityFromFields(flat).givenNames).toBeNull();
		expect(flat.fields).toEqual({ NAME: 'OK', TEST_GLOBAL_AUTHENTICITY_VALUE: 'FAIL', SEX: 'M' });
	});

	it('junk entries are skipped', () => {
		const flat = flattenFields([
			normal('SIDE', '1'),
			null,
			'x',
			{ code: 'EMPTY' },
			{ value: 'no code' },
		]);
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
		const record = normalizeVerifyAnswer(
			answer,
			{ requestId: 'sent-id', expeditorCountry: 'ES' },
			false,
		);
		expect(record).toMatchObject({ documentNumber: null, valid: false, transactionId: answer.id });
		expect(record.vendorDetails).toMatchObject({
			fields: {},
			checks: {},
			warning: 'Document not recognized',
		});
	});

	it('the sent id is the transaction id when LINK does not echo one', () => {
		const { id, ...answer } = automaticAnswer();
		expect(id).toBeDefined();
		expect(
			normalizeVerifyAnswer(answer, { requestId: 'sent-id', expeditorCountry: 'ES' }, false)
				.transactionId,
		).toBe('sent-id');
	});
});

describe('ICAR answers: repeated codes, issuing country, face comparison, national id', () => {
	const check = (code: string, value: string) => ({
		type: 'Validation',
		code,
		value,
		description: code,
	});
	const MRZ = [
		'IDESPBAA000589599999999R<<<<<<',
		'8001014F3106028ESP<<<<<<<<<<<7',
		'ESPANOLA<ESPANOLA<<CARMEN<<<<<<',
	];

	it("a repeated code keeps every value, in LINK's order; the same value twice stays one string", () => {
		const flat = flattenFields([
			normal('SIDE', '1'),
			normal('SURNAME', 'ESPAÑOLA'),
			normal('SURNAME', 'ESPAÑOLA'),
			...MRZ.map((line) => normal('MRZ', line)),
			normal('SIDE', '2'),
			check('TEST_EXPIRY_DATE', 'OK'),
			check('TEST_EXPIRY_DATE', 'OK'),
			check('TEST_MRZ_CHECKSUM', 'OK'),
			check('TEST_MRZ_CHECKSUM', 'FAIL'),
		]);
		expect(flat.fields).toEqual({
			SIDE: ['1', '2'],
			SURNAME: 'ESPAÑOLA',
			MRZ,
			TEST_EXPIRY_DATE: 'OK',
			TEST_MRZ_CHECKSUM: ['OK', 'FAIL'],
		});
		// A later FAIL is not hidden behind the first OK.
		expect(flat.checks).toEqual({ TEST_EXPIRY_DATE: 'OK', TEST_MRZ_CHECKSUM: ['OK', 'FAIL'] });
	});

	it('two SURNAME fields are one surnames value, and fullName follows', () => {
		const answer = automaticAnswer();
		answer.idVerification.fields = [
			normal('NAME', 'CARMEN'),
			normal('SURNAME', 'ESPAÑOLA'),
			normal('SURNAME', 'PEREZ'),
			normal('FIRST_SURNAME', 'IGNORED'),
		];
		const record = normalizeVerifyAnswer(answer, { requestId: 'r', expeditorCountry: 'ES' }, false);
		expect(record.surnames).toBe('ESPAÑOLA PEREZ');
		expect(record.fullName).toBe('CARMEN ESPAÑOLA PEREZ');
		expect(record.vendorDetails.fields).toMatchObject({ SURNAME: ['ESPAÑOLA', 'PEREZ'] });
	});

	test.each([
		[[normal('EXPEDITOR', 'ESP')], 'PT', 'ESP'],
		[[normal('EXPEDITOR', 'es')], 'PT', 'ESP'],
		[[normal('ISSUING_STATE', 'D')], 'PT', 'DEU'], // ICAO's Germany
		[[normal('EXPEDITOR', 'SPAIN')], 'PT', 'PRT'], // not a code: the country sent
		[[normal('EXPEDITOR', 'SPAIN'), normal('COUNTRY', 'FRA')], 'PT', 'FRA'],
		[[], 'PT', 'PRT'],
		[[], 'GB', 'GBR'],
	])('issuingCountry from %j, sent %s: %s', (fields, sent, expected) => {
		const answer = automaticAnswer();
		answer.idVerification.fields = fields;
		expect(
			normalizeVerifyAnswer(answer, { requestId: 'r', expeditorCountry: sent }, false)
				.issuingCountry,
		).toBe(expected);
	});

	test.each([
		[['OK'], '0.93', true, 0.93],
		[['FAIL'], '0,12', false, 0.12],
		[['OK', 'FAIL'], '87%', false, 87],
		[['NOT_PERFORMED'], 'n/a', null, null],
	])(
		'with a face image, TEST_FACE_RECOGNITION_VALUE %j and _RATIO %s: match %p, matchScore %p',
		(values, ratio, match, matchScore) => {
			const fields = [
				...values.map((value) => check('TEST_FACE_RECOGNITION_VALUE', value)),
				check('TEST_FACE_RECOGNITION_RATIO', ratio),
			];
			const answer = automaticAnswer();
			answer.idVerification.fields = fields;
			const record = normalizeVerifyAnswer(
				answer,
				{ requestId: 'r', expeditorCountry: 'ES', faceImage: true },
				false,
			);
			expect({ match: record.match, matchScore: record.matchScore }).toEqual({ match, matchScore });
		},
	);

	it('without a face image, match and matchScore stay null whatever the answer says', () => {
		const answer = automaticAnswer();
		answer.idVerification.fields = [
			check('TEST_FACE_RECOGNITION_VALUE', 'OK'),
			check('TEST_FACE_RECOGNITION_RATIO', '0.9'),
		];
		const record = normalizeVerifyAnswer(
			answer,
			{ requestId: 'r', expeditorCountry: 'ES', faceImage: false },
			false,
		);
		expect({ match: record.match, matchScore: record.matchScore }).toEqual({
			match: null,
			matchScore: null,
		});
	});

	it('ID_NUMBER (the DNI number) is the personal number, not the document number', () => {
		expect(
			identityOf(normal('DOCUMENT_NUMBER', 'BAA000589'), normal('ID_NUMBER', '99999999R')),
		).toMatchObject({
			documentNumber: 'BAA000589',
			personalNumber: '99999999R',
		});
		expect(identityOf(normal('ID_NUMBER', '99999999R')).documentNumber).toBeNull();
	});
});

describe('Field Mapping: a LINK code the node does not know, onto an identity field', () => {
	const flat = flattenFields([
		normal('DOCUMENT_NUMBER', 'BUILT-IN'),
		normal('NUMERO_SOPORTE', 'BAA000589'),
		normal('fecha-nacimiento', '01.01.1980'),
		normal('APELLIDO', 'ESPAÑOLA'),
		normal('APELLIDO', 'PEREZ'),
		normal('PAIS', 'esp'),
		{ type: 'Validation', code: 'FACE_OK', value: 'FAIL' },
	]);

	it('mapped codes come before the built-in ones and are read like them (dates, surnames, countries, verdicts)', () => {
		const identity = identityFromFields(flat, {
			mapping: [
				{ code: 'numero_soporte', field: 'documentNumber' },
				{ code: 'FECHA_NACIMIENTO', field: 'birthDate' },
				{ code: 'APELLIDO', field: 'surnames' },
				{ code: 'PAIS', field: 'issuingCountry' },
				{ code: 'FACE_OK', field: 'match' },
			],
			expeditorCountry: 'PT',
		});
		expect(identity).toMatchObject({
			documentNumber: 'BAA000589',
			birthDate: '1980-01-01',
			surnames: 'ESPAÑOLA PEREZ',
			issuingCountry: 'ESP',
			match: false,
		});
	});

	it('a mapped code absent from the answer falls back to the built-in codes', () => {
		expect(
			identityFromFields(flat, { mapping: [{ code: 'NOT_THERE', field: 'documentNumber' }] })
				.documentNumber,
		).toBe('BUILT-IN');
	});

	it('without a mapping the unknown codes fill nothing (but stay in vendorDetails.fields)', () => {
		expect(identityFromFields(flat)).toMatchObject({
			documentNumber: 'BUILT-IN',
			birthDate: null,
			surnames: null,
			match: null,
		});
		expect(flat.fields).toMatchObject({
			NUMERO_SOPORTE: 'BAA000589',
			APELLIDO: ['ESPAÑOLA', 'PEREZ'],
		});
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
		expect(record.vendorDetails.faceComparison).toEqual({
			acceptance: null,
			reasons: [],
			match: null,
			liveness: null,
		});
	});

	it('an unknown service keeps its data under vendorDetails', () => {
		const record = normalizeCallback(
			{ id: ' r-9 ', service: 'Other', status: 'completed', data: { x: 1 } },
			true,
		);
		expect(record.transactionId).toBe('r-9');
		expect(record.vendorDetails).toEqual({
			requestId: 'r-9',
			service: 'Other',
			status: 'Completed',
			data: { x: 1 },
		});
		expect(record.raw).toEqual({
			id: ' r-9 ',
			service: 'Other',
			status: 'completed',
			data: { x: 1 },
		});
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
