import nock from 'nock';
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, INode, IWebhookDescription } from 'n8n-workflow';
import {
	checkCallbackSecret,
	forgetCallbacks,
	normalizeIp,
	rememberCallback,
	senderIp,
	tokenMatches,
} from '../../../nodes/Link/callback';
import { LinkTrigger } from '../../../nodes/Link/LinkTrigger.node';
import type { CredentialSetup } from '../../helpers/fakeN8n';
import { sentRequests, testNode, webhookContext } from '../../helpers/fakeN8n';
import {
	APPROVED_CALLBACK_SEED_TEXT,
	BASE,
	PDF,
	REJECTED_DOCUMENT_REASONS,
	REJECTED_FACE_REASONS,
	REQUEST_ID,
	approvedCallback,
	certificationCallback,
	linkCredential,
	notApprovedCallback,
	rejectedCallback,
	requestsTo,
	resetHttp,
	tokenEndpoint,
} from './fixtures';

const trigger = new LinkTrigger();
const LINK_IP = '217.75.233.139';
const CERTIFICATE_PATH = `/certificate/${REQUEST_ID}`;
const CALLBACK_PASS_PHRASE = ['k7s', 'Secret', '42', 'from', 'the', 'credential'].join('-');

const PARAMETER_DEFAULTS = {
	services: ['Certification', 'ManualIDVerification'],
	statuses: ['Completed', 'Processing', 'Error'],
	allowedIps: '217.75.233.139, 213.134.38.77, 88.26.209.16',
	options: {},
};

interface Call {
	body?: unknown;
	parameters?: Record<string, unknown>;
	ip?: string;
	query?: IDataObject;
	headers?: Record<string, string>;
	/** The LINK Mobility KYC credential (for the certificate download). */
	credential?: CredentialSetup;
	/** A LINK Mobility Callback credential with this secret, or one n8n fails to read. */
	callbackSecret?: string | Error;
	/** Version 2 unless given. */
	typeVersion?: number;
	/** Defaults to a workflow of its own, so that calls are not repeats of each other. */
	workflowId?: string;
	rawBody?: Buffer;
	withoutIp?: boolean;
	/** Replaces n8n helpers, e.g. a binary store that fails. */
	helpers?: Record<string, unknown>;
	/** Fails n8n's read of the LINK Mobility KYC credential. */
	apiCredentialError?: Error;
	/** Gets the response before the webhook runs, to look at it mid-way. */
	observe?: (response: { ended: boolean }) => void;
}

/** What n8n did while the webhook ran: credential reads and binary stores, and whether LINK had its answer then. */
interface Activity {
	what: string;
	answered: boolean;
}

let workflowCounter = 0;

async function receive(call: Call) {
	const { context, response } = webhookContext({
		parameters: { ...PARAMETER_DEFAULTS, ...call.parameters },
		body: call.body,
		ip: call.ip ?? LINK_IP,
		query: call.query,
		headers: call.headers,
		credential: call.credential,
	});
	const req = context.getRequestObject() as unknown as Record<string, unknown>;
	if (call.rawBody) req.rawBody = call.rawBody;
	if (call.withoutIp) delete req.ip;

	const credentials: INode['credentials'] = {};
	if (call.credential) credentials.linkMobilityKycApi = { id: 'link-api-1', name: 'LINK Mobility' };
	if (call.callbackSecret !== undefined)
		credentials.linkMobilityCallbackApi = { id: 'link-callback-1', name: 'LINK callback' };
	const node: INode = {
		...testNode,
		type: 'n8n-nodes-kyc.linkTrigger',
		typeVersion: call.typeVersion ?? 2,
		credentials,
	};
	const workflowId = call.workflowId ?? `workflow-${++workflowCounter}`;
	const activity: Activity[] = [];
	const logs: string[] = [];
	const fake = context as unknown as Record<string, Record<string, unknown>> & {
		getCredentials: unknown;
	};
	const readCredential = fake.getCredentials as (type: string) => Promise<IDataObject>;
	const storeBinary = fake.helpers.prepareBinaryData as (...args: unknown[]) => Promise<unknown>;
	const log = (level: string) => (message: string) => logs.push(`${level}: ${message}`);
	Object.assign(fake, {
		getNode: () => node,
		getWorkflow: () => ({ id: workflowId, name: 'LINK callbacks', active: true }),
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		// n8n reads a credential from its database on every call (webhook-context.js getCredentials).
		getCredentials: async (type: string) => {
			activity.push({ what: `credential ${type}`, answered: response.ended });
			if (type === 'linkMobilityCallbackApi') {
				if (call.callbackSecret instanceof Error) throw call.callbackSecret;
				if (call.callbackSecret !== undefined) return { secretToken: call.callbackSecret };
			}
			if (type === 'linkMobilityKycApi' && call.apiCredentialError) throw call.apiCredentialError;
			return await readCredential(type);
		},
	});
	fake.helpers = {
		...fake.helpers,
		prepareBinaryData: async (...args: unknown[]) => {
			activity.push({ what: 'binary store', answered: response.ended });
			return await storeBinary(...args);
		},
		...call.helpers,
	};
	call.observe?.(response);
	const result = await trigger.webhook.call(context);
	return { result, response, item: result.workflowData?.[0]?.[0], activity, logs };
}

