import type { INodeProperties } from 'n8n-workflow';
import {
	concurrencyOption,
	imageProperty,
	includeRawOption,
	requestTimeoutOption,
	retryUncertainOption,
} from '../shared/descriptions';

/** The parameters of the Apptenticate nodes: declared here once, listed by the nodes, read by the actions. */

export const returnTransactionIdOption: INodeProperties = {
	displayName: 'Return Transaction ID',
	name: 'returnTransactionId',
	type: 'boolean',
	default: true,
	description:
		'Whether to ask Apptenticate for the transaction ID (output as <code>transactionId</code>), useful for audits and support requests',
};

export const deviceOption: INodeProperties = {
	displayName: 'Device',
	name: 'device',
	type: 'options',
	default: '',
	description:
		'The kind of device that took the picture. Apptenticate uses it to improve the liveness test.',
	options: [
		{ name: 'Not Specified', value: '' },
		{ name: 'Android', value: 'ANDROID' },
		{ name: 'Desktop', value: 'DESKTOP' },
		{ name: 'iOS', value: 'IOS' },
	],
};

// Apptenticate OCR

const withBackside = { show: { documentType: ['identification_card', 'ine'] } };

export const documentTypeProperty: INodeProperties = {
	displayName: 'Document Type',
	name: 'documentType',
	type: 'options',
	default: 'identification_card',
	options: [
		{
			name: 'Panamanian ID Card',
			value: 'identification_card',
			description: 'Cédula: front and back images',
		},
		{ name: 'Passport', value: 'passport', description: 'The photo page with the MRZ' },
		{
			name: 'Mexican INE/IFE',
			value: 'ine',
			description: 'Voter card: front (OCR) and back (MRZ) images',
		},
	],
};

export const frontImageProperty = imageProperty({
	displayName: 'Front Image Binary Field',
	name: 'frontImageProperty',
	default: 'front',
	description:
		'Name of the binary property that holds the JPEG of the front of the document (or of the passport photo page). At most 2 MB.',
});

export const backImageProperty: INodeProperties = {
	...imageProperty({
		displayName: 'Back Image Binary Field',
		name: 'backImageProperty',
		default: 'back',
		description:
			'Name of the binary property that holds the JPEG of the back of the document. At most 2 MB.',
	}),
	displayOptions: withBackside,
};

export const validateSidesProperty: INodeProperties = {
	displayName: 'Validate Sides',
	name: 'validateSides',
	type: 'boolean',
	default: false,
	description:
		'Whether to compare the data read from the front with the data read from the back. The output then has both sides under <code>vendorDetails</code>, <code>match</code> and <code>matchScore</code> (percentage).',
	displayOptions: withBackside,
};

export const ineDocumentTypeValueOption: INodeProperties = {
	displayName: 'INE Document Type Value',
	name: 'ineDocumentTypeValue',
	type: 'options',
	default: 'id_mexico',
	description:
		"The <code>document_type</code> value sent for INE/IFE. Apptenticate's documentation prescribes id_mexico in its text but shows mexican_id in examples; switch if your account expects the other.",
	options: [
		{ name: 'Id_mexico (Documented)', value: 'id_mexico' },
		{ name: 'Mexican_id (As in Examples)', value: 'mexican_id' },
	],
	displayOptions: { show: { '/documentType': ['ine'] } },
};

export const ocrOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		concurrencyOption,
		deviceOption,
		includeRawOption,
		ineDocumentTypeValueOption,
		requestTimeoutOption,
		retryUncertainOption,
		returnTransactionIdOption,
	],
};

// Apptenticate Biometry

const forVerifyCitizen = { show: { operation: ['verifyCitizen'] } };
const forForeignDocument = { show: { operation: ['compareForeignDocument'] } };

export const biometryOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'verifyCitizen',
	options: [
		{
			name: 'Verify Citizen',
			value: 'verifyCitizen',
			action: 'Verify a citizen selfie',
			description:
				"Compare a selfie with the photo on file at Panama's Electoral Tribunal for a citizen ID",
		},
		{
			name: 'Compare Foreign Document',
			value: 'compareForeignDocument',
			action: 'Compare a foreign document with a selfie',
			description: 'Compare a selfie with the photo on a foreign passport or ID card',
		},
	],
};

export const citizenIdProperty: INodeProperties = {
	displayName: 'Citizen ID',
	name: 'citizenId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '8-123-456',
	description: 'The Panamanian ID number (cédula) of the person in the selfie',
	displayOptions: forVerifyCitizen,
};

export const foreignDocumentTypeProperty: INodeProperties = {
	displayName: 'Foreign Document Type',
	name: 'foreignDocumentType',
	type: 'options',
	default: 'passport',
	options: [
		{ name: 'Passport', value: 'passport' },
		{ name: 'ID Card', value: 'identification_card' },
		{
			name: 'Profile Image',
			value: 'profile_image',
			description: 'A portrait photo rather than a document',
		},
	],
	displayOptions: forForeignDocument,
};

export const documentImageProperty: INodeProperties = {
	...imageProperty({
		displayName: 'Document Image Binary Field',
		name: 'documentImageProperty',
		default: 'document',
		description:
			'Name of the binary property that holds the JPEG of the document page with the photo. At most 2 MB.',
	}),
	displayOptions: forForeignDocument,
};

export const selfieImageProperty = imageProperty({
	displayName: 'Selfie Image Binary Field',
	name: 'selfieImageProperty',
	default: 'selfie',
	description:
		"Name of the binary property that holds the JPEG of the person's face. At most 2 MB.",
});

export const endpointOption: INodeProperties = {
	displayName: 'Endpoint',
	name: 'endpoint',
	type: 'options',
	default: 'v3',
	description: 'Which Apptenticate API receives citizen verifications',
	options: [
		{ name: 'API V3 (Citizen_id, Selfie)', value: 'v3' },
		{ name: 'Legacy "Endpoint Biometría" (Cedula, Image)', value: 'legacy' },
	],
	displayOptions: { show: { '/operation': ['verifyCitizen'] } },
};

export const legacyFieldNamesOption: INodeProperties = {
	displayName: 'Legacy Field Names',
	name: 'legacyFieldNames',
	type: 'options',
	default: 'payload',
	description: 'The legacy document names its fields two ways; use the one your account expects',
	options: [
		{ name: 'Image, ID, Device (Payload Description)', value: 'payload' },
		{ name: 'Imagen, ID, Dispositivo (Code Example)', value: 'codeExample' },
	],
	displayOptions: { show: { endpoint: ['legacy'] } },
};

export const legacyPathOption: INodeProperties = {
	displayName: 'Legacy Endpoint URL',
	name: 'legacyPath',
	type: 'string',
	default: '/api/biometrics/',
	description:
		"Path under the credential's base URL of your account's legacy biometry endpoint (a full URL must be on the credential's address: the token is sent nowhere else; for another host, use a credential with that base URL)",
	displayOptions: { show: { endpoint: ['legacy'] } },
};

export const biometryOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		concurrencyOption,
		deviceOption,
		endpointOption,
		includeRawOption,
		legacyFieldNamesOption,
		legacyPathOption,
		requestTimeoutOption,
		retryUncertainOption,
		returnTransactionIdOption,
	],
};
