import { backImageProperty, documentTypeProperty, frontImageProperty } from './descriptions';

/**
 * Apptenticate's error codes with their English meaning (seeds 000 and 001). The API itself
 * answers in Spanish; the node shows this text first and keeps the Spanish original.
 */
export const APPTENTICATE_ERROR_CODES: Record<number, string> = {
	800: 'The submitted file could not be processed',
	801: 'The MRZ (machine-readable zone) could not be extracted from the document',
	802: 'The date of birth could not be read',
	803: 'The gender could not be read',
	804: 'The expiration date could not be read',
	805: 'The QR code could not be processed',
	806: 'The document data (metadata) could not be extracted',
	807: 'The names could not be extracted from the document',
	808: 'The ID number could not be extracted from the document',
	809: 'The front image ("frontside") was not sent',
	810: 'The back image ("backside") was not sent',
	811: 'The surnames could not be extracted from the document',
	812: 'The place of birth could not be extracted from the document',
	813: 'The data on the front and the back of the document do not match',
	814: 'The MRZ could not be read: the image does not reach the minimum quality score',
	815: 'The QR code on the back of the ID card is not readable',
	816: 'The document does not match the document type given in the parameters',
	817: 'This passport is not yet supported by the service',
	818: 'The OCR of the front of the document failed',
	819: 'The CURP could not be extracted from the document',
};

/** What the user can do about it, where the code points at the picture. */
export const APPTENTICATE_ERROR_HINTS: Record<number, string> = {
	800: 'Send a JPEG of at most 2 MB.',
	809: `Check the "${frontImageProperty.displayName}" parameter.`,
	810: `Check the "${backImageProperty.displayName}" parameter.`,
	813: 'Make sure the front and back images belong to the same document.',
	814: 'Retake the photo of the MRZ side: sharp, well lit, without glare.',
	816: `Check the "${documentTypeProperty.displayName}" parameter against the document in the image.`,
};
