'use strict';
/**
 * Workflow and credential fixtures. They are plain n8n JSON kept in the repository, with
 * placeholders filled in at import time:
 *
 *   __SANDBOX_URL__            the vendor sandbox, e.g. http://127.0.0.1:41234
 *   __N8N_URL__                the instance's own address (for callbacks to its webhooks)
 *   __JPEG(<marker>)__         base64 of a small JPEG carrying the sandbox marker, e.g. __JPEG(PERSON=2)__
 *   __JPEG(<marker>|<bytes>)__ the same JPEG padded to exactly <bytes> bytes
 *   __PNG(<marker>)__          base64 of a small PNG carrying the marker
 *   __<NAME>__                 any other value passed in `vars` (upper-case name)
 *
 * Markers are the sandbox's (see test/e2e/README.md): PERSON=<n>, ERROR=<code>, NOMATCH=1, ...
 * An empty marker, __JPEG()__, makes an image without one.
 */
const fs = require('fs');
const path = require('path');
const { makeJpeg, makePng } = require('../../fixtures/images');

const WORKFLOW_DIR = path.join(__dirname, '..', 'workflows');
const CREDENTIALS_TEMPLATE = path.join(__dirname, '..', 'credentials.template.json');

const IMAGE = /__(JPEG|PNG)\(([^)|]*)(?:\|(\d+))?\)__/g;
const VARIABLE = /__([A-Z][A-Z0-9_]*)__/g;

const imageCache = new Map();
function imageBase64(kind, marker, size) {
	const key = `${kind}|${marker}|${size ?? ''}`;
	if (!imageCache.has(key)) {
		const sizeBytes = size ? Number(size) : undefined;
		const buffer =
			kind === 'JPEG'
				? makeJpeg(marker || undefined, sizeBytes)
				: makePng(marker || undefined, sizeBytes);
		imageCache.set(key, buffer.toString('base64'));
	}
	return imageCache.get(key);
}

/** Fills the placeholders of a fixture's text; an unknown placeholder is an error. */
function fill(text, vars = {}) {
	const withImages = text.replace(IMAGE, (_, kind, marker, size) =>
		imageBase64(kind, marker, size),
	);
	return withImages.replace(VARIABLE, (match, name) => {
		if (vars[name] === undefined)
			throw new Error(
				`fixture placeholder ${match} has no value (known: ${Object.keys(vars).join(', ')})`,
			);
		return String(vars[name]);
	});
}

/** A workflow fixture by name (test/e2e/workflows/<name>.json) or by path, placeholders filled. */
function loadWorkflow(nameOrPath, vars) {
	const file = nameOrPath.endsWith('.json')
		? nameOrPath
		: path.join(WORKFLOW_DIR, `${nameOrPath}.json`);
	const workflow = JSON.parse(fill(fs.readFileSync(file, 'utf8'), vars));
	if (!workflow.id) throw new Error(`${file} has no fixed "id"`);
	return workflow;
}

/** The credentials of the template, pointing at the sandbox (placeholders filled). */
function sandboxCredentials(vars) {
	return JSON.parse(fill(fs.readFileSync(CREDENTIALS_TEMPLATE, 'utf8'), vars));
}

module.exports = { WORKFLOW_DIR, fill, loadWorkflow, sandboxCredentials, imageBase64 };