/** What the sender saw: nothing that came from its request. */
function expectNoEcho(response: { body: unknown }) {
	const text = JSON.stringify(response.body ?? '');
	expect(text).not.toContain(REQUEST_ID);
	expect(text).not.toContain('LUIS');
}

beforeAll(() => nock.disableNetConnect());
afterEach(resetHttp);
afterEach(forgetCallbacks);
afterAll(() => nock.enableNetConnect());

describe('LINK Trigger: description and lifecycle', () => {
	it('one POST webhook, answered on receipt with no data, and two optional credentials', () => {
		const { description } = trigger;
		expect(description.webhooks).toEqual<IWebhookDescription[]>([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'link',
			},
		]);
		expect(description.inputs).toEqual([]);
		expect(description.group).toEqual(['trigger']);
		expect(description.credentials).toEqual([
			{ name: 'linkMobilityCallbackApi', required: false, testedBy: 'linkCallbackSecret' },
			{ name: 'linkMobilityKycApi', required: false },
		]);
		expect(description.usableAsTool).toBeUndefined();
		const allowed = description.properties.find((property) => property.name === 'allowedIps');
		expect(allowed?.default).toBe('217.75.233.139, 213.134.38.77, 88.26.209.16');
	});

	it('checkExists, create and delete succeed: LINK has nothing to register', async () => {
		const hooks = trigger.webhookMethods.default;
		await expect(hooks.checkExists.call({} as never)).resolves.toBe(true);
		await expect(hooks.create.call({} as never)).resolves.toBe(true);
		await expect(hooks.delete.call({} as never)).resolves.toBe(true);
	});
});

