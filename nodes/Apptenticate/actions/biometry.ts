import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readImageParameter } from '../../shared/binaryImage';
import { includeRawOption } from '../../shared/descriptions';
import { identityRecord } from '../../shared/identity';
import { readOption, readParameter, requireText } from '../../shared/parameters';
import {
	biometryOperation,
	biometryOptions,
	citizenIdProperty,
	deviceOption,
	documentImageProperty,
	endpointOption,
	foreignDocumentTypeProperty,
	legacyFieldNamesOption,
	legacyPathOption,
	returnTransactionIdOption,
	selfieImageProperty,
} from '../descriptions';
import { biometryDocumentType, normalizeBiometryAnswer } from '../normalize';
import { APPTENTICATE_IMAGE_RULES, apptenticatePost, pythonBoolean } from '../transport';
import type { ApptenticateContext } from '../transport';

export type BiometryOperation = 'verifyCitizen' | 'compareForeignDocument';

const NATIONALS_PATH = '/api/v3/biometrics/nationals/';
const FOREIGNS_PATH = '/api/v3/biometrics/foreigns/';

/**
 * Seed 002 (the older "Endpoint Biometría") names its fields two ways: its payload says
 * image / id / device, its code example imagen / id / dispositivo.
 */
const LEGACY_FIELD_NAMES = {
	payload: { image: 'image', device: 'device' },
	codeExample: { image: 'imagen', device: 'dispositivo' },
} as const;

export async function biometryItem(
	ctx: IExecuteFunctions,
	apptenticate: ApptenticateContext,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const operation = readParameter<BiometryOperation>(ctx, itemIndex, biometryOperation);
	const options = readParameter<IDataObject>(ctx, itemIndex, biometryOptions);
	const returnId =
		readOption(options, returnTransactionIdOption) === false ? undefined : pythonBoolean(true);
	const device = readOption<string>(options, deviceOption) || undefined;
	const readSelfie = async () =>
		await readImageParameter(ctx, itemIndex, selfieImageProperty, APPTENTICATE_IMAGE_RULES);

	let answer: IDataObject;
	let documentType: string | null = null;
	let documentNumber: string | null = null;
	if (operation === 'verifyCitizen') {
		documentNumber = requireText(
			ctx,
			itemIndex,
			citizenIdProperty,
			'Enter the Panamanian ID number (cédula), for example 8-123-456, or map it from an earlier node.',
		);
		documentType = 'id_card';
		const selfie = await readSelfie();
		if (readOption(options, endpointOption) === 'legacy') {
			const names =
				LEGACY_FIELD_NAMES[
					readOption<keyof typeof LEGACY_FIELD_NAMES>(options, legacyFieldNamesOption)
				];
			answer = await apptenticatePost(
				apptenticate,
				readOption<string>(options, legacyPathOption) || (legacyPathOption.default as string),
				{ cedula: documentNumber, id: returnId, [names.device]: device },
				{ [names.image]: selfie },
				itemIndex,
			);
		} else {
			answer = await apptenticatePost(
				apptenticate,
				NATIONALS_PATH,
				{ citizen_id: documentNumber, return_id: returnId, device },
				{ selfie },
				itemIndex,
			);
		}
	} else {
		const foreignDocumentType = readParameter<string>(ctx, itemIndex, foreignDocumentTypeProperty);
		documentType = biometryDocumentType(foreignDocumentType);
		const frontside = await readImageParameter(
			ctx,
			itemIndex,
			documentImageProperty,
			APPTENTICATE_IMAGE_RULES,
		);
		const selfie = await readSelfie();
		answer = await apptenticatePost(
			apptenticate,
			FOREIGNS_PATH,
			{ document_type: foreignDocumentType, return_id: returnId, device },
			{ frontside, selfie },
			itemIndex,
		);
	}

	const fields = normalizeBiometryAnswer(operation, { documentType, documentNumber }, answer);
	return {
		json: identityRecord(
			'apptenticate',
			fields,
			answer,
			readOption(options, includeRawOption) !== false,
		),
	};
}
