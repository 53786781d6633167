'use strict';
/**
 * Fixture persons, per document kind. Marker PERSON=<n> picks person n (1-based; numbers past
 * the end wrap around, so PERSON=4 of 3 is person 1). Person 1 is the seeds' own example where
 * a seed has one. Formats are stored the way each vendor answers them.
 */

// Apptenticate v3 OCR, Panamanian identification card (seed 000). Dates DD-MM-YYYY, gender F/M.
const panamaIdCards = [
	{
		// seed 000's example
		document_number: 'E-8-123456',
		names: 'Sofia Maria',
		surnames: 'Lopez Contreras',
		gender: 'F',
		birth_country: 'VENEZUELA',
		birth_date: '10-10-1994',
		nationality: 'VENEZOLANA',
		issuing_date: '12-08-2022',
		expiration_date: '12-08-2032',
		blood_type: '',
	},
	{
		document_number: '8-888-1234',
		names: 'Carlos Alberto',
		surnames: 'Rodriguez Batista',
		gender: 'M',
		birth_country: 'PANAMA',
		birth_date: '03-05-1979',
		nationality: 'PANAMEÑA',
		issuing_date: '21-01-2020',
		expiration_date: '21-01-2030',
		blood_type: 'O+',
	},
	{
		document_number: '4-712-2345',
		names: 'Ana Lucia',
		surnames: 'Castillo de Gracia',
		gender: 'F',
		birth_country: 'PANAMA',
		birth_date: '29-02-2000',
		nationality: 'PANAMEÑA',
		issuing_date: '15-06-2018',
		expiration_date: '15-06-2028',
		blood_type: 'A-',
	},
];

// Apptenticate v3 OCR, passports (MRZ). Same formats as the ID card answer.
const passports = [
	{
		document_type: 'P',
		document_number: '123456789',
		names: 'Sofia Maria',
		surnames: 'Lopez Contreras',
		gender: 'F',
		birth_date: '10-10-1994',
		nationality: 'VEN',
		issuing_country: 'VEN',
		expiration_date: '04-03-2031',
	},
	{
		document_type: 'P',
		document_number: '546789123',
		names: 'John Michael',
		surnames: 'Smith',
		gender: 'M',
		birth_date: '17-11-1982',
		nationality: 'USA',
		issuing_country: 'USA',
		expiration_date: '30-09-2033',
	},
	{
		document_type: 'P',
		document_number: 'PA0912345',
		names: 'Valentina',
		surnames: 'Moreno Quintero',
		gender: 'F',
		birth_date: '01-01-1970',
		nationality: 'PAN',
		issuing_country: 'PAN',
		expiration_date: '12-12-2026',
	},
];

// Apptenticate v3.2 OCR, Mexican INE (seed 001). Back: birth_date DD-MM-YYYY, expiration_date
// YYYY-MM-DD, gender Male/Female. Front: gender as printed (H = hombre, M = mujer) except in
// person 1, which copies the seed's example ("Male"). Person 3's CURP breaks the seed's
// structural rules (position 10 must be H or M) to exercise validation reporting.
const mexicanIds = [
	{
		back: {
			document_type: 'INE',
			country_code: 'MEX',
			document_number: '1234567890123',
			citizen_id: '137438414',
			cic: '345636022',
			birth_date: '15-03-1990',
			gender: 'Male',
			expiration_date: '2025-12-31',
			surname: 'GARCIA LOPEZ',
			name: 'JUAN CARLOS',
		},
		front: {
			name: 'JUAN CARLOS',
			surname: 'GARCIA LOPEZ',
			address: 'CALLE REFORMA 123 COL CENTRO',
			CURP: 'GALJ900315HDFRPN01',
			elector_key: 'GLRJNC90031512H400',
			validity_period: '2024-2034',
			date_of_birth: '15-03-1990',
			document_type: 'INE',
			section: '1234',
			gender: 'Male',
			emission_number: '12',
		},
	},
	{
		back: {
			document_type: 'INE',
			country_code: 'MEX',
			document_number: '4567890123456',
			citizen_id: '208765431',
			cic: '198273645',
			birth_date: '22-07-1988',
			gender: 'Female',
			expiration_date: '2031-12-31',
			surname: 'HERNANDEZ RUIZ',
			name: 'MARIA FERNANDA',
		},
		front: {
			name: 'MARIA FERNANDA',
			surname: 'HERNANDEZ RUIZ',
			address: 'AV JUAREZ 456 COL AMERICANA 44160 GUADALAJARA JAL',
			CURP: 'HERM880722MJCRZR05',
			elector_key: 'HRRZMR88072214M700',
			validity_period: '2021-2031',
			date_of_birth: '22-07-1988',
			document_type: 'INE',
			section: '2187',
			gender: 'M', // mujer: female, not "male"
			emission_number: '03',
		},
	},
	{
		back: {
			document_type: 'INE',
			country_code: 'MEX',
			document_number: '7890123456789',
			citizen_id: '319283746',
			cic: '564738291',
			birth_date: '15-01-1985',
			gender: 'Male',
			expiration_date: '2029-12-31',
			surname: 'RAMIREZ SOTO',
			name: 'PEDRO',
		},
		front: {
			name: 'PEDRO',
			surname: 'RAMIREZ SOTO',
			address: 'CALLE HIDALGO 78 COL OBISPADO 64060 MONTERREY NL',
			CURP: 'RASP850115XNLMTD02', // invalid: position 10 is X, must be H or M
			elector_key: 'RMSTPD85011519H300',
			validity_period: '2019-2029',
			date_of_birth: '15-01-1985',
			document_type: 'INE',
			section: '0981',
			gender: 'H',
			emission_number: '01',
		},
	},
];

