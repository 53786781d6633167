import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { readParameter } from './parameters';
import { freeMemory } from './requestBody';

export type ImageFormat = 'jpeg' | 'png';

export interface ImageFile {
	fileName: string;
	mimeType: string;
	/** Size in bytes. */
	size: number;
	/**
	 * The bytes, chunk by chunk, as the request body is built (see `copyImage`). A large image in
	 * filesystem mode is read from n8n's store only then, so that it is in memory once: in its body.
	 * A chunk is the reader's until it asks for the next one, when its memory may be freed.
	 */
	read: () => AsyncIterable<Buffer>;
}

export interface ImageRules {
	/** What the vendor accepts. */
	formats: ImageFormat[];
	/** The vendor's size limit in bytes, if it has one. */
	maxBytes?: number;
	/** The node option that sets `maxBytes`, when the limit is the node's rather than the vendor's. */
	maxBytesOption?: string;
	vendorName: string;
}

const SIGNATURES: Array<{ name: string; format?: ImageFormat; bytes: number[]; offset?: number }> =
	[
		{ name: 'JPEG', format: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
		{ name: 'PNG', format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
		{ name: 'PDF', bytes: [0x25, 0x50, 0x44, 0x46] },
		{ name: 'GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
		{ name: 'WebP', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
		{ name: 'HEIC', bytes: [0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69], offset: 4 },
		{ name: 'TIFF', bytes: [0x49, 0x49, 0x2a, 0x00] },
		{ name: 'BMP', bytes: [0x42, 0x4d] },
	];

/** Detects the file type by its first bytes: a file name or MIME type can lie, the bytes cannot. */
export function detectFileType(data: Buffer): { name: string; format?: ImageFormat } | undefined {
	return SIGNATURES.find(({ bytes, offset = 0 }) =>
		bytes.every((byte, index) => data[offset + index] === byte),
	);
}

/** Chunks of n8n's binary store: 48 KB, a multiple of 3 bytes, for base64 in pieces. */
const CHUNK_BYTES = 3 * 16 * 1024;
const CHUNK_BASE64 = (CHUNK_BYTES / 3) * 4;

type StoredImage = Pick<ImageFile, 'size' | 'read'> & { head: Buffer };

/**
 * Up to this size an image is read whole, as n8n's own nodes do: faster than two streams, and
 * two copies of it per call in flight stay small. A larger one is read in chunks.
 */
const WHOLE_READ_MAX_BYTES = 1024 * 1024;

/**
 * Finds an image's first bytes and size, reading a large one only when its body is built.
 * - Memory mode (the item holds base64): decoded a chunk at a time.
 * - Filesystem mode: a large image's size on record and first bytes, then the file in chunks.
 * - Database and S3 modes, and small images: read whole. (The database and S3 streams would
 *   fetch the whole object for the first bytes and again for the rest.)
 */
async function storedImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	meta: IBinaryData,
): Promise<StoredImage> {
	const { helpers } = ctx;
	const id = meta.id;
	if (!id) {
		const base64 = meta.data;
		return {
			head: Buffer.from(base64.slice(0, 24), 'base64'),
			size: Buffer.byteLength(base64, 'base64'),
			read: async function* () {
				for (let start = 0; start < base64.length; start += CHUNK_BASE64) {
					yield Buffer.from(base64.slice(start, start + CHUNK_BASE64), 'base64');
				}
			},
		};
	}
	// n8n's ids are "<mode>:<file id>", filesystem mode's "filesystem" or "filesystem-v2". 2.x
	// records the size on the item, 1.x only in the store; the store's figure is the exact one.
	const mayBeLarge =
		id.startsWith('filesystem') &&
		!(typeof meta.bytes === 'number' && meta.bytes <= WHOLE_READ_MAX_BYTES);
	const fileSize = mayBeLarge ? (await helpers.getBinaryMetadata(id)).fileSize : 0;
	if (!Number.isSafeInteger(fileSize) || fileSize <= WHOLE_READ_MAX_BYTES) {
		const data = await helpers.getBinaryDataBuffer(itemIndex, property);
		return {
			head: data,
			size: data.length,
			read: async function* () {
				yield data;
			},
		};
	}
	let head: Buffer = Buffer.alloc(0);
	for await (const chunk of await helpers.getBinaryStream(id, 16)) {
		head = chunk as Buffer;
		break;
	}
	const changed = () =>
		new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex + 1}: the file in "${property}" changed while it was read`,
			{
				itemIndex,
				description: `n8n's binary data store gave another size than the ${fileSize} bytes on record.`,
			},
		);
	return {
		head,
		size: fileSize,
		// exactly `size` bytes, or an error: a body of the wrong length is never sent
		read: async function* () {
			let total = 0;
			for await (const chunk of await helpers.getBinaryStream(id, CHUNK_BYTES)) {
				total += (chunk as Buffer).length;
				if (total > fileSize) throw changed();
				yield chunk as Buffer;
				// copied into the body by now: 48 KB that would wait for V8's collector with the
				// others of the batch (60 to 80 MB of them at Concurrency 5 in the benchmark)
				freeMemory(chunk as Buffer);
			}
			if (total !== fileSize) throw changed();
		},
	};
}

