import nock from 'nock';
import { LinkMobilityKycApi } from '../../../credentials/LinkMobilityKycApi.credentials';
import type { CredentialSetup } from '../../helpers/fakeN8n';
import { sentRequests } from '../../helpers/fakeN8n';

export const BASE = 'https://link.test';
export const PASSWORD = 'link-example-pass';

export function linkCredential(accessToken = ''): CredentialSetup {
	return {
		type: new LinkMobilityKycApi(),
		data: {
			environment: 'custom',
			baseUrl: `${BASE}/`,
			user: 'kyc-user',
			password: PASSWORD,
			accessToken,
		},
	};
}

export function tokenEndpoint(times = 1, token = 'token-1') {
	return nock(BASE)
		.post('/auth/token')
		.times(times)
		.reply(200, {
			token,
			scopes: ['kyc.idVerification.auto', 'kyc.certification'],
			expiresIn: 3600,
			token_type: 'bearer',
		});
}

export const requestsTo = (path: string) =>
	sentRequests.filter((request) => request.url.pathname === path);

export const jsonOf = (path: string, index = 0) =>
	JSON.parse(requestsTo(path)[index].body?.toString('utf8') ?? 'null') as Record<string, unknown>;

export function resetHttp() {
	nock.cleanAll();
	sentRequests.length = 0;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * An automatic answer in the seed's shape. The seed elides most fields ("..."); the identity
 * codes here are those a LINK sandbox emits (DOCUMENT_NUMBER, NAME, SURNAME, ...).
 */
export function automaticAnswer(
	result = 'Ok',
	warning = '',
	id = 'b2820098-04a9-47ef-9d5f-c668e016a596',
) {
	return {
		id,
		idVerification: {
			status: 'Completed',
			process: 'Automatic',
			result,
			warning,
			fields: [
				{ type: 'Normal', code: 'TYPE', value: 'IDENTITY', description: 'TYPE' },
				{ type: 'Normal', code: 'SIDE', value: '1', description: 'SIDE' },
				{
					type: 'Normal',
					code: 'DOCUMENT_NUMBER',
					value: '12345678Z',
					description: 'DOCUMENT_NUMBER',
				},
				{ type: 'Normal', code: 'NAME', value: 'LUIS', description: 'NAME' },
				{
					type: 'Normal',
					code: 'SURNAME',
					value: 'GARCIA DE TODOS LOS SANTOS',
					description: 'SURNAME',
				},
				{ type: 'Normal', code: 'BIRTH_DATE', value: '31/10/1963', description: 'BIRTH_DATE' },
				{ type: 'Normal', code: 'EXPIRY_DATE', value: '2030-10-31', description: 'EXPIRY_DATE' },
				{ type: 'Normal', code: 'NATIONALITY', value: 'esp', description: 'NATIONALITY' },
				{ type: 'Normal', code: 'SEX', value: 'M', description: 'SEX' },
				{
					type: 'Validation',
					code: 'TEST_GLOBAL_AUTHENTICITY_VALUE',
					value: result === 'NotCorrect' ? 'FAIL' : 'OK',
					description: 'TEST_GLOBAL_AUTHENTICITY_VALUE',
				},
				{
					type: 'Validation',
					code: 'TEST_SIDE_CORRESPONDENCE',
					value: result === 'Warning' ? 'FAIL' : 'OK',
					description: 'TEST_SIDE_CORRESPONDENCE',
				},
				{
					type: 'Normal',
					code: 'QUALITY_IMAGE_BLURRING',
					value: 'IQ_GOOD 11%',
					description: 'QUALITY_IMAGE_BLURRING',
				},
				{
					type: 'Normal',
					code: 'ICAR_RESULT_DOCUMENT_ID',
					value: 'IDESPC1',
					description: 'ICAR_RESULT_DOCUMENT_ID',
				},
			],
		},
		certification: { status: 'Processing' },
	};
}

/** Seed 003: "200 Manual ID Verification Response Example". */
export const MANUAL_ANSWER = {
	id: 'd656cd3a-b457-4371-929f-e674b299cd73',
	idVerification: { status: 'Processing', process: 'Manual' },
};

/** A tiny but real PDF header: enough for the node's "%PDF" check. */
export const PDF = Buffer.from(
	'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n',
	'latin1',
);

export const REQUEST_ID = 'b2820098-04a9-47ef-9d5f-c668e016a596';

// ---------------------------------------------------------------------------------------------
// Seed 003's callbacks. The seed's text misses a comma in faceComparisonInfo.findings; these
// objects are the same bodies as JSON can carry them (including the leading spaces).
// ---------------------------------------------------------------------------------------------

const EXTRACTED_DATA = {
	documentAttributes: {
		countryCodeOfIssuance: 'ESP',
		dateOfExpiry: '1963-10-31',
		dateOfIssuance: '1963-10-31',
		documentNumber: '12345678Z',
		documentType: 'IDENTITY_CARD',
		issuingAuthority: '',
		stateOrProvinceOfIssuance: 'MAD',
	},
	personAttributes: {
		dateOfBirth: '1963-10-31',
		gender: 'M',
		nationalityCode: 'ARG',
		personalGovernmentId: '123435534',
		placeOfBirth: 'BUENOS AIRES',
	},
	name: {
		firstSurname: 'LUIS ALBERTO',
		fullName: 'LUIS ALBERTO GARCIA DE TODOS LOS SANTOS',
		givenNames: 'LUIS',
		secondSurname: 'DE TODOS LOS SANTOS',
		surname: 'GARCIA DE TODOS LOS SANTOS',
	},
	address: {
		parsedAddress: {
			addressLine1: 'CALLE SIN NOMBRE, 34 23º 17',
			addressLine2: '28001 MADRID',
			addressLine3: '',
			addressLine4: '',
			city: 'MADRID',
			postalCode: '28001',
			stateOrProvince: 'MAD',
		},
		unparsedAddress: {
			addressLine1: 'CALLE SIN NOMBRE, 34 23º 17',
			addressLine2: '28001 MADRID',
			addressLine3: '',
			addressLine4: '',
		},
	},
};

export function approvedCallback() {
	return {
		id: REQUEST_ID,
		service: 'ManualIDVerification',
		status: 'Completed',
		data: {
			documentInfo: {
				acceptance: { result: 'ACCEPTED' },
				findings: {
					documentApproval: 'APPROVED',
					details: {
						authenticity: { result: 'AUTHENTIC' },
						originality: { result: 'ORIGINAL' },
						validity: { result: 'VALID' },
					},
				},
				extractedData: structuredClone(EXTRACTED_DATA),
			},
			faceComparisonInfo: {
				acceptance: { result: 'ACCEPTED' },
				findings: { faceComparisonApproval: 'MATCH', faceLivenessApproval: 'LIVE' },
			},
		},
	};
}

export function notApprovedCallback() {
	return {
		id: REQUEST_ID,
		service: 'ManualIDVerification',
		status: 'Completed',
		data: {
			documentInfo: {
				acceptance: { result: ' ACCEPTED' },
				findings: {
					documentApproval: 'NOT_APPROVED',
					details: {
						authenticity: {
							result: 'NOT_AUTHENTIC',
							reasons: [
								'EVIDENCE_OF_FORGERY_BIODATA_FONTS',
								'EVIDENCE_OF_FORGERY_MRZ_FONTS',
								'EVIDENCE_OF_FORGERY_PHOTO_ZONE',
								'EVIDENCE_OF_FORGERY_SIGNATURE',
							],
						},
						originality: {
							result: 'NOT_ORIGINAL',
							reasons: [
								'EVIDENCE_OF_FORGERY_BLACK_AND_WHITE_COPY',
								'EVIDENCE_OF_FORGERY_DOCUMENT_STRUCTURE',
							],
						},
						validity: {
							result: 'NOT_VALID',
							reasons: ['EVIDENCE_OF_FORGERY_MRZ_CHECKSUMS', 'EXPIRED_OR_INVALIDATED'],
						},
					},
				},
				extractedData: structuredClone(EXTRACTED_DATA),
			},
			faceComparisonInfo: {
				acceptance: { result: 'ACCEPTED' },
				findings: { faceComparisonApproval: 'NOT_MATCH', faceLivenessApproval: 'NOT_LIVE' },
			},
		},
	};
}

export const REJECTED_DOCUMENT_REASONS = [
	'GLARE',
	'INCOMPLETE_DOCUMENT',
	'NOT_VISIBLE_FOUR_CORNERS',
	'NOT_VISIBLE_SECURITY_FEATURES',
	'OUT_OF_FOCUS',
	'POOR_CONTRAST',
	'POOR_EXPOSURE',
	'UNCLASSIFIED_DOCUMENT',
	'UNREADABLE_FIELD',
	'UNSUPPORTED_LANGUAGE',
];

export const REJECTED_FACE_REASONS = [
	'POOR_CONTRAST',
	'POOR_EXPOSURE',
	'OUT_OF_FOCUS',
	'GLARE',
	'MISSING_SELFIE',
	'MISSING_PORTRAIT',
	'NOT_HUMAN_FACE',
	'PARTIALLY_VISIBLE_HUMAN_FACE',
	'SELFIE_NOT_LIVE',
	'PORTRAIT_IS_FAKE',
];

export function rejectedCallback() {
	return {
		id: REQUEST_ID,
		service: 'ManualIDVerification',
		status: 'Completed',
		data: {
			documentInfo: {
				acceptance: { result: ' REJECTED', reasons: [...REJECTED_DOCUMENT_REASONS] },
			},
			faceComparisonInfo: {
				acceptance: { result: ' REJECTED', reasons: [...REJECTED_FACE_REASONS] },
			},
		},
	};
}

export function certificationCallback(
	url = `${BASE}/certificate/${REQUEST_ID}`,
	status = 'Completed',
) {
	return { id: REQUEST_ID, service: 'Certification', status, data: { urlCertificateFile: url } };
}

/** Seed 003's "APPROVED" callback exactly as printed: note the missing comma after "MATCH". */
export const APPROVED_CALLBACK_SEED_TEXT = `{
  "id": "b2820098-04a9-47ef-9d5f-c668e016a596",
  "service": "ManualIDVerification",
  "status": "Completed",
  "data": {
    "documentInfo": {
      "acceptance": {
          "result": "ACCEPTED"
        },
        "findings": {
          "documentApproval": "APPROVED",
          "details": {
            "authenticity": {
              "result": "AUTHENTIC"
            },
            "originality": {
              "result": "ORIGINAL"
            },
            "validity": {
              "result": "VALID"
            }
          }
        },
        "extractedData": {
          "documentAttributes": {
            "countryCodeOfIssuance": "ESP",
            "dateOfExpiry": "1963-10-31",
            "dateOfIssuance": "1963-10-31",
            "documentNumber": "12345678Z",
            "documentType": "IDENTITY_CARD",
            "issuingAuthority": "",
            "stateOrProvinceOfIssuance": "MAD"
          },
          "personAttributes": {
            "dateOfBirth": "1963-10-31",
            "gender": "M",
            "nationalityCode": "ARG",
            "personalGovernmentId": "123435534",
            "placeOfBirth": "BUENOS AIRES"
          },
          "name": {
            "firstSurname": "LUIS ALBERTO",
            "fullName": "LUIS ALBERTO GARCIA DE TODOS LOS SANTOS",
            "givenNames": "LUIS",
            "secondSurname": "DE TODOS LOS SANTOS",
            "surname": "GARCIA DE TODOS LOS SANTOS"
          },
          "address": {
            "parsedAddress": {
              "addressLine1": "CALLE SIN NOMBRE, 34 23º 17",
              "addressLine2": "28001 MADRID",
              "addressLine3": "",
              "addressLine4": "",
              "city": "MADRID",
              "postalCode": "28001",
              "stateOrProvince": "MAD"
            },        
            "unparsedAddress": {
              "addressLine1": "CALLE SIN NOMBRE, 34 23º 17",
              "addressLine2": "28001 MADRID",
              "addressLine3": "",
              "addressLine4": ""
            }
          }
        } 
    },
    "faceComparisonInfo": {
      "acceptance": {
        "result": "ACCEPTED"
      },
      "findings": {
        "faceComparisonApproval": "MATCH"
        "faceLivenessApproval": "LIVE"
      }
    }
  }
}`;
