// eslint-disable-next-line @typescript-eslint/no-require-imports
const images = require('../fixtures/images.js') as {
	makeJpeg: (marker?: string, sizeBytes?: number) => Buffer;
	makePng: (marker?: string, sizeBytes?: number) => Buffer;
};

export const { makeJpeg, makePng } = images;
