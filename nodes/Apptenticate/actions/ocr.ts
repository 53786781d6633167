import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImageParameter } from '../../shared/binaryImage';
import { includeRawOption } from '../../shared/descriptions';
import { identityRecord } from '../../shared/identity';
import { readOption, readParameter } from '../../shared/parameters';
import {
	backImageProperty,
	deviceOption,
	documentTypeProperty,
	frontImageProperty,
	ineDocumentTypeValueOption,
	ocrOptions,
	returnTransactionIdOption,
	validateSidesProperty,
} from '../descriptions';
import { hasBackside, normalizeOcrAnswer } from '../normalize';
import type { OcrDocumentType } from '../normalize';
import { APPTENTICATE_IMAGE_RULES, apptenticatePost, pythonBoolean } from '../transport';
import type { ApptenticateContext } from '../transport';

const ENDPOINTS: Record<OcrDocumentType, string> = {
	identification_card: '/api/v3/ocr/',
	passport: '/api/v3/ocr/',
	ine: '/api/v3.2/ocr/',
};

export async function ocrItem(
	ctx: IExecuteFunctions,
	apptenticate: ApptenticateContext,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const documentType = readParameter<OcrDocumentType>(ctx, itemIndex, documentTypeProperty);
	const options = readParameter<IDataObject>(ctx, itemIndex, ocrOptions);
	const withBack = hasBackside(documentType);
	const validateSides = withBack && readParameter<boolean>(ctx, itemIndex, validateSidesProperty);

	const frontside = await readImageParameter(
		ctx,
		itemIndex,
		frontImageProperty,
		APPTENTICATE_IMAGE_RULES,
	);
	const backside = withBack
		? await readImageParameter(ctx, itemIndex, backImageProperty, APPTENTICATE_IMAGE_RULES)
		: undefined;

	const documentTypeValue =
		documentType === 'ine' ? readOption<string>(options, ineDocumentTypeValueOption) : documentType;
	const answer = await apptenticatePost(
		apptenticate,
		ENDPOINTS[documentType],
		{
			document_type: documentTypeValue,
			return_id:
				readOption(options, returnTransactionIdOption) === false ? undefined : pythonBoolean(true),
			device: readOption<string>(options, deviceOption) || undefined,
			validate_sides: validateSides ? pythonBoolean(true) : undefined,
		},
		{ frontside, backside },
		itemIndex,
	);
	const fields = normalizeOcrAnswer(documentType, answer);
	return {
		json: identityRecord(
			'apptenticate',
			fields,
			answer,
			readOption(options, includeRawOption) !== false,
		),
	};
}
