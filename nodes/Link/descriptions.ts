import type { INodeProperties } from 'n8n-workflow';
import {
	concurrencyOption,
	imageProperty,
	includeRawOption,
	requestTimeoutOption,
	retryUncertainOption,
} from '../shared/descriptions';
import { COUNTRY_OPTIONS } from './countries';
import { MAPPABLE_FIELDS } from './normalize';
import type { MappableField } from './normalize';

/** The parameters of the LINK nodes: declared here once, listed by the nodes, read by the actions and the trigger. */

const TRIGGER_URL_HINT =
	'Paste the <b>Production URL</b> of a LINK Trigger node here (with <code>?token=…</code> if the trigger has a Secret Token). Empty: the callback URL set in your LINK account.';

const forVerify = { show: { operation: ['verify'] } };

const IDENTITY_FIELD_LABELS: Record<MappableField, string> = {
	address: 'Address',
	birthDate: 'Birth Date',
	documentNumber: 'Document Number',
	documentType: 'Document Type',
	expiryDate: 'Expiry Date',
	fullName: 'Full Name',
	gender: 'Gender',
	givenNames: 'Given Names',
	issueDate: 'Issue Date',
	issuingCountry: 'Issuing Country',
	match: 'Match (Face Comparison Verdict)',
	matchScore: 'Match Score',
	nationality: 'Nationality',
	personalNumber: 'Personal Number',
	surnames: 'Surnames',
};

const IDENTITY_FIELD_OPTIONS = MAPPABLE_FIELDS.map((field) => ({
	name: IDENTITY_FIELD_LABELS[field],
	value: field,
	description: `Fills <code>${field}</code>`,
})).sort((a, b) => a.name.localeCompare(b.name));

// LINK Verify

export const verifyOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'verify',
	options: [
		{
			name: 'Ping',
			value: 'ping',
			description: 'Check that the LINK Mobility KYC API is available',
			action: 'Ping the API',
		},
		{
			name: 'Verify Identity Document',
			value: 'verify',
			description:
				'Read and validate a document from one or two images, optionally with a face comparison',
			action: 'Verify an identity document',
		},
	],
};

export const frontImageProperty: INodeProperties = {
	...imageProperty({
		displayName: 'Front Image Binary Field',
		name: 'frontImageProperty',
		default: 'front',
		description:
			'Name of the binary property that holds the image of the front of the document, or of the passport photo page. JPEG or PNG.',
	}),
	displayOptions: forVerify,
};

export const backImageProperty: INodeProperties = {
	displayName: 'Back Image Binary Field',
	name: 'backImageProperty',
	type: 'string',
	default: '',
	placeholder: 'back',
	hint: 'The name of the input binary field containing the image',
	description:
		'Name of the binary property that holds the image of the back of the document. Leave empty for a passport or a one-sided document.',
	displayOptions: forVerify,
};

export const faceImageProperty: INodeProperties = {
	displayName: 'Face Image Binary Field',
	name: 'faceImageProperty',
	type: 'string',
	default: '',
	placeholder: 'selfie',
	hint: 'The name of the input binary field containing the image',
	description:
		'Name of the binary property that holds a photo of the person (a selfie) to compare with the portrait on the document. Leave empty for no face comparison.',
	displayOptions: forVerify,
};

export const expeditorCountryProperty: INodeProperties = {
	// The name is LINK's field, kept so that saved workflows keep their value.
	displayName: 'Issuing Country',
	name: 'expeditorCountry',
	type: 'options',
	options: COUNTRY_OPTIONS,
	default: 'ES',
	required: true,
	description:
		"Country that issued the document (LINK's <code>expeditorCountry</code>). An expression must give a two-letter ISO 3166-1 alpha-2 code (ES, PT, FR, GB…).",
	displayOptions: forVerify,
};

export const verifyRequestIdProperty: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	default: '',
	placeholder: 'e.g. a CRM record ID',
	description:
		'Identifier of the request at LINK, sent back in callbacks and used to download the certificate. Leave empty for a new UUID.',
	displayOptions: forVerify,
};

export const certifyProperty: INodeProperties = {
	displayName: 'Certify',
	name: 'certify',
	type: 'boolean',
	default: false,
	description:
		'Whether LINK should issue a time-stamped certificate of the verification. LINK sends it later to the certification callback.',
	displayOptions: forVerify,
};

export const certifyCallbackProperty: INodeProperties = {
	displayName: 'Certification Callback URL',
	name: 'certifyCallback',
	type: 'string',
	default: '',
	placeholder: 'https://n8n.example.com/webhook/…/link',
	description: 'Where LINK sends the Certification callback',
	hint: TRIGGER_URL_HINT,
	displayOptions: { show: { operation: ['verify'], certify: [true] } },
};