describe('LINK Trigger: manual verification callbacks (seed 003)', () => {
	it('APPROVED: the identity record, verdicts and face comparison', async () => {
		const { result, response, item } = await receive({ body: approvedCallback() });
		// The node answers itself, before n8n creates the execution (a database write).
		expect(result.noWebhookResponse).toBe(true);
		expect(response).toEqual({ statusCode: 200, body: undefined, ended: true });
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toHaveLength(1);
		expect(item!.json).toEqual({
			vendor: 'linkMobility',
			documentType: 'id_card',
			documentNumber: '12345678Z',
			givenNames: 'LUIS',
			surnames: 'GARCIA DE TODOS LOS SANTOS',
			fullName: 'LUIS ALBERTO GARCIA DE TODOS LOS SANTOS',
			gender: 'M',
			birthDate: '1963-10-31',
			issueDate: '1963-10-31',
			expiryDate: '1963-10-31',
			nationality: 'ARG',
			issuingCountry: 'ESP',
			address: 'CALLE SIN NOMBRE, 34 23º 17, 28001 MADRID',
			personalNumber: '123435534',
			valid: true,
			match: true,
			matchScore: null,
			isExpired: true,
			age: expect.any(Number),
			documentValid: true,
			documentAuthentic: true,
			faceMatch: true,
			liveness: true,
			sidesMatch: null,
			curpValid: null,
			electorKeyValid: null,
			transactionId: REQUEST_ID,
			vendorDetails: {
				requestId: REQUEST_ID,
				service: 'ManualIDVerification',
				status: 'Completed',
				acceptance: { result: 'ACCEPTED', reasons: [] },
				documentApproval: 'APPROVED',
				authenticity: { result: 'AUTHENTIC', reasons: [] },
				originality: { result: 'ORIGINAL', reasons: [] },
				validity: { result: 'VALID', reasons: [] },
				faceComparison: { acceptance: 'ACCEPTED', reasons: [], match: 'MATCH', liveness: 'LIVE' },
				placeOfBirth: 'BUENOS AIRES',
				issuingAuthority: null,
				stateOrProvinceOfIssuance: 'MAD',
			},
			raw: approvedCallback(),
		});
	});

	it('NOT_APPROVED (with the seed\'s " ACCEPTED"): trimmed values, reasons, valid and match false', async () => {
		const { item } = await receive({ body: notApprovedCallback() });
		expect(item!.json).toMatchObject({
			valid: false,
			match: false,
			documentNumber: '12345678Z',
			vendorDetails: {
				acceptance: { result: 'ACCEPTED', reasons: [] },
				documentApproval: 'NOT_APPROVED',
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
				faceComparison: {
					acceptance: 'ACCEPTED',
					reasons: [],
					match: 'NOT_MATCH',
					liveness: 'NOT_LIVE',
				},
			},
		});
	});

	it('REJECTED: no document data, the rejection reasons, valid and match unknown', async () => {
		const { item } = await receive({ body: rejectedCallback() });
		expect(item!.json).toMatchObject({
			documentNumber: null,
			givenNames: null,
			valid: null,
			match: null,
			transactionId: REQUEST_ID,
			vendorDetails: {
				acceptance: { result: 'REJECTED', reasons: REJECTED_DOCUMENT_REASONS },
				documentApproval: null,
				authenticity: { result: null, reasons: [] },
				faceComparison: {
					acceptance: 'REJECTED',
					reasons: REJECTED_FACE_REASONS,
					match: null,
					liveness: null,
				},
			},
		});
	});

	it('enumerations are compared case-insensitively and trimmed', async () => {
		const body = approvedCallback();
		body.service = ' manualidverification ';
		body.status = 'COMPLETED';
		body.data.documentInfo.findings.documentApproval = ' approved';
		body.data.faceComparisonInfo.findings.faceComparisonApproval = 'match ';
		const { item } = await receive({ body });
		expect(item!.json).toMatchObject({
			valid: true,
			match: true,
			vendorDetails: {
				service: 'ManualIDVerification',
				status: 'Completed',
				documentApproval: 'APPROVED',
			},
		});
	});

	it("the seed's text as printed (a comma missing), sent as text, is read all the same", async () => {
		const { item } = await receive({ body: APPROVED_CALLBACK_SEED_TEXT });
		const fromObject = (await receive({ body: approvedCallback() })).item!.json;
		expect(item!.json).toEqual({ ...fromObject, raw: expect.any(Object) });
	});

	it('a body n8n kept only as raw bytes is parsed', async () => {
		const { item } = await receive({
			body: {},
			rawBody: Buffer.from(JSON.stringify(approvedCallback())),
		});
		expect(item!.json.documentNumber).toBe('12345678Z');
	});

	it('Include Raw Response off leaves raw out', async () => {
		const { item } = await receive({
			body: approvedCallback(),
			parameters: { options: { includeRaw: false } },
		});
		expect(item!.json).not.toHaveProperty('raw');
	});
});

