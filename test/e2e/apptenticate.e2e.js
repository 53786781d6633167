'use strict';
/**
 * Apptenticate OCR and Biometry inside real n8n: what a user sees in the output items for the
 * main documents, a vendor error with and without "continue", and bad images that never leave
 * n8n. The happy paths also prove that `zod` (which the nodes import and n8n provides) resolves.
 */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { e2eSuite } = require('./lib/harness');
const { n8nHome, PACKAGE_NAME } = require('../../tools/n8n/toolchain');

const ERROR_806 = 'Apptenticate error 806: The document data (metadata) could not be extracted';
const PNG_ITEM_1 =
	'Item 1: the file in "front" ("Front Image Binary Field") is a PNG file; Apptenticate accepts JPEG images only';
const PNG_ITEM_2 =
	'Item 2: the file in "front" ("Front Image Binary Field") is a PNG file; Apptenticate accepts JPEG images only';
const LARGE_ITEM_2 =
	'Item 2: the image in "back" ("Back Image Binary Field") is 2.1 MB; Apptenticate accepts at most 2.0 MB';

/** The item a node produced for input item `index` (by pairedItem), on one output. */
function itemFor(execution, nodeName, index, output = 0) {
	const items = execution.items(nodeName, output);
	const found = items.find((item) => [item.pairedItem].flat().some((p) => p?.item === index));
	assert.ok(
		found,
		`no item on output ${output} of "${nodeName}" for input item ${index}:\n${JSON.stringify(
			items.map((i) => i.json),
			null,
			1,
		).slice(0, 2000)}`,
	);
	return found.json;
}

/**
 * The error item of input item `index` on the node's error output. When the item came out of
 * the success output instead, say so: n8n routes an item to the error output only when the
 * item carries `error` (or its json holds nothing but error/message/details).
 */
function errorItemFor(execution, nodeName, index) {
	const onSuccess = execution
		.items(nodeName, 0)
		.find((item) => [item.pairedItem].flat().some((p) => p?.item === index));
	const onError = execution
		.items(nodeName, 1)
		.find((item) => [item.pairedItem].flat().some((p) => p?.item === index));
	assert.ok(
		onError,
		onSuccess
			? `the error item of input item ${index} came out of the SUCCESS output, not the error output (it has no "error" property, and its json has keys besides error/message/details): ${JSON.stringify({ ...onSuccess, binary: undefined, json: { ...onSuccess.json, front: undefined, back: undefined } })}`
			: `no item for input item ${index} on either output of "${nodeName}"`,
	);
	return onError.json;
}

/** Message and vendor code of an error item: all under `json.error` (see nodes/shared/items.ts). */
function errorFields(json) {
	assert.equal(
		typeof json.error,
		'object',
		`not an error item: ${JSON.stringify(json).slice(0, 300)}`,
	);
	const { message, code, vendor, vendorMessage } = json.error;
	return { message, code, vendor, vendorMessage };
}

function assertRan(execution) {
	assert.ok(execution.ok, `the execution failed:\n${execution.describe()}`);
}

