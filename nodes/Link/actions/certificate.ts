import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readOption, readParameter, readText, requireText } from '../../shared/parameters';
import { readSecondsOption } from '../../shared/poll';
import type { WaitingItem } from '../../shared/poll';
import {
	certificateFileName,
	certificatePath,
	checkCertificateUrl,
	fetchCertificateOnce,
	waitForCertificate,
} from '../certificates';
import type { CertificateLocation, WaitOptions } from '../certificates';
import {
	certificateBinaryProperty,
	certificateOperation,
	certificateOptions,
	certificateRequestIdProperty,
	certificateUrlProperty,
	DEFAULT_CERTIFICATE_PROPERTY,
	keepInputFieldsOption,
	pollIntervalOption,
	timeoutOption,
	waitUntilReadyOption,
} from '../descriptions';
import type { LinkContext } from '../transport';

/** The options of one item; wrong seconds name the item and the option, before anything is sent. */
function readWaitOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): WaitOptions {
	return {
		pollInterval: readSecondsOption(ctx, itemIndex, options, pollIntervalOption, false),
		timeout: readSecondsOption(ctx, itemIndex, options, timeoutOption, false),
	};
}

function locate(
	ctx: IExecuteFunctions,
	link: LinkContext,
	operation: string,
	itemIndex: number,
): CertificateLocation {
	const item = `Item ${itemIndex + 1}`;
	if (operation === 'byUrl') {
		const input = requireText(
			ctx,
			itemIndex,
			certificateUrlProperty,
			'Map the certificate URL of the LINK Trigger, e.g. {{ $json.vendorDetails.certificateUrl }}.',
		);
		const checked = checkCertificateUrl(link, input);
		if ('problem' in checked) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${item}: "${certificateUrlProperty.displayName}" refused: ${checked.problem}`,
				{
					itemIndex,
					description:
						'Use a certificate URL sent by LINK to this credential\'s environment, or the "Get by Request ID" operation.',
				},
			);
		}
		return checked.location;
	}
	const requestId = requireText(
		ctx,
		itemIndex,
		certificateRequestIdProperty,
		'Map the ID of the verification request, e.g. {{ $json.transactionId }}.',
	);
	return { requestId, target: certificatePath(requestId) };
}

/**
 * LINK Certificate for one item. The first attempt is the item's start; with Wait Until Ready
 * the later attempts take turns with the other items' calls, so Concurrency bounds the downloads
 * in flight, not the certificates waited for.
 */
export async function certificateItem(
	ctx: IExecuteFunctions,
	link: LinkContext,
	itemIndex: number,
	{ start, call }: WaitingItem,
): Promise<INodeExecutionData> {
	const first = await start(async () => {
		const options = readParameter<IDataObject>(ctx, itemIndex, certificateOptions);
		const waitUntilReady = readOption(options, waitUntilReadyOption) === true;
		const wait = waitUntilReady ? readWaitOptions(ctx, itemIndex, options) : undefined;
		const operation = readParameter<string>(ctx, itemIndex, certificateOperation);
		const property =
			readText(ctx, itemIndex, certificateBinaryProperty) || DEFAULT_CERTIFICATE_PROPERTY;
		const keepInputFields = readOption(options, keepInputFieldsOption) !== false;
		const location = locate(ctx, link, operation, itemIndex);
		const startedAt = Date.now();
		const { pdf, notReady } = await fetchCertificateOnce(link, location, { itemIndex });
		if (!pdf && !wait) throw notReady;
		return { location, property, keepInputFields, wait: wait && { ...wait, startedAt }, pdf };
	});
	const { location, property, keepInputFields, wait } = first;
	const pdf = first.pdf ?? (await waitForCertificate(ctx, link, location, wait!, itemIndex, call));
	const fileName = certificateFileName(location.requestId);
	// The input's fields (the person's record) stay with the PDF, so no Merge is needed.
	const input = keepInputFields ? (ctx.getInputData()[itemIndex]?.json ?? {}) : {};
	return {
		json: { ...input, requestId: location.requestId, fileName, ready: true },
		binary: { [property]: await ctx.helpers.prepareBinaryData(pdf, fileName, 'application/pdf') },
	};
}
