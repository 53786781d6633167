import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';
import { cleanText, normalizeDate, normalizeGender } from '../shared/identity';
import type { IdentityFields } from '../shared/identity';
import type { ProgenyTask } from './transport';

/** The finished task's `result` (seed 004): `{status, data: {document: {...}, compare, liveness}}`. */
const taskResult = z
	.object({
		data: z
			.object({
				document: z.record(z.unknown()).nullish(),
				compare: z.unknown().optional(),
				liveness: z.unknown().optional(),
			})
			.passthrough()
			.nullish(),
	})
	.passthrough();

/** The keys of `result.data` this node maps itself; any other key is the provider's own answer. */
const MAPPED_DATA_KEYS = ['document', 'compare', 'liveness'];

/** Progeny's backend is Python: a missing value can arrive as the text "None". */
function progenyText(value: unknown): string | null {
	const text = cleanText(value);
	return text === null || text.toLowerCase() === 'none' ? null : text;
}

function progenyBoolean(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
		return value.trim().toLowerCase() === 'true';
	return null;
}

function progenyNumber(value: unknown): number | null {
	if (value === null || value === undefined || value === '') return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

export interface NormalizeOptions {
	/** Add the provider's original answer (extend_data) under vendorDetails.providerResponse. */
	providerResponse: boolean;
}

/**
 * Maps a task answer onto the identity schema. An unfinished task gives a record with its
 * status and nulls, so that a workflow can look again later.
 */
export function normalizeTask(
	taskId: string,
	task: ProgenyTask,
	options: NormalizeOptions,
): IdentityFields {
	const parsed = taskResult.safeParse(task.result);
	const data = (parsed.success ? parsed.data.data : undefined) ?? {};
	const document = (data.document ?? {}) as IDataObject;

	const vendorDetails: IDataObject = {
		taskId,
		taskStatus: task.status,
		isValid: progenyBoolean(document.is_valid),
		isExpired: progenyBoolean(document.is_expired),
		age: progenyNumber(document.age),
		compare: progenyBoolean(data.compare),
		liveness: progenyBoolean(data.liveness),
		portraitUrl: progenyText(document.portrait_url),
	};
	if (options.providerResponse) {
		const extra = Object.entries(data).filter(([key]) => !MAPPED_DATA_KEYS.includes(key));
		if (extra.length > 0) vendorDetails.providerResponse = Object.fromEntries(extra) as IDataObject;
	}

	return {
		documentType: 'passport',
		documentNumber: progenyText(document.documentNumber),
		givenNames: progenyText(document.firstName),
		surnames: progenyText(document.lastName),
		gender: normalizeGender(progenyText(document.sex)),
		// Progeny sends YYYY-M-D without zero padding, and "None-None-None" for a missing date.
		birthDate: normalizeDate(document.dateOfBirth),
		issueDate: normalizeDate(document.dateOfIssue),
		expiryDate: normalizeDate(document.dateOfExpiry),
		nationality: progenyText(document.nationality),
		valid: vendorDetails.isValid as boolean | null,
		match: vendorDetails.compare as boolean | null,
		documentValid: vendorDetails.isValid as boolean | null,
		faceMatch: vendorDetails.compare as boolean | null,
		liveness: vendorDetails.liveness as boolean | null,
		// Used only when dateOfExpiry / dateOfBirth are unknown: the dates win (identityRecord).
		isExpired: vendorDetails.isExpired as boolean | null,
		age: vendorDetails.age as number | null,
		transactionId: taskId,
		vendorDetails,
	};
}
