/**
 * A stand-in for n8n's execution context in unit tests. It emulates what the nodes rely on,
 * as n8n-core does it: the credential's preAuthentication when its token is empty, the
 * `authenticate` header, one refresh and retry on a 401 (re-sending a Buffer body), and HTTP
 * errors wrapped in NodeApiError. Requests really go out (through fetch) so nock sees them.
 * The real n8n is exercised by the end-to-end tests in test/e2e.
 */
import { NodeApiError } from 'n8n-workflow';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	IWebhookFunctions,
} from 'n8n-workflow';

export type ParameterValue = unknown | ((itemIndex: number) => unknown);

export interface CredentialSetup {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
}

export interface RunSetup {
	items: INodeExecutionData[];
	parameters: Record<string, ParameterValue>;
	credential?: CredentialSetup;
	continueOnFail?: boolean;
	signal?: AbortSignal;
	/** Receives what the node logs through `this.logger` (n8n's Logger: debug, info, warn, error). */
	logger?: Record<'debug' | 'info' | 'warn' | 'error', (message: string, meta?: object) => void>;
}

export const testNode: INode = {
	id: 'node-under-test',
	name: 'Node Under Test',
	type: 'n8n-nodes-kyc.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface SentRequest {
	method: string;
	url: URL;
	headers: Record<string, string>;
	body?: Buffer;
}

/** Every request the emulated helpers sent, in order (tests clear it with `sentRequests.length = 0`). */
export const sentRequests: SentRequest[] = [];

export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries(options.qs ?? {}))
		url.searchParams.set(key, String(value));
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {}))
		headers[key.toLowerCase()] = String(value);
	let body: BodyInit | undefined;
	const raw = options.body as unknown;
	if (Buffer.isBuffer(raw) || typeof raw === 'string' || raw instanceof URLSearchParams) {
		body = raw as BodyInit;
	} else if (raw !== undefined && raw !== null && Object.keys(raw as object).length > 0) {
		body = JSON.stringify(raw);
		headers['content-type'] ??= 'application/json';
	}
	if (options.json) headers.accept ??= 'application/json';
	// a copy of the body, as the vendor received it: the package frees its own once answered
	sentRequests.push({
		method: options.method ?? 'GET',
		url,
		headers,
		body: body === undefined ? undefined : Buffer.from(Buffer.isBuffer(body) ? body : String(body)),
	});
	// As axios does in n8n: a time-out is ECONNABORTED, a failed connection keeps its code.
	const timeout = options.timeout ? AbortSignal.timeout(options.timeout) : undefined;
	const signals = [timeout, options.abortSignal as AbortSignal | undefined].filter(
		(s): s is AbortSignal => s !== undefined,
	);
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body,
			signal: signals.length ? AbortSignal.any(signals) : undefined,
			redirect: options.disableFollowRedirect ? 'manual' : 'follow',
		});
	} catch (error) {
		if (timeout?.aborted) {
			throw Object.assign(new Error(`timeout of ${options.timeout}ms exceeded`), {
				name: 'AxiosError',
				code: 'ECONNABORTED',
			});
		}
		const cause = (error as { cause?: { code?: string; message?: string } }).cause;
		const code = cause?.code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : cause?.code;
		throw Object.assign(new Error(cause?.message ?? String(error)), { name: 'AxiosError', code });
	}
	const bytes = Buffer.from(await response.arrayBuffer());
	let data: unknown = bytes;
	if (options.encoding !== 'arraybuffer') {
		const text = bytes.toString('utf8');
		try {
			data = JSON.parse(text);
		} catch {
			data = text;
		}
	}
	const responseHeaders = Object.fromEntries([
		...(response.headers as unknown as Iterable<[string, string]>),
	]);
	if (response.status >= 300 && !options.ignoreHttpStatusErrors) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
			name: 'AxiosError',
			isAxiosError: true,
			response: { status: response.status, data, headers: responseHeaders },
		});
	}
	return options.returnFullResponse
		? { statusCode: response.status, headers: responseHeaders, body: data }
		: data;
}