/** Copies an image into a request body at `offset`; returns the offset after it. */
export async function copyImage(image: ImageFile, body: Buffer, offset: number): Promise<number> {
	let end = offset;
	for await (const chunk of image.read()) end += chunk.copy(body, end);
	return end;
}

const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG' };
const MIME_TYPES: Record<ImageFormat, string> = { jpeg: 'image/jpeg', png: 'image/png' };

function megabytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

/**
 * Reads an image from an item's binary property and checks it against the vendor's rules, so
 * that a wrong input fails here, naming the item and the field, before anything is sent.
 *
 * @param fieldLabel the parameter's display name, e.g. "Front Image Binary Field"
 */
export async function readImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	fieldLabel: string,
	rules: ImageRules,
): Promise<ImageFile> {
	const item = `Item ${itemIndex + 1}`;
	const property = propertyName.trim();
	if (property === '') {
		throw new NodeOperationError(ctx.getNode(), `${item}: "${fieldLabel}" is empty`, {
			itemIndex,
			description:
				'Enter the name of the binary property that holds the image, for example "data".',
		});
	}
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const meta = binary[property];
	if (!meta) {
		const available = Object.keys(binary);
		throw new NodeOperationError(
			ctx.getNode(),
			`${item}: no image in binary property "${property}" ("${fieldLabel}")`,
			{
				itemIndex,
				description: available.length
					? `This item's binary properties are: ${available.join(', ')}. Set "${fieldLabel}" to one of them.`
					: 'This item has no binary data at all. Add a node before this one that reads the file (for example a Form Trigger, a Webhook with binary data, or HTTP Request).',
			},
		);
	}
	const { head, size, read } = await storedImage(ctx, itemIndex, property, meta);
	const type = detectFileType(head);
	if (!type?.format || !rules.formats.includes(type.format)) {
		const accepted = rules.formats.map((format) => FORMAT_NAMES[format]).join(' or ');
		const found = type ? `a ${type.name} file` : size === 0 ? 'empty' : 'not an image';
		throw new NodeOperationError(
			ctx.getNode(),
			`${item}: the file in "${property}" ("${fieldLabel}") is ${found}; ${rules.vendorName} accepts ${accepted} images only`,
			{
				itemIndex,
				description:
					'Convert the image before this node, or check that the right binary property is used.',
			},
		);
	}
	if (rules.maxBytes !== undefined && size > rules.maxBytes) {
		const option = rules.maxBytesOption;
		const limit = option
			? `the node's limit ("${option}") is`
			: `${rules.vendorName} accepts at most`;
		throw new NodeOperationError(
			ctx.getNode(),
			`${item}: the image in "${property}" ("${fieldLabel}") is ${megabytes(size)}; ${limit} ${megabytes(rules.maxBytes)}`,
			{
				itemIndex,
				description: `Resize or compress the image before this node (for example with the Edit Image node)${option ? `, or raise "${option}" in the node's options` : ''}.`,
			},
		);
	}
	return {
		size,
		read,
		fileName: meta.fileName ?? `${property}.${type.format === 'jpeg' ? 'jpg' : 'png'}`,
		mimeType: MIME_TYPES[type.format],
	};
}

/** `readImage` for the common case: the binary property's name is the node parameter `property`. */
export async function readImageParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: INodeProperties,
	rules: ImageRules,
): Promise<ImageFile> {
	const propertyName = String(readParameter<unknown>(ctx, itemIndex, property) ?? '');
	return await readImage(ctx, itemIndex, propertyName, property.displayName, rules);
}