describe('LINK Trigger: certification callbacks', () => {
	it('with a credential: LINK gets its 200 first, then the PDF is downloaded and attached', async () => {
		let answeredBeforeDownload: boolean | undefined;
		let sent: { ended: boolean } | undefined;
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.reply(200, () => {
				answeredBeforeDownload = sent?.ended;
				return { id: REQUEST_ID, content: PDF.toString('base64') };
			});
		const { result, response } = await receive({
			body: certificationCallback(),
			credential: linkCredential(),
			observe: (response) => (sent = response),
		});
		expect(answeredBeforeDownload).toBe(true);
		expect(response).toEqual({ statusCode: 200, body: undefined, ended: true });
		expect(result.noWebhookResponse).toBe(true);
		const item = result.workflowData![0][0];
		expect(item.json).toMatchObject({
			transactionId: REQUEST_ID,
			documentNumber: null,
			valid: null,
			vendorDetails: {
				requestId: REQUEST_ID,
				service: 'Certification',
				status: 'Completed',
				certificateUrl: `${BASE}${CERTIFICATE_PATH}`,
				certificateDownloaded: true,
				fileName: `${REQUEST_ID}.pdf`,
			},
		});
		expect(item.binary!.certificate).toMatchObject({
			mimeType: 'application/pdf',
			fileName: `${REQUEST_ID}.pdf`,
		});
		expect(Buffer.from(item.binary!.certificate.data, 'base64').equals(PDF)).toBe(true);
		expect(requestsTo(CERTIFICATE_PATH)[0].headers.authorization).toBe('Bearer token-1');
	});

	it('the certificate field can be renamed', async () => {
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.reply(200, { id: REQUEST_ID, content: PDF.toString('base64') });
		const { item } = await receive({
			body: certificationCallback(),
			credential: linkCredential(),
			parameters: { options: { binaryPropertyName: 'pdf' } },
		});
		expect(Object.keys(item!.binary!)).toEqual(['pdf']);
	});

	it('a certificate URL on another host: the token does not go there, the PDF is fetched by id', async () => {
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.reply(200, { id: REQUEST_ID, content: PDF.toString('base64') });
		const { item } = await receive({
			body: certificationCallback(`https://collector.example${CERTIFICATE_PATH}`),
			credential: linkCredential(),
		});
		expect(item!.json.vendorDetails).toMatchObject({ certificateDownloaded: true });
		expect(sentRequests.map((request) => request.url.host)).toEqual(['link.test', 'link.test']);
	});

	it('a failed download still starts the workflow, saying why', async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(404);
		const { result, response, item } = await receive({
			body: certificationCallback(),
			credential: linkCredential(),
		});
		expect(response).toMatchObject({ statusCode: 200, ended: true });
		expect(result.noWebhookResponse).toBe(true);
		expect(item!.binary).toBeUndefined();
		expect(item!.json.vendorDetails).toMatchObject({
			certificateDownloaded: false,
			certificateError: `LINK Mobility has no certificate (yet) for request ${REQUEST_ID}`,
		});
	});

	it('without a credential: the URL only, nothing downloaded', async () => {
		const { result, response, item } = await receive({ body: certificationCallback() });
		expect(response).toEqual({ statusCode: 200, body: undefined, ended: true });
		expect(result.noWebhookResponse).toBe(true);
		expect(item!.binary).toBeUndefined();
		expect(item!.json.vendorDetails).toEqual({
			requestId: REQUEST_ID,
			service: 'Certification',
			status: 'Completed',
			certificateUrl: `${BASE}${CERTIFICATE_PATH}`,
			certificateDownloaded: false,
		});
		expect(sentRequests).toHaveLength(0);
	});

	it('"Download Certificate" off: nothing downloaded even with a credential', async () => {
		const { item } = await receive({
			body: certificationCallback(),
			credential: linkCredential(),
			parameters: { options: { downloadCertificate: false } },
		});
		expect(item!.json.vendorDetails).toMatchObject({ certificateDownloaded: false });
		expect(sentRequests).toHaveLength(0);
	});

	it('a certification that ended in Error has no PDF to download', async () => {
		const { item } = await receive({
			body: certificationCallback(undefined, 'Error'),
			credential: linkCredential(),
		});
		expect(item!.json.vendorDetails).toMatchObject({
			status: 'Error',
			certificateDownloaded: false,
		});
		expect(sentRequests).toHaveLength(0);
	});
});

describe('LINK Trigger: filters', () => {
	test.each([
		[{ services: ['Certification'] }, approvedCallback()],
		[{ services: ['ManualIDVerification'] }, certificationCallback()],
		[{ statuses: ['Error'] }, approvedCallback()],
		[{ statuses: ['Completed'] }, { ...approvedCallback(), status: 'Processing' }],
	])('%p: the callback is answered 200 and starts nothing', async (parameters, body) => {
		const { result, response } = await receive({ body, parameters, credential: linkCredential() });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ statusCode: 200, body: undefined, ended: true });
		expect(sentRequests).toHaveLength(0);
	});

	it('a selected service and status pass, whatever their case', async () => {
		const { item } = await receive({
			body: { ...approvedCallback(), service: 'manualIdVerification', status: ' error ' },
			parameters: { services: ['ManualIDVerification'], statuses: ['Error'] },
		});
		expect(item!.json.vendorDetails).toMatchObject({
			service: 'ManualIDVerification',
			status: 'Error',
		});
	});

	it('nothing selected means everything', async () => {
		const { item } = await receive({
			body: approvedCallback(),
			parameters: { services: [], statuses: [] },
		});
		expect(item).toBeDefined();
	});
});