/** Emulates n8n-core's httpRequestWithAuthentication for an IAuthenticateGeneric credential. */
export function authenticatedRequester(
	credential: CredentialSetup | undefined,
	node: INode = testNode,
) {
	return async function (
		this:
			| { getCredentials?: (type: string) => Promise<ICredentialDataDecryptedObject> }
			| undefined,
		credentialType: string,
		options: IHttpRequestOptions,
		additional?: { credentialsDecrypted?: { data?: ICredentialDataDecryptedObject } },
	): Promise<unknown> {
		if (!credential || credential.type.name !== credentialType) {
			throw new Error(`No credential of type ${credentialType} in this test`);
		}
		const { type } = credential;
		// As n8n does: the decrypted data the node handed over, else the credential read again.
		const data =
			additional?.credentialsDecrypted?.data ??
			(this?.getCredentials ? await this.getCredentials(credentialType) : credential.data);
		const expirable = type.properties.find((property) => property.typeOptions?.expirable)?.name;
		const refresh = async () => {
			if (!type.preAuthentication) return;
			const extra = await type.preAuthentication.call({ helpers: { httpRequest } } as never, data);
			Object.assign(data, extra);
			// n8n stores the new token with the credential.
			Object.assign(credential.data, extra);
		};
		const send = async () => {
			// n8n calls the credentials' function-form authenticate with a copy of the request options.
			if (typeof type.authenticate !== 'function') return await httpRequest(options);
			return await httpRequest(
				await type.authenticate(data, { ...options, headers: { ...(options.headers ?? {}) } }),
			);
		};
		try {
			if (expirable && !data[expirable]) await refresh();
			return await send();
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			if (status === 401 && expirable) {
				try {
					await refresh();
					return await send();
				} catch (retryError) {
					throw new NodeApiError(node, retryError as never);
				}
			}
			throw new NodeApiError(node, error as never);
		}
	};
}

export function binaryItem(
	properties: Record<string, Buffer>,
	json: IDataObject = {},
): INodeExecutionData {
	const binary: Record<string, IBinaryData> = {};
	for (const [name, data] of Object.entries(properties)) {
		binary[name] = {
			data: data.toString('base64'),
			mimeType: 'image/jpeg',
			fileName: `${name}.jpg`,
		};
	}
	return { json, binary };
}

/** n8n's filesystem (and S3) mode: the bytes are kept apart from the item, under an id. */
const binaryStore = new Map<string, { data: Buffer; fileSize: number }>();

/**
 * An item whose binary data is in the emulated store, as in n8n's filesystem mode (or `mode`,
 * the prefix of n8n's binary data ids). `recordedSize` is the size its metadata claims.
 */
export function storedBinaryItem(
	properties: Record<string, Buffer>,
	{ recordedSize, mode = 'filesystem-v2' }: { recordedSize?: number; mode?: string } = {},
): INodeExecutionData {
	const binary: Record<string, IBinaryData> = {};
	for (const [name, data] of Object.entries(properties)) {
		const id = `${mode}:workflows/1/executions/1/binary_data/${binaryStore.size + 1}`;
		binaryStore.set(id, { data, fileSize: recordedSize ?? data.length });
		// n8n 2.x records the size on the item too (1.x only in the store)
		binary[name] = {
			id,
			data: mode,
			mimeType: 'image/jpeg',
			fileName: `${name}.jpg`,
			bytes: data.length,
		};
	}
	return { json: {}, binary };
}

function storedBinary(id: string) {
	const stored = binaryStore.get(id);
	if (!stored) throw new Error(`No binary data ${id}`);
	return stored;
}

/** The binary store's reads: every chunk handed out, by size (tests clear it). */
export const binaryReads: number[] = [];
/** The chunks getBinaryStream gave, as the node left them. */
export const streamedChunks: Buffer[] = [];

function parameterGetter(parameters: Record<string, ParameterValue>) {
	return (name: string, itemIndex: number, fallback?: unknown) => {
		const path = name.split('.');
		let value: unknown = parameters;
		for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
		if (typeof value === 'function') value = (value as (i: number) => unknown)(itemIndex);
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		return value;
	};
}

