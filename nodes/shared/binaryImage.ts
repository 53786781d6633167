import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { readParameter } from './parameters';

export type ImageFormat = 'jpeg' | 'png';

export interface ImageFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
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
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	const type = detectFileType(data);
	if (!type?.format || !rules.formats.includes(type.format)) {
		const accepted = rules.formats.map((format) => FORMAT_NAMES[format]).join(' or ');
		const found = type ? `a ${type.name} file` : data.length === 0 ? 'empty' : 'not an image';
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
	if (rules.maxBytes !== undefined && data.length > rules.maxBytes) {
		const option = rules.maxBytesOption;
		const limit = option
			? `the node's limit ("${option}") is`
			: `${rules.vendorName} accepts at most`;
		throw new NodeOperationError(
			ctx.getNode(),
			`${item}: the image in "${property}" ("${fieldLabel}") is ${megabytes(data.length)}; ${limit} ${megabytes(rules.maxBytes)}`,
			{
				itemIndex,
				description: `Resize or compress the image before this node (for example with the Edit Image node)${option ? `, or raise "${option}" in the node's options` : ''}.`,
			},
		);
	}
	return {
		data,
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
