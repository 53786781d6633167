import { jsonParse, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { readParameter, readText } from '../shared/parameters';
import { recordFieldsProperty, recordSourceProperty, recordsProperty } from './descriptions';

export type RecordSource = 'item' | 'fields' | 'json';

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/** A dot path into the item's JSON: `ocr`, `checks.selfie`. */
function valueAt(json: IDataObject, path: string): unknown {
	let value: unknown = json;
	for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
	return value;
}

/** One record or a list of records; anything else is null. */
function asRecords(value: unknown): IDataObject[] | null {
	const list = Array.isArray(value) ? value : [value];
	return list.length > 0 && list.every(isObject) ? list : null;
}

/** The identity records one input item holds, from where the node's "Records" (recordSource) points. */
export function recordsOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const source = readParameter<RecordSource>(ctx, itemIndex, recordSourceProperty);
	const json = ctx.getInputData()[itemIndex].json;
	const fail = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: ${message}`, {
			itemIndex,
			description,
		});

	if (source === 'item') return [json];

	if (source === 'fields') {
		const names = readText(ctx, itemIndex, recordFieldsProperty)
			.split(',')
			.map((name) => name.trim())
			.filter(Boolean);
		if (names.length === 0) {
			throw fail(
				`"${recordFieldsProperty.displayName}" is empty`,
				'Name the fields that hold the identity records, e.g. document, selfie.',
			);
		}
		return names.flatMap((name) => {
			const records = asRecords(valueAt(json, name));
			if (records === null) {
				throw fail(
					`field "${name}" ("${recordFieldsProperty.displayName}") holds no identity record`,
					'The field must hold a record as the KYC nodes output it (an object), or a list of them.',
				);
			}
			return records;
		});
	}

	let value = readParameter<unknown>(ctx, itemIndex, recordsProperty);
	if (typeof value === 'string') {
		try {
			value = value.trim() === '' ? undefined : jsonParse(value);
		} catch {
			throw fail(
				`"${recordsProperty.displayName}" is not valid JSON`,
				'Give one identity record (an object) or a list of them.',
			);
		}
	}
	const records = asRecords(value);
	if (records === null) {
		throw fail(
			`"${recordsProperty.displayName}" holds no identity record`,
			'Give one identity record (an object) or a list of them.',
		);
	}
	return records;
}