/** The context shared by execute and webhook functions. */
export function baseContext(setup: RunSetup) {
	return {
		getNode: () => testNode,
		getInputData: () => setup.items,
		getNodeParameter: parameterGetter(setup.parameters),
		continueOnFail: () => setup.continueOnFail ?? false,
		getExecutionCancelSignal: () => setup.signal,
		getExecutionId: () => 'test-execution-1',
		getCredentials: async (type: string) => {
			if (!setup.credential || setup.credential.type.name !== type)
				throw new Error(`No credential ${type}`);
			return setup.credential.data;
		},
		logger: setup.logger ?? { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			httpRequest,
			httpRequestWithAuthentication: authenticatedRequester(setup.credential),
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				const binary = setup.items[itemIndex]?.binary?.[property];
				if (!binary) throw new Error(`No binary property ${property}`);
				if (!binary.id) return Buffer.from(binary.data, 'base64');
				const { data } = storedBinary(binary.id);
				binaryReads.push(data.length);
				return data;
			},
			getBinaryMetadata: async (id: string) => ({ fileSize: storedBinary(id).fileSize }),
			// a stream of chunks, as n8n's store gives (fs.createReadStream's highWaterMark)
			getBinaryStream: async (id: string, chunkSize = 64 * 1024) => {
				const { data } = storedBinary(id);
				return (async function* () {
					for (let start = 0; start < data.length; start += chunkSize) {
						// memory of its own, as fs.createReadStream's chunks have
						const chunk = Buffer.allocUnsafeSlow(Math.min(chunkSize, data.length - start));
						data.copy(chunk, 0, start);
						binaryReads.push(chunk.length);
						streamedChunks.push(chunk);
						yield chunk;
					}
				})();
			},
			assertBinaryData: (itemIndex: number, property: string) => {
				const binary = setup.items[itemIndex]?.binary?.[property];
				if (!binary) throw new Error(`No binary property ${property}`);
				return binary;
			},
			prepareBinaryData: async (
				data: Buffer,
				fileName?: string,
				mimeType?: string,
			): Promise<IBinaryData> => ({
				data: data.toString('base64'),
				fileName,
				mimeType: mimeType ?? 'application/octet-stream',
				fileSize: `${data.length} B`,
			}),
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	};
}

/** Runs a node's execute() the way n8n would, and returns its first output. */
export async function runNode(nodeType: INodeType, setup: RunSetup): Promise<INodeExecutionData[]> {
	const context = baseContext(setup);
	const output = await nodeType.execute!.call(context as never);
	return (output as INodeExecutionData[][])[0];
}

/** Builds IWebhookFunctions for a trigger's webhook() from a request description. */
export function webhookContext(
	setup: Omit<RunSetup, 'items'> & {
		body?: unknown;
		headers?: Record<string, string>;
		query?: IDataObject;
		ip?: string;
		params?: IDataObject;
		rawBody?: Buffer;
	},
) {
	const response = { statusCode: 200, body: undefined as unknown, ended: false };
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		send(body?: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end(body?: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		setHeader() {
			return res;
		},
	};
	const req = {
		body: setup.body,
		headers: setup.headers ?? {},
		query: setup.query ?? {},
		params: setup.params ?? {},
		ip: setup.ip ?? '127.0.0.1',
		rawBody: setup.rawBody,
		socket: { remoteAddress: setup.ip ?? '127.0.0.1' },
	};
	const context = {
		...baseContext({ ...setup, items: [] }),
		// Webhook functions take (name, fallback): there are no items.
		getNodeParameter: (name: string, fallback?: unknown) =>
			parameterGetter(setup.parameters)(name, 0, fallback),
		getRequestObject: () => req,
		getResponseObject: () => res,
		getBodyData: () => setup.body as IDataObject,
		getHeaderData: () => setup.headers ?? {},
		getQueryData: () => setup.query ?? {},
		getParamsData: () => setup.params ?? {},
		getWebhookName: () => 'default',
		getNodeWebhookUrl: () => 'http://127.0.0.1:5678/webhook/test/link',
	};
	return { context: context as unknown as IWebhookFunctions, response };
}