describe('LINK Trigger: sender IP allow-list', () => {
	test.each([
		['217.75.233.139'],
		['213.134.38.77'],
		['88.26.209.16'],
		['::ffff:88.26.209.16'],
		['::FFFF:217.75.233.139'],
	])("%s is let in (LINK's addresses, also IPv4-mapped)", async (ip) => {
		const { item } = await receive({ body: approvedCallback(), ip });
		expect(item).toBeDefined();
	});

	test.each([['10.0.0.1'], ['::ffff:10.0.0.1'], ['2001:db8::1'], ['217.75.233.13']])(
		'%s gets 403 and starts nothing',
		async (ip) => {
			const { result, response } = await receive({
				body: approvedCallback(),
				ip,
				credential: linkCredential(),
			});
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response).toEqual({ statusCode: 403, body: { error: 'Forbidden' }, ended: true });
			expectNoEcho(response);
			expect(sentRequests).toHaveLength(0);
		},
	);

	it('the list is editable: IPv6 and other separators', async () => {
		const parameters = { allowedIps: '2001:DB8::1;192.0.2.7\n198.51.100.1' };
		expect(
			(await receive({ body: approvedCallback(), ip: '2001:db8::1', parameters })).item,
		).toBeDefined();
		expect(
			(await receive({ body: approvedCallback(), ip: '198.51.100.1', parameters })).item,
		).toBeDefined();
		expect(
			(await receive({ body: approvedCallback(), ip: LINK_IP, parameters })).response.statusCode,
		).toBe(403);
	});

	it('an empty list lets anyone in', async () => {
		const { item } = await receive({
			body: approvedCallback(),
			ip: '203.0.113.9',
			parameters: { allowedIps: '  ' },
		});
		expect(item).toBeDefined();
	});

	it('without req.ip, the socket address is used', async () => {
		expect(
			(await receive({ body: approvedCallback(), ip: '::ffff:213.134.38.77', withoutIp: true }))
				.item,
		).toBeDefined();
		expect(
			(await receive({ body: approvedCallback(), ip: '10.1.1.1', withoutIp: true })).response
				.statusCode,
		).toBe(403);
	});

	it('X-Forwarded-For is ignored unless trusted', async () => {
		const { response } = await receive({
			body: approvedCallback(),
			ip: '10.0.0.2',
			headers: { 'x-forwarded-for': LINK_IP },
		});
		expect(response.statusCode).toBe(403);
	});

	it('trusted X-Forwarded-For: the last address (the one the proxy added) is checked', async () => {
		const parameters = { options: { trustForwardedFor: true } };
		const allowed = await receive({
			body: approvedCallback(),
			ip: '10.0.0.2',
			headers: { 'x-forwarded-for': `203.0.113.5, ${LINK_IP}` },
			parameters,
		});
		expect(allowed.item).toBeDefined();
		// A forged first entry does not help: the proxy appended the real sender.
		const forged = await receive({
			body: approvedCallback(),
			ip: '10.0.0.2',
			headers: { 'x-forwarded-for': `${LINK_IP}, 203.0.113.5` },
			parameters,
		});
		expect(forged.response.statusCode).toBe(403);
		// No header: the connection's address.
		expect(
			(await receive({ body: approvedCallback(), ip: LINK_IP, parameters })).item,
		).toBeDefined();
	});

	test.each([
		[' ::FFFF:1.2.3.4 ', '1.2.3.4'],
		['[2001:DB8::1]', '2001:db8::1'],
		['::ffff:abcd:1', '::ffff:abcd:1'],
	])('normalizeIp(%p) = %p', (input, expected) => {
		expect(normalizeIp(input)).toBe(expected);
	});

	it('senderIp reads an X-Forwarded-For given as several headers', () => {
		expect(
			senderIp({ ip: '10.0.0.2', headers: { 'x-forwarded-for': ['1.1.1.1', ' 2.2.2.2 '] } }, true),
		).toBe('2.2.2.2');
		expect(senderIp({ headers: {} }, false)).toBeUndefined();
	});
});

describe('LINK Trigger version 1: the old Secret Token parameter keeps working', () => {
	const parameters = { secretToken: 'k7s-Secret-42' };
	const typeVersion = 1;

	it('the right token lets the callback in', async () => {
		const { item } = await receive({
			body: approvedCallback(),
			parameters,
			typeVersion,
			query: { token: 'k7s-Secret-42' },
		});
		expect(item).toBeDefined();
	});

	test.each([
		['missing', {}],
		['wrong', { token: 'k7s-Secret-43' }],
		['shorter', { token: 'k7s' }],
		['empty', { token: '' }],
		['given twice', { token: ['k7s-Secret-42', 'k7s-Secret-42'] }],
	])('%s: 403, no execution, no echo', async (_case, query) => {
		const { result, response } = await receive({
			body: approvedCallback(),
			parameters,
			typeVersion,
			query: query as IDataObject,
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ statusCode: 403, body: { error: 'Forbidden' }, ended: true });
		expectNoEcho(response);
	});

	it('a token in the URL is not needed when none is set', async () => {
		const { item } = await receive({
			body: approvedCallback(),
			typeVersion,
			query: { token: 'anything' },
		});
		expect(item).toBeDefined();
	});

	it('the comparison itself', () => {
		expect(tokenMatches('abc', 'abc')).toBe(true);
		expect(tokenMatches('abc', 'abd')).toBe(false);
		expect(tokenMatches('abc', 'abcd')).toBe(false);
		expect(tokenMatches('abc', undefined)).toBe(false);
		expect(tokenMatches('abc', ['abc'])).toBe(false);
	});
});

