import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import {
	concurrencyOption,
	imageProperty,
	includeRawOption,
	requestTimeoutOption,
	retryUncertainOption,
} from '../../shared/descriptions';
import { processItems } from '../../shared/items';
import { pingItem, verifyItem } from '../actions/verify';
import type { VerifyOptions } from '../actions/verify';
import { COUNTRY_OPTIONS } from '../countries';
import { MAPPABLE_FIELDS } from '../normalize';
import type { MappableField } from '../normalize';
import { linkContext } from '../transport';

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

export class LinkVerify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LINK Verify',
		name: 'linkVerify',
		icon: { light: 'file:../../../icons/link.svg', dark: 'file:../../../icons/link.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "ping" ? "Ping" : "Verify identity document"}}',
		description: 'Verify an identity document (and optionally a face) with LINK Mobility KYC',
		defaults: { name: 'LINK Verify' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkMobilityKycApi', required: true }],
		properties: [
			{
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
						description: 'Read and validate a document from one or two images, optionally with a face comparison',
						action: 'Verify an identity document',
					},
				],
			},
			{
				...imageProperty(
					'Front Image Property',
					'frontImageProperty',
					'front',
					'Name of the binary property that holds the image of the front of the document, or of the passport photo page. JPEG or PNG.',
				),
				displayOptions: forVerify,
			},
			{
				displayName: 'Back Image Property',
				name: 'backImageProperty',
				type: 'string',
				default: '',
				placeholder: 'back',
				description:
					'Name of the binary property that holds the image of the back of the document. Leave empty for a passport or a one-sided document.',
				displayOptions: forVerify,
			},
			{
				displayName: 'Face Image Property',
				name: 'faceImageProperty',
				type: 'string',
				default: '',
				placeholder: 'selfie',
				description:
					'Name of the binary property that holds a photo of the person (a selfie) to compare with the portrait on the document. Leave empty for no face comparison.',
				displayOptions: forVerify,
			},
			{
				// The name is LINK's field, kept so that saved workflows keep their value.
				displayName: 'Issuing Country',
				name: 'expeditorCountry',
				type: 'options',
				options: COUNTRY_OPTIONS,
				default: 'ES',
				required: true,
				description:
					'Country that issued the document (LINK\'s <code>expeditorCountry</code>). An expression must give a two-letter ISO 3166-1 alpha-2 code (ES, PT, FR, GB…).',
				displayOptions: forVerify,
			},
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '',
				placeholder: 'e.g. a CRM record ID',
				description:
					'Identifier of the request at LINK, sent back in callbacks and used to download the certificate. Leave empty for a new UUID.',
				displayOptions: forVerify,
			},
			{
				displayName: 'Certify',
				name: 'certify',
				type: 'boolean',
				default: false,
				description:
					'Whether LINK should issue a time-stamped certificate of the verification. LINK sends it later to the certification callback.',
				displayOptions: forVerify,
			},
			{
				displayName: 'Certification Callback URL',
				name: 'certifyCallback',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/link',
				description: 'Where LINK sends the Certification callback',
				hint: TRIGGER_URL_HINT,
				displayOptions: { show: { operation: ['verify'], certify: [true] } },
			},
			{
				displayName: 'Manual Verification',
				name: 'manualVerification',
				type: 'boolean',
				default: false,
				description:
					'Whether a person at LINK should review the document instead of the automatic check. The answer is then only "Processing"; the result comes later to the manual verification callback.',
				displayOptions: forVerify,
			},
			{
				displayName: 'Manual Verification Callback URL',
				name: 'manualVerificationCallback',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/link',
				description: 'Where LINK sends the ManualIDVerification callback',
				hint: TRIGGER_URL_HINT,
				displayOptions: { show: { operation: ['verify'], manualVerification: [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: forVerify,
				options: [
					concurrencyOption,
					{
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
										description: 'The <code>code</code> of a field in LINK\'s answer (case and separators ignored)',
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
					},
					includeRawOption,
					{
						displayName: 'Max Image Size (MB)',
						name: 'maxImageSize',
						type: 'number',
						typeOptions: { minValue: 0.1, numberPrecision: 1 },
						default: 10,
						description:
							'Larger images fail the item before anything is sent. LINK documents no limit; raise it if your LINK account takes larger images.',
					},
					requestTimeoutOption,
					retryUncertainOption,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const link = await linkContext(this);
		if (this.getNodeParameter('operation', 0) === 'ping') {
			return [await processItems(this, async (itemIndex) => await pingItem(link, itemIndex))];
		}
		const { concurrency } = this.getNodeParameter('options', 0, {}) as VerifyOptions;
		return [
			await processItems(
				this,
				async (itemIndex) =>
					await verifyItem(this, link, itemIndex, this.getNodeParameter('options', itemIndex, {}) as VerifyOptions),
				concurrency,
			),
		];
	}
}
