import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';
import { concurrencyOption } from './descriptions';

/**
 * Node parameters are read through their declaration, the INodeProperties a vendor's
 * descriptions.ts exports and its node lists: the name, the label that errors quote and the
 * default are written once, there.
 */

type ParameterContext = Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;

/** The item's value of a parameter, or the declared default. */
export function readParameter<T>(
	ctx: ParameterContext,
	itemIndex: number,
	property: INodeProperties,
): T {
	return ctx.getNodeParameter(property.name, itemIndex, property.default) as T;
}

/** The same for a trigger, whose parameters have no item. */
export function readWebhookParameter<T>(
	ctx: Pick<IWebhookFunctions, 'getNodeParameter'>,
	property: INodeProperties,
): T {
	return ctx.getNodeParameter(property.name, property.default) as T;
}

/** A text parameter, trimmed; '' when empty. */
export function readText(
	ctx: ParameterContext,
	itemIndex: number,
	property: INodeProperties,
): string {
	return String(readParameter<unknown>(ctx, itemIndex, property) ?? '').trim();
}

/** A text parameter that must not be empty: an empty one fails the item, naming the field. */
export function requireText(
	ctx: ParameterContext,
	itemIndex: number,
	property: INodeProperties,
	description: string,
): string {
	const value = readText(ctx, itemIndex, property);
	if (value === '') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex + 1}: "${property.displayName}" is empty`,
			{
				itemIndex,
				description,
			},
		);
	}
	return value;
}

/** One option of a collection already read (the node's "Options"), or its declared default. */
export function readOption<T>(options: IDataObject, property: INodeProperties): T {
	return (options[property.name] ?? property.default) as T;
}

/** The "Concurrency" option of a node's options collection, read once for the whole batch (item 0's). */
export function readConcurrency(
	ctx: ParameterContext,
	optionsProperty: INodeProperties,
): number | undefined {
	return readOption<number | undefined>(
		readParameter<IDataObject>(ctx, 0, optionsProperty),
		concurrencyOption,
	);
}