describe('LINK Trigger: malformed callbacks get 400 and start nothing', () => {
	test.each([
		['text that is not JSON', 'certificate ready'],
		['a JSON array', [approvedCallback()]],
		['a JSON string', '"hello"'],
		['no body', undefined],
		['an empty object', {}],
		['no id', { service: 'Certification', status: 'Completed', data: {} }],
		['a blank id', { id: '  ', service: 'Certification', status: 'Completed' }],
		['an id that is an object', { id: { x: 1 }, service: 'Certification', status: 'Completed' }],
		['no service', { id: REQUEST_ID, status: 'Completed', data: {} }],
	])('%s', async (_case, body) => {
		const { result, response } = await receive({ body });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(400);
		expect(response.ended).toBe(true);
		expectNoEcho(response);
	});

	it('the IP check comes first: a stranger gets 403 whatever it sends', async () => {
		const { response } = await receive({ body: 'junk', ip: '10.9.9.9' });
		expect(response.statusCode).toBe(403);
	});
});

describe('LINK Trigger version 2: the secret lives in a LINK Mobility Callback credential (issue 8)', () => {
	const withSecret = (query: IDataObject, extra: Partial<Call> = {}) =>
		receive({ body: approvedCallback(), callbackSecret: CALLBACK_PASS_PHRASE, query, ...extra });

	it('version 2 is the default and has no Secret Token parameter; version 1 still shows it', () => {
		const { description } = trigger;
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		const parameter = description.properties.find((property) => property.name === 'secretToken');
		expect(parameter?.displayOptions).toEqual({ show: { '@version': [1] } });
	});

	it('the right token starts the workflow; the secret is in no item and no log line', async () => {
		const { item, response, logs } = await withSecret({ token: CALLBACK_PASS_PHRASE });
		expect(response).toMatchObject({ statusCode: 200, ended: true });
		expect(item!.json.transactionId).toBe(REQUEST_ID);
		expect(JSON.stringify(item)).not.toContain(CALLBACK_PASS_PHRASE);
		expect(logs.join('\n')).not.toContain(CALLBACK_PASS_PHRASE);
	});

	it('no token at all: 403 at once, without reading the credential', async () => {
		for (const query of [
			{},
			{ token: '' },
			{ token: [CALLBACK_PASS_PHRASE, CALLBACK_PASS_PHRASE] },
		]) {
			const { result, response, activity } = await withSecret(query as IDataObject);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response).toEqual({ statusCode: 403, body: { error: 'Forbidden' }, ended: true });
			expect(activity).toEqual([]);
		}
	});

	it("a wrong token: LINK's answer is already out (an empty 200), the workflow does not start, a warning without the secret", async () => {
		tokenEndpoint();
		const { result, response, activity, logs } = await withSecret(
			{ token: ['k7s', 'Secret', '43', 'from', 'the', 'credential'].join('-') },
			{ body: certificationCallback(), credential: linkCredential() },
		);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ statusCode: 200, body: undefined, ended: true });
		expectNoEcho(response);
		// Only the secret was read; nothing downloaded for an unauthenticated callback.
		expect(activity.map((entry) => entry.what)).toEqual(['credential linkMobilityCallbackApi']);
		expect(sentRequests).toHaveLength(0);
		expect(logs).toContain(
			`warn: LINK Trigger refused the callback for request ${REQUEST_ID}: the "token" in its URL is wrong`,
		);
		expect(logs.join('\n')).not.toContain(CALLBACK_PASS_PHRASE);
	});

	it('the credential wins over an old Secret Token parameter left in the node', async () => {
		const parameters = { secretToken: 'old-parameter-secret' };
		expect(
			(await withSecret({ token: CALLBACK_PASS_PHRASE }, { parameters, typeVersion: 1 })).item,
		).toBeDefined();
		const old = await withSecret({ token: 'old-parameter-secret' }, { parameters, typeVersion: 1 });
		expect(old.item).toBeUndefined();
	});

	it("a credential n8n cannot read: nothing starts, n8n's log says why and names the request", async () => {
		const failure = new Error('Query read timeout');
		const { result, response, logs } = await withSecret(
			{ token: CALLBACK_PASS_PHRASE },
			{ callbackSecret: failure },
		);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ statusCode: 200, ended: true });
		expect(logs).toContain(
			`error: LINK Trigger could not read its LINK Mobility Callback credential, so the callback for request ${REQUEST_ID} was not processed (n8n: Query read timeout)`,
		);
	});

	it('a credential with an empty secret lets nothing in', async () => {
		const { result } = await withSecret({ token: 'anything' }, { callbackSecret: '' });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	test.each([
		['short-secret', 'Error', 'The Secret Token has 12 characters: use at least 16'],
		['has+plus/and=signs!', 'Error', expect.stringContaining('letters, digits and - . _ ~')],
		[' padded-secret-token-1 ', 'Error', expect.stringContaining('letters, digits')],
		[CALLBACK_PASS_PHRASE, 'OK', expect.stringContaining('?token=')],
	])('the credential test of %p: %s', async (secret, status, message) => {
		expect(checkCallbackSecret(secret)).toEqual({ status, message });
		const tested = await trigger.methods.credentialTest.linkCallbackSecret.call({} as never, {
			id: '1',
			name: 'LINK callback',
			type: 'linkMobilityCallbackApi',
			data: { secretToken: secret },
		});
		expect(tested.status).toBe(status);
	});
});