export const manualVerificationProperty: INodeProperties = {
	displayName: 'Manual Verification',
	name: 'manualVerification',
	type: 'boolean',
	default: false,
	description:
		'Whether a person at LINK should review the document instead of the automatic check. The answer is then only "Processing"; the result comes later to the manual verification callback.',
	displayOptions: forVerify,
};

export const manualVerificationCallbackProperty: INodeProperties = {
	displayName: 'Manual Verification Callback URL',
	name: 'manualVerificationCallback',
	type: 'string',
	default: '',
	placeholder: 'https://n8n.example.com/webhook/…/link',
	description: 'Where LINK sends the ManualIDVerification callback',
	hint: TRIGGER_URL_HINT,
	displayOptions: { show: { operation: ['verify'], manualVerification: [true] } },
};

export const fieldMappingOption: INodeProperties = {
	displayName: 'Field Mapping',
	name: 'fieldMapping',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Field',
	description:
		'LINK field codes to read into identity fields, before the built-in codes. For an account whose answers use codes the node does not know; every code stays under <code>vendorDetails.fields</code> anyway.',
	options: [
		{
			displayName: 'Mapping',
			name: 'mappings',
			values: [
				{
					displayName: 'LINK Field Code',
					name: 'code',
					type: 'string',
					default: '',
					placeholder: 'e.g. NUMERO_SOPORTE',
					description:
						"The <code>code</code> of a field in LINK's answer (case and separators ignored)",
				},
				{
					displayName: 'Identity Field',
					name: 'field',
					type: 'options',
					options: IDENTITY_FIELD_OPTIONS,
					default: 'documentNumber',
					description: 'The field of the output record it fills',
				},
			],
		},
	],
};

export const maxImageSizeOption: INodeProperties = {
	displayName: 'Max Image Size (MB)',
	name: 'maxImageSize',
	type: 'number',
	typeOptions: { minValue: 0.1, numberPrecision: 1 },
	default: 10,
	description:
		'Larger images fail the item before anything is sent. LINK documents no limit; raise it if your LINK account takes larger images.',
};

export const verifyOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: forVerify,
	options: [
		concurrencyOption,
		fieldMappingOption,
		includeRawOption,
		maxImageSizeOption,
		requestTimeoutOption,
		retryUncertainOption,
	],
};

// LINK Certificate

export const DEFAULT_CERTIFICATE_PROPERTY = 'certificate';

export const certificateOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'byId',
	options: [
		{
			name: 'Get by Request ID',
			value: 'byId',
			description: 'Download the certificate of a verification request',
			action: 'Get a certificate by request ID',
		},
		{
			name: 'Get by URL',
			value: 'byUrl',
			description: "Download the certificate from the URL of LINK's Certification callback",
			action: 'Get a certificate by URL',
		},
	],
};

export const certificateRequestIdProperty: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '00627e53-800b-4e6d-86ff-b933e2940a04',
	description:
		'The ID of the verification request (the <code>transactionId</code> of LINK Verify and LINK Trigger)',
	displayOptions: { show: { operation: ['byId'] } },
};

export const certificateUrlProperty: INodeProperties = {
	displayName: 'Certificate URL',
	name: 'certificateUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://kyc-api.linkmobility.es/certificate/…',
	description:
		"The <code>urlCertificateFile</code> of a Certification callback (LINK Trigger: <code>vendorDetails.certificateUrl</code>). It must be on the credential's LINK address: the access token is sent nowhere else.",
	displayOptions: { show: { operation: ['byUrl'] } },
};

export const certificateBinaryProperty: INodeProperties = {
	displayName: 'Put Certificate in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: DEFAULT_CERTIFICATE_PROPERTY,
	required: true,
	description: 'Name of the binary property the PDF is written to',
};

export const keepInputFieldsOption: INodeProperties = {
	displayName: 'Keep Input Fields',
	name: 'keepInputFields',
	type: 'boolean',
	default: true,
	description:
		"Whether to keep the input item's fields (for example the person's record from LINK Verify) in the output, next to <code>requestId</code>, <code>fileName</code> and <code>ready</code>",
};

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 10,
	description: 'With "Wait Until Ready": how long to wait between two attempts',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 300,
	description: 'With "Wait Until Ready": how long to keep asking before giving up with an error',
};

