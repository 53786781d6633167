'use strict';
/**
 * LINK Verify and LINK Certificate inside real n8n (`n8n execute`): an automatic verification
 * that passes, one that does not (NotCorrect), a country that is not an ISO code (nothing sent),
 * ICAR answers (repeated codes, face comparison, national id, unknown codes mapped by the Field
 * Mapping option), an image over the size limit (nothing sent), and a certified verification
 * whose PDF LINK Certificate downloads once LINK has made it.
 */
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { e2eSuite } = require('./lib/harness');

function assertRan(execution) {
	assert.ok(execution.ok, `the execution failed:\n${execution.describe()}`);
}

const messageOf = (json) => json.error?.message;

e2eSuite(
	'link',
	{
		workflows: ['link-verify', 'link-verify-icar', 'link-certificate'],
		sandbox: { callbackDelayMs: 500 },
	},
	(env) => {
		describe('link verify', () => {
			const run = env.once('verify', async () => {
				const mark = env.mark();
				const execution = await env.execute('link-verify');
				return { execution, requests: env.requestsSince(mark, { vendor: 'link' }) };
			});

			it('happy path: a Spanish ID card, normalized (valid, names, ISO dates)', async () => {
				const { execution } = await run();
				assertRan(execution);
				const record = execution.json('LINK Verify', 0)[0];
				assert.equal(record.vendor, 'linkMobility');
				assert.equal(record.valid, true);
				assert.equal(record.documentType, 'id_card');
				assert.equal(record.documentNumber, '12345678Z');
				assert.equal(record.givenNames, 'LUIS');
				assert.equal(record.surnames, 'GARCIA DE TODOS LOS SANTOS');
				assert.equal(record.gender, 'M');
				assert.equal(record.birthDate, '1963-10-31');
				assert.equal(record.issueDate, '2021-10-31');
				assert.equal(record.expiryDate, '2031-10-31');
				assert.equal(record.nationality, 'ARG');
				assert.equal(record.issuingCountry, 'ESP');
				assert.equal(record.transactionId, 'e2e-link-ok', 'the request id given in the node');
				assert.equal(record.vendorDetails.result, 'Ok');
				assert.equal(record.vendorDetails.checks.TEST_GLOBAL_AUTHENTICITY_VALUE, 'OK');
			});

			it('NotCorrect: valid false, with the warning and the failed check', async () => {
				const { execution } = await run();
				const record = execution.json('LINK Verify', 0)[1];
				assert.equal(record.valid, false);
				assert.equal(record.vendorDetails.result, 'NotCorrect');
				assert.match(record.vendorDetails.warning, /authenticity/);
				assert.equal(record.vendorDetails.checks.TEST_GLOBAL_AUTHENTICITY_VALUE, 'FAIL');
			});

			it('bad country: an error item naming item 3 and the field, and nothing sent for it', async () => {
				const { execution, requests } = await run();
				const items = execution.json('LINK Verify', 0);
				assert.equal(items.length, 3);
				assert.match(
					messageOf(items[2]) ?? '',
					/^Item 3: "Issuing Country" must be an ISO 3166-1 alpha-2 code, got "SPAIN"/,
					JSON.stringify(items[2]),
				);
				const verifies = requests.filter((r) => r.route === 'verify');
				assert.equal(verifies.length, 2, 'only items 1 and 2 reached LINK');
				assert.ok(
					verifies.every((r) => r.status === 200),
					JSON.stringify(verifies),
				);
			});
		});

		describe('link verify ICAR answers', () => {
			const run = env.once('verify-icar', async () => {
				const mark = env.mark();
				const execution = await env.execute('link-verify-icar');
				return { execution, requests: env.requestsSince(mark, { vendor: 'link' }) };
			});

			it('repeated codes: both surnames, all MRZ lines, and a back-side FAIL next to the front-side OK', async () => {
				const { execution } = await run();
				assertRan(execution);
				const record = execution.json('LINK Verify', 0)[0];
				assert.equal(record.transactionId, 'e2e-link-icar');
				assert.equal(record.surnames, 'LOPEZ FERNANDEZ', 'two SURNAME fields');
				assert.equal(record.fullName, 'MARIA CARMEN LOPEZ FERNANDEZ');
				assert.deepEqual(record.vendorDetails.fields.SURNAME, ['LOPEZ', 'FERNANDEZ']);
				assert.equal(
					record.vendorDetails.fields.MRZ.length,
					3,
					JSON.stringify(record.vendorDetails.fields.MRZ),
				);
				assert.deepEqual(record.vendorDetails.checks.TEST_EXPIRY_DATE, ['OK', 'FAIL']);
				assert.equal(
					record.vendorDetails.checks.TEST_BIRTH_DATE,
					'OK',
					'the same value on both sides stays one value',
				);
			});

			it('issuing country (EXPEDITOR, alpha-3), national id (ID_NUMBER) and the face comparison', async () => {
				const { execution } = await run();
				const [match, noMatch] = execution.json('LINK Verify', 0);
				assert.equal(match.issuingCountry, 'ESP');
				assert.equal(match.documentNumber, '87654321X');
				assert.equal(match.personalNumber, '87654321X');
				assert.equal(match.match, true);
				assert.equal(match.matchScore, 0.91);
				assert.equal(noMatch.personalNumber, '123435534');
				assert.equal(noMatch.match, false);
				assert.equal(noMatch.matchScore, 0.12);
			});

			it('Field Mapping: codes the node does not know fill the identity fields; no issuing-country code: the country sent', async () => {
				const { execution } = await run();
				const record = execution.json('LINK Verify', 0)[2];
				assert.equal(record.vendorDetails.fields.NUM_DOCUMENTO, '12345678Z');
				assert.equal(record.documentNumber, '12345678Z', 'NUM_DOCUMENTO mapped');
				assert.equal(record.birthDate, '1963-10-31', 'FECHA_NACIMIENTO mapped and read as a date');
				assert.equal(record.issuingCountry, 'PRT', 'PAIS_EXPEDICION is not mapped: PT was sent');
			});

			it('an image over Max Image Size: an error item naming item 4, the field and the option, nothing sent', async () => {
				const { execution, requests } = await run();
				const items = execution.json('LINK Verify', 0);
				assert.equal(items.length, 4);
				assert.equal(
					messageOf(items[3]),
					'Item 4: the image in "front" ("Front Image Binary Field") is 0.19 MB; the node\'s limit ("Max Image Size (MB)") is 0.10 MB',
					JSON.stringify(items[3]),
				);
				const verifies = requests.filter((r) => r.route === 'verify');
				assert.equal(verifies.length, 3, 'only items 1 to 3 reached LINK');
			});
		});

		describe('link certificate', () => {
			it('a certified verification, then LINK Certificate (wait until ready) gives the PDF', async () => {
				const mark = env.mark();
				const execution = await env.execute('link-certificate');
				assertRan(execution);
				const verified = execution.json('LINK Verify', 0)[0];
				assert.equal(verified.vendorDetails.certificationStatus, 'Processing');
				const [item] = execution.items('LINK Certificate', 0);
				assert.equal(item.json.requestId, 'e2e-link-certificate');
				assert.equal(item.json.ready, true);
				const pdf = item.binary?.certificate;
				assert.ok(pdf, `no binary "certificate": ${JSON.stringify(item)}`);
				assert.equal(pdf.mimeType, 'application/pdf');
				assert.equal(pdf.fileName, 'e2e-link-certificate.pdf');
				if (pdf.data && !pdf.id)
					assert.equal(Buffer.from(pdf.data, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
				const downloads = env.requestsSince(mark, { vendor: 'link', route: 'certificate' });
				assert.ok(downloads.length >= 1);
				assert.equal(downloads[downloads.length - 1].status, 200);
				assert.ok(
					downloads.every((r) => r.auth === 'valid'),
					'downloaded with the bearer token',
				);
			});
		});
	},
);