describe('LINK Trigger: LINK is answered before any database read (issue 12 b)', () => {
	it('Certification with both credentials: every credential read and the binary store come after the answer', async () => {
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.reply(200, { id: REQUEST_ID, content: PDF.toString('base64') });
		const { item, activity } = await receive({
			body: certificationCallback(),
			credential: linkCredential(),
			callbackSecret: CALLBACK_PASS_PHRASE,
			query: { token: CALLBACK_PASS_PHRASE },
		});
		expect(item!.json.vendorDetails).toMatchObject({ certificateDownloaded: true });
		expect(activity.map((entry) => entry.what)).toEqual([
			'credential linkMobilityCallbackApi',
			'credential linkMobilityKycApi',
			'binary store',
		]);
		expect(activity.every((entry) => entry.answered)).toBe(true);
	});

	test.each([
		['a manual review', approvedCallback()],
		['a certification without download', certificationCallback()],
	])(
		'%s: the node answers itself, so n8n does not answer only after creating the execution',
		async (_case, body) => {
			const { result, response, item } = await receive({ body });
			expect(item).toBeDefined();
			expect(result.noWebhookResponse).toBe(true);
			expect(response).toEqual({ statusCode: 200, body: undefined, ended: true });
		},
	);
});

describe('LINK Trigger: repeated callbacks start one execution (issue 12 c)', () => {
	const workflowId = 'workflow-repeats';

	it('the same (id, service, status) again: 200, no second execution, no second download', async () => {
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.once()
			.reply(200, { id: REQUEST_ID, content: PDF.toString('base64') });
		const first = await receive({
			body: certificationCallback(),
			credential: linkCredential(),
			workflowId,
		});
		expect(first.item!.binary!.certificate).toBeDefined();
		const again = await receive({
			body: certificationCallback(),
			credential: linkCredential(),
			workflowId,
		});
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.response).toEqual({ statusCode: 200, body: undefined, ended: true });
		expect(again.activity).toEqual([]);
		expect(requestsTo(CERTIFICATE_PATH)).toHaveLength(1);
		expect(again.logs).toContain(
			`info: LINK Trigger dropped a repeated callback (Certification Completed) for request ${REQUEST_ID}`,
		);
	});

	it('repeats arriving together: one execution', async () => {
		const results = await Promise.all(
			[1, 2, 3].map(() => receive({ body: approvedCallback(), workflowId })),
		);
		expect(results.filter((result) => result.item !== undefined)).toHaveLength(1);
		expect(
			results.every((result) => result.response.statusCode === 200 && result.response.ended),
		).toBe(true);
	});

	it('another status, service or request, or another trigger, is not a repeat', async () => {
		expect((await receive({ body: approvedCallback(), workflowId })).item).toBeDefined();
		expect(
			(await receive({ body: { ...approvedCallback(), status: 'Error' }, workflowId })).item,
		).toBeDefined();
		expect(
			(await receive({ body: { ...approvedCallback(), id: 'another-request' }, workflowId })).item,
		).toBeDefined();
		expect((await receive({ body: certificationCallback(), workflowId })).item).toBeDefined();
		expect(
			(await receive({ body: approvedCallback(), workflowId: 'another-workflow' })).item,
		).toBeDefined();
	});

	it('"Repeat Window" 0: every callback starts the workflow', async () => {
		const parameters = { options: { repeatWindow: 0 } };
		expect(
			(await receive({ body: approvedCallback(), workflowId, parameters })).item,
		).toBeDefined();
		expect(
			(await receive({ body: approvedCallback(), workflowId, parameters })).item,
		).toBeDefined();
	});

	it("a callback with a wrong token is not remembered: LINK's genuine one still starts the workflow", async () => {
		const forged = await receive({
			body: approvedCallback(),
			workflowId,
			callbackSecret: CALLBACK_PASS_PHRASE,
			query: { token: ['forged', 'token', '000000'].join('-') },
		});
		expect(forged.item).toBeUndefined();
		const genuine = await receive({
			body: approvedCallback(),
			workflowId,
			callbackSecret: CALLBACK_PASS_PHRASE,
			query: { token: CALLBACK_PASS_PHRASE },
		});
		expect(genuine.item).toBeDefined();
	});

	it('the window: remembered until it has passed', () => {
		expect(rememberCallback('key', 1000, 0)).toBe(true);
		expect(rememberCallback('key', 1000, 999)).toBe(false);
		expect(rememberCallback('key', 1000, 1000)).toBe(true);
		expect(rememberCallback('other', 1000, 1000)).toBe(true);
	});
});