export const waitUntilReadyOption: INodeProperties = {
	displayName: 'Wait Until Ready',
	name: 'waitUntilReady',
	type: 'boolean',
	default: false,
	description:
		'Whether to ask again while LINK has no certificate yet (it answers 404 until the certificate is made), instead of failing at once',
};

export const certificateOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		concurrencyOption,
		keepInputFieldsOption,
		pollIntervalOption,
		requestTimeoutOption,
		retryUncertainOption,
		timeoutOption,
		waitUntilReadyOption,
	],
};

// LINK Trigger

/** The addresses LINK's callbacks come from, as published in its documentation. */
export const LINK_CALLBACK_IPS = ['217.75.233.139', '213.134.38.77', '88.26.209.16'];

/** Seconds during which a repeated (request id, service, status) starts nothing. */
export const DEFAULT_REPEAT_WINDOW_SECONDS = 600;

export const setupNoticeProperty: INodeProperties = {
	displayName:
		'Give LINK this node\'s Production URL as callback: in LINK Verify ("Certification Callback URL", "Manual Verification Callback URL") or as the default callback of your LINK account. With a LINK Mobility Callback credential, add <code>?token=</code> and its secret to the URL.',
	name: 'setupNotice',
	type: 'notice',
	default: '',
};

export const servicesProperty: INodeProperties = {
	displayName: 'Services',
	name: 'services',
	type: 'multiOptions',
	default: ['Certification', 'ManualIDVerification'],
	options: [
		{
			name: 'Certification',
			value: 'Certification',
			description: 'A certificate is ready (or failed)',
		},
		{
			name: 'Manual ID Verification',
			value: 'ManualIDVerification',
			description: 'A person at LINK reviewed the document',
		},
	],
	description:
		'Which callbacks start the workflow. Others are answered 200 and ignored. None selected: all.',
};

export const statusesProperty: INodeProperties = {
	displayName: 'Statuses',
	name: 'statuses',
	type: 'multiOptions',
	default: ['Completed', 'Processing', 'Error'],
	options: [
		{ name: 'Completed', value: 'Completed' },
		{ name: 'Error', value: 'Error' },
		{ name: 'Processing', value: 'Processing' },
	],
	description:
		'Which operation statuses start the workflow. Others are answered 200 and ignored. None selected: all.',
};

export const allowedIpsProperty: INodeProperties = {
	displayName: 'Allowed IP Addresses',
	name: 'allowedIps',
	type: 'string',
	default: LINK_CALLBACK_IPS.join(', '),
	placeholder: LINK_CALLBACK_IPS.join(', '),
	description:
		'Comma-separated addresses allowed to call this webhook; other senders get 403 and start nothing. Pre-filled with the addresses LINK publishes. Empty: any sender.',
};

export const secretTokenProperty: INodeProperties = {
	displayName: 'Secret Token',
	name: 'secretToken',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		'Deprecated: stored in the workflow and its executions. Select a LINK Mobility Callback credential holding the same secret instead (it wins over this field), then empty this field. A secret that callbacks must carry in their URL as <code>?token=…</code>; others get 403 and start nothing.',
	displayOptions: { show: { '@version': [1] } },
};

export const downloadCertificateOption: INodeProperties = {
	displayName: 'Download Certificate',
	name: 'downloadCertificate',
	type: 'boolean',
	default: true,
	description:
		'Whether to download the PDF of a completed Certification and attach it as binary data. Needs the LINK Mobility credential on this node; without it, nothing is downloaded.',
};

export const triggerCertificatePropertyOption: INodeProperties = {
	displayName: 'Put Certificate in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: DEFAULT_CERTIFICATE_PROPERTY,
	description: 'Name of the binary property the certificate PDF is written to',
};

export const repeatWindowOption: INodeProperties = {
	displayName: 'Repeat Window (Seconds)',
	name: 'repeatWindow',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_REPEAT_WINDOW_SECONDS,
	description:
		'A callback with the same request ID, service and status as one accepted within this many seconds is answered 200 and starts nothing (LINK may send a callback again). Remembered by each n8n process. 0: every callback starts the workflow.',
};

export const trustForwardedForOption: INodeProperties = {
	displayName: 'Trust X-Forwarded-For',
	name: 'trustForwardedFor',
	type: 'boolean',
	default: false,
	description:
		"Whether to check the last address of the X-Forwarded-For header instead of the connection's. Turn on only when n8n is behind a reverse proxy that sets that header (and N8N_PROXY_HOPS is not set); otherwise anyone could claim LINK's address.",
};

export const triggerOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		downloadCertificateOption,
		triggerCertificatePropertyOption,
		includeRawOption,
		repeatWindowOption,
		trustForwardedForOption,
	],
};