// LINK Mobility (seed 003). Person 1 is the seed's manual-verification example (its three
// placeholder dates "1963-10-31" are replaced by plausible issue/expiry dates).
const linkDocuments = [
	{
		documentType: 'IDENTITY_CARD',
		icarId: 'IDESPC1',
		countryCodeOfIssuance: 'ESP',
		stateOrProvinceOfIssuance: 'MAD',
		issuingAuthority: '',
		documentNumber: '12345678Z',
		dateOfIssuance: '2021-10-31',
		dateOfExpiry: '2031-10-31',
		dateOfBirth: '1963-10-31',
		gender: 'M',
		nationalityCode: 'ARG',
		personalGovernmentId: '123435534',
		placeOfBirth: 'BUENOS AIRES',
		givenNames: 'LUIS',
		firstSurname: 'LUIS ALBERTO', // sic, as in the seed
		secondSurname: 'DE TODOS LOS SANTOS',
		surname: 'GARCIA DE TODOS LOS SANTOS',
		icarSurnames: ['GARCIA', 'DE TODOS LOS SANTOS'], // LINK's automatic answer: one SURNAME field each
		fullName: 'LUIS ALBERTO GARCIA DE TODOS LOS SANTOS',
		address: {
			addressLine1: 'CALLE SIN NOMBRE, 34 23º 17',
			addressLine2: '28001 MADRID',
			city: 'MADRID',
			postalCode: '28001',
			stateOrProvince: 'MAD',
		},
	},
	{
		documentType: 'IDENTITY_CARD',
		icarId: 'IDESPC2',
		countryCodeOfIssuance: 'ESP',
		stateOrProvinceOfIssuance: 'B',
		issuingAuthority: 'DGP',
		documentNumber: '87654321X',
		dateOfIssuance: '2019-04-12',
		dateOfExpiry: '2029-04-12',
		dateOfBirth: '1992-02-08',
		gender: 'F',
		nationalityCode: 'ESP',
		personalGovernmentId: '87654321X',
		placeOfBirth: 'BARCELONA',
		givenNames: 'MARIA CARMEN',
		firstSurname: 'LOPEZ',
		secondSurname: 'FERNANDEZ',
		surname: 'LOPEZ FERNANDEZ',
		icarSurnames: ['LOPEZ', 'FERNANDEZ'],
		fullName: 'MARIA CARMEN LOPEZ FERNANDEZ',
		address: {
			addressLine1: 'CARRER DE MALLORCA, 401 3º 2ª',
			addressLine2: '08013 BARCELONA',
			city: 'BARCELONA',
			postalCode: '08013',
			stateOrProvince: 'B',
		},
	},
	{
		documentType: 'PASSPORT',
		icarId: 'PASFRA3',
		countryCodeOfIssuance: 'FRA',
		stateOrProvinceOfIssuance: '',
		issuingAuthority: 'PREFECTURE DE POLICE',
		documentNumber: '19AB12345',
		dateOfIssuance: '2019-06-03',
		dateOfExpiry: '2029-06-02',
		dateOfBirth: '1975-12-24',
		gender: 'F',
		nationalityCode: 'FRA',
		personalGovernmentId: '',
		placeOfBirth: 'LYON',
		givenNames: 'CLAIRE ISABELLE',
		firstSurname: 'DUBOIS',
		secondSurname: '',
		surname: 'DUBOIS',
		icarSurnames: ['DUBOIS'],
		fullName: 'CLAIRE ISABELLE DUBOIS',
		address: { addressLine1: '', addressLine2: '', city: '', postalCode: '', stateOrProvince: '' },
	},
];

// Progeny ocr_passport (seed 004): dates YYYY-M-D without zero padding, "None-None-None" when
// missing. Person 2 is the seed's example (expired, no issue date).
const progenyPassports = [
	{
		firstName: 'ANNA',
		lastName: 'KOVALENKO',
		dateOfBirth: '1990-4-7',
		dateOfIssue: '2019-3-12',
		dateOfExpiry: '2029-3-12',
		documentNumber: 'FE123456',
		sex: 'F',
		nationality: 'UKRAINIAN',
	},
	{
		firstName: 'VALERIA',
		lastName: 'PERFILOVA',
		dateOfBirth: '1991-9-24',
		dateOfIssue: 'None-None-None',
		dateOfExpiry: '2023-9-25',
		documentNumber: 'XX008080',
		sex: 'F',
		nationality: 'UKRAINIAN',
	},
	{
		firstName: 'JAMES',
		lastName: "O'CONNOR",
		dateOfBirth: '1985-12-1',
		dateOfIssue: '2020-1-15',
		dateOfExpiry: '2030-1-14',
		documentNumber: 'PX7654321',
		sex: 'M',
		nationality: 'IRISH',
	},
];

/** Person n (1-based, wrapping) of a list; n that is not a positive integer means person 1. */
function pick(list, n) {
	const i = Number.parseInt(n, 10);
	const index = Number.isInteger(i) && i > 0 ? (i - 1) % list.length : 0;
	return list[index];
}

module.exports = { panamaIdCards, passports, mexicanIds, linkDocuments, progenyPassports, pick };