describe('LINK Trigger: certificateDownloaded only with the PDF, n8n failures not blamed on LINK (issue 12)', () => {
	const certification = (extra: Partial<Call>) =>
		receive({ body: certificationCallback(), credential: linkCredential(), ...extra });

	it('n8n fails to store the PDF (database time-out): flag false, no file name, the error says n8n', async () => {
		tokenEndpoint();
		nock(BASE)
			.get(CERTIFICATE_PATH)
			.reply(200, { id: REQUEST_ID, content: PDF.toString('base64') });
		const { item } = await certification({
			helpers: {
				prepareBinaryData: async () => {
					throw new Error('Query read timeout');
				},
			},
		});
		expect(item!.binary).toBeUndefined();
		expect(item!.json.vendorDetails).toMatchObject({
			certificateDownloaded: false,
			certificateError:
				'LINK Mobility delivered the certificate, but n8n could not store it: Query read timeout',
		});
		expect(item!.json.vendorDetails).not.toHaveProperty('fileName');
	});

	it('n8n\'s request helper fails inside n8n (its credential read times out): not "LINK Mobility request failed"', async () => {
		const { item } = await certification({
			helpers: {
				httpRequestWithAuthentication: async () => {
					// What n8n-core does with any failure inside the helper: NodeApiError(node, error).
					throw new NodeApiError(
						testNode,
						Object.assign(new Error('Query read timeout'), { name: 'QueryFailedError' }) as never,
					);
				},
			},
		});
		const error = String((item!.json.vendorDetails as IDataObject).certificateError);
		expect(error).toBe('n8n could not complete the call to LINK Mobility: Query read timeout');
		expect(item!.json.vendorDetails).toMatchObject({ certificateDownloaded: false });
	});

	it('n8n cannot read the LINK Mobility KYC credential: the error says so', async () => {
		const { item } = await certification({ apiCredentialError: new Error('Query read timeout') });
		expect(item!.json.vendorDetails).toMatchObject({
			certificateDownloaded: false,
			certificateError:
				'n8n could not read the LINK Mobility KYC credential, so the certificate was not downloaded: Query read timeout',
		});
		expect(sentRequests).toHaveLength(0);
	});

	it("LINK's own error answer is still LINK's, with its code", async () => {
		tokenEndpoint();
		nock(BASE).get(CERTIFICATE_PATH).reply(500, { code: '001', message: 'Unknown error' });
		const { item } = await certification({});
		expect(item!.json.vendorDetails).toMatchObject({
			certificateDownloaded: false,
			certificateError: 'LINK Mobility could not process the request (code 001): Unknown error',
		});
	});
});