e2eSuite(
	'apptenticate',
	{
		workflows: [
			'apptenticate-ocr',
			'apptenticate-ocr-stop',
			'apptenticate-bad-input',
			'apptenticate-bad-input-stop',
			'apptenticate-continue',
			'apptenticate-biometry',
		],
	},
	(env) => {
		describe('apptenticate ocr', () => {
			const run = env.once('ocr', async () => {
				const mark = env.mark();
				const execution = await env.execute('apptenticate-ocr');
				return { execution, requests: env.requestsSince(mark, { vendor: 'apptenticate' }) };
			});

			it("the package loads inside n8n and zod (imported by the nodes) resolves to n8n's copy", async () => {
				const { execution } = await run();
				const output = `${execution.result.stdout}\n${execution.result.stderr}`;
				const zodMissing = /Cannot find module 'zod'/.exec(output);
				assert.ok(
					!zodMissing,
					`ZOD DID NOT RESOLVE INSIDE n8n ${env.version}: the nodes import zod and rely on n8n to provide it.\n${execution.describe()}`,
				);
				assert.doesNotMatch(
					output,
					/Unrecognized node type|Error loading package/,
					`the package did not load:\n${execution.describe()}`,
				);
				assertRan(execution);
				const nodesDir = path.join(env.n8n.userFolder, '.n8n', 'nodes', 'node_modules');
				assert.ok(
					fs.existsSync(path.join(nodesDir, PACKAGE_NAME, 'package.json')),
					'installed as a community package',
				);
				assert.ok(
					!fs.existsSync(path.join(nodesDir, 'zod')),
					'no zod of its own next to the package',
				);
				const zod = require(
					path.join(n8nHome(env.version), 'node_modules', 'zod', 'package.json'),
				).version;
				env.note(`zod resolves inside n8n; n8n ships zod ${zod} at the top of its install`);
			});

			it('happy path: Panamanian ID card, normalized fields', async () => {
				const { execution } = await run();
				assertRan(execution);
				const record = itemFor(execution, 'OCR', 0);
				assert.equal(record.vendor, 'apptenticate');
				assert.equal(record.documentType, 'id_card');
				assert.equal(record.documentNumber, 'E-8-123456');
				assert.equal(record.givenNames, 'Sofia Maria');
				assert.equal(record.surnames, 'Lopez Contreras');
				assert.equal(record.fullName, 'Sofia Maria Lopez Contreras');
				assert.equal(record.gender, 'F');
				assert.equal(record.birthDate, '1994-10-10');
				assert.equal(record.issueDate, '2022-08-12');
				assert.equal(record.expiryDate, '2032-08-12');
				assert.equal(record.issuingCountry, 'PAN');
				assert.equal(record.valid, true);
				assert.match(record.transactionId, /^\d+$/, 'transactionId: return_id is on by default');
			});

			it('happy path: Panamanian ID card with validate sides that differ (match false, score)', async () => {
				const { execution } = await run();
				const record = itemFor(execution, 'OCR', 1);
				assert.equal(record.documentNumber, '8-888-1234', 'the back (QR) wins over the front');
				assert.equal(record.match, false);
				assert.equal(record.matchScore, 22.2);
				assert.equal(record.valid, false);
				assert.ok(
					record.vendorDetails.frontside && record.vendorDetails.backside,
					'both sides under vendorDetails',
				);
			});

			it('happy path: Mexican INE with validate sides (match, matchScore, curpCheck)', async () => {
				const { execution } = await run();
				const record = itemFor(execution, 'OCR', 2);
				assert.equal(record.documentType, 'voter_id');
				assert.equal(record.givenNames, 'MARIA FERNANDA');
				assert.equal(record.surnames, 'HERNANDEZ RUIZ');
				assert.equal(record.gender, 'F', 'back says Female (front "M" is mujer)');
				assert.equal(record.birthDate, '1988-07-22');
				assert.equal(record.expiryDate, '2031-12-31');
				assert.equal(record.issuingCountry, 'MEX');
				assert.equal(record.personalNumber, 'HERM880722MJCRZR05');
				assert.equal(record.match, true);
				assert.equal(record.matchScore, 85.5);
				assert.deepEqual(record.vendorDetails.curpCheck, {
					value: 'HERM880722MJCRZR05',
					valid: true,
					problems: [],
				});
				assert.equal(record.vendorDetails.electorKeyCheck.valid, true);
			});

			it('happy path: Mexican INE with a malformed CURP is reported, not hidden', async () => {
				const { execution } = await run();
				const record = itemFor(execution, 'OCR', 3);
				assert.equal(record.vendorDetails.curpCheck.valid, false);
				assert.ok(record.vendorDetails.curpCheck.problems.length > 0);
			});

			it('happy path: passport', async () => {
				const { execution } = await run();
				const record = itemFor(execution, 'OCR', 4);
				assert.equal(record.documentType, 'passport');
				assert.equal(record.documentNumber, '546789123');
				assert.equal(record.givenNames, 'John Michael');
				assert.equal(record.surnames, 'Smith');
				assert.equal(record.gender, 'M');
				assert.equal(record.birthDate, '1982-11-17');
				assert.equal(record.expiryDate, '2033-09-30');
				assert.equal(record.nationality, 'USA');
			});

			it('vendor error 806 with "continue (using error output)": an error item with the code and the English message', async () => {
				const { execution } = await run();
				const error = errorFields(errorItemFor(execution, 'OCR', 5));
				assert.equal(execution.json('OCR', 1).length, 1, 'only the 806 case on the error output');
				assert.equal(error.code, 806);
				assert.equal(error.message, ERROR_806);
				assert.equal(error.vendor, 'apptenticate');
				assert.match(error.vendorMessage, /No se pudo/);
				assert.equal(
					execution.json('OCR', 0).length,
					5,
					'the other five cases on the success output',
				);
			});

			it('sends the documented multipart requests (one per item, both sides as files)', async () => {
				const { requests } = await run();
				const services = requests.filter((r) => r.route === 'ocr' || r.route === 'ocrIne');
				assert.equal(services.length, 6);
				for (const request of services) {
					assert.equal(request.auth, 'valid');
					assert.ok(
						request.files.some((f) => f.name === 'frontside' && f.contentType === 'image/jpeg'),
						JSON.stringify(request),
					);
				}
				const ine = services.filter((r) => r.route === 'ocrIne');
				assert.equal(ine.length, 2);
				for (const request of ine) assert.equal(request.documentType, 'id_mexico');
			});
		});

		describe('apptenticate ocr vendor error without continue', () => {
			it('fails the execution with the English message of error 806', async () => {
				const execution = await env.execute('apptenticate-ocr-stop');
				assert.equal(execution.ok, false, execution.describe());
				assert.equal(execution.errorMessage, ERROR_806, execution.describe());
				assert.equal(
					execution.error.node?.name ?? execution.run.data.resultData.lastNodeExecuted,
					'OCR',
				);
			});
		});

		describe('apptenticate continue on fail (regular output)', () => {
			it('a vendor error and a bad image become error items in place, with code and message', async () => {
				const execution = await env.execute('apptenticate-continue');
				assertRan(execution);
				const items = execution.json('OCR', 0);
				assert.equal(items.length, 3, 'one item per input item, in input order');
				assert.equal(errorFields(items[0]).code, 806);
				assert.equal(errorFields(items[0]).message, ERROR_806);
				assert.equal(errorFields(items[1]).message, PNG_ITEM_2);
				assert.equal(items[2].documentNumber, 'E-8-123456', 'the good item after them still ran');
			});
		});

		describe('apptenticate bad input', () => {
			it('a PNG and a JPEG over 2 MB become error items naming item and field, and nothing is sent', async () => {
				const mark = env.mark();
				const execution = await env.execute('apptenticate-bad-input');
				assertRan(execution);
				assert.deepEqual(
					env.requestsSince(mark),
					[],
					'no request at all (not even a token) reached the sandbox',
				);
				assert.equal(errorFields(errorItemFor(execution, 'OCR', 0)).message, PNG_ITEM_1);
				assert.equal(errorFields(errorItemFor(execution, 'OCR', 1)).message, LARGE_ITEM_2);
				assert.equal(execution.json('OCR', 0).length, 0, 'nothing on the success output');
			});

			it('without continue, the run stops at the bad item, naming it, after sending only the good one', async () => {
				const mark = env.mark();
				const execution = await env.execute('apptenticate-bad-input-stop');
				assert.equal(execution.ok, false, execution.describe());
				assert.equal(execution.errorMessage, PNG_ITEM_2);
				const sent = env.requestsSince(mark, { route: 'ocr' });
				assert.equal(sent.length, 1, 'only item 1 reached the vendor');
			});
		});

		describe('apptenticate biometry', () => {
			const run = env.once('biometry', () => env.execute('apptenticate-biometry'));

			it('verify citizen: valid for the same person', async () => {
				const execution = await run();
				assertRan(execution);
				const record = itemFor(execution, 'Verify Citizen', 0);
				assert.equal(record.valid, true);
				assert.equal(record.match, true);
				assert.equal(record.documentType, 'id_card');
				assert.equal(record.documentNumber, '8-888-1234');
				assert.equal(record.vendorDetails.operation, 'verifyCitizen');
			});

			it('verify citizen: NOMATCH gives valid false with the vendor message', async () => {
				const execution = await run();
				const record = itemFor(execution, 'Verify Citizen', 1);
				assert.equal(record.valid, false);
				assert.equal(record.match, false);
				assert.equal(record.vendorDetails.code, 1);
				assert.ok(record.vendorDetails.message);
			});

			it('compare foreign document: valid for the same person, not for another', async () => {
				const execution = await run();
				const same = itemFor(execution, 'Compare Foreign Document', 0);
				assert.equal(same.valid, true);
				assert.equal(same.documentType, 'passport');
				assert.equal(same.vendorDetails.operation, 'compareForeignDocument');
				const other = itemFor(execution, 'Compare Foreign Document', 1);
				assert.equal(other.valid, false);
			});
		});
	},
);
