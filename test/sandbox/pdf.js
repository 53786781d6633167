'use strict';
/**
 * Builds a small but real PDF 1.4 (one A4 page, Helvetica text, exact xref offsets), so that a
 * node which stores or forwards LINK's certificate gets a file PDF readers open, and tests can
 * find the request id in its text (the content stream is not compressed).
 */

/** PDF string literal: Latin-1 text with \ ( ) escaped; other characters become '?'. */
function pdfString(text) {
	const latin1 = String(text).replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
	return `(${latin1.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function pdfDate(date) {
	const p = (n) => String(n).padStart(2, '0');
	return `D:${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
}

/** buildPdf({ title, lines: string[], date? }) -> Buffer */
function buildPdf({ title, lines = [], date = new Date() }) {
	const content = [
		'BT',
		'/F1 18 Tf',
		'50 780 Td',
		`${pdfString(title)} Tj`,
		'/F1 11 Tf',
		'0 -30 Td',
		...lines.flatMap((line, i) =>
			i === 0 ? [`${pdfString(line)} Tj`] : ['0 -16 Td', `${pdfString(line)} Tj`],
		),
		'ET',
	].join('\n');
	const contentBytes = Buffer.from(content, 'latin1');

	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		null, // the content stream, written below
		`<< /Title ${pdfString(title)} /Producer (n8n-nodes-kyc vendor sandbox) /CreationDate (${pdfDate(date)}) >>`,
	];

	const chunks = [];
	let length = 0;
	const push = (data) => {
		const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
		chunks.push(buf);
		length += buf.length;
	};
	// The binary comment line tells transfer tools the file is binary (PDF spec 7.5.2).
	push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(length);
		push(`${i + 1} 0 obj\n`);
		if (body === null) {
			push(`<< /Length ${contentBytes.length} >>\nstream\n`);
			push(contentBytes);
			push('\nendstream\n');
		} else {
			push(`${body}\n`);
		}
		push('endobj\n');
	});
	const xrefAt = length;
	// Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, EOL.
	push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
	for (const off of offsets) push(`${String(off).padStart(10, '0')} 00000 n \n`);
	push(
		`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`,
	);
	return Buffer.concat(chunks, length);
}

/** The LINK certification PDF for one verification request. */
function certificatePdf({ id, result, person, certifiedAt = new Date() }) {
	const lines = [
		`Request id: ${id}`,
		`Certified at: ${certifiedAt.toISOString()}`,
		`Identity verification result: ${result}`,
	];
	if (person) {
		lines.push(`Holder: ${person.fullName}`);
		lines.push(
			`Document: ${person.documentType} ${person.documentNumber} (${person.countryCodeOfIssuance})`,
		);
	}
	lines.push('Issued by the n8n-nodes-kyc vendor sandbox. Not a real certificate.');
	return buildPdf({
		title: 'LINK Mobility KYC - Certificate of identity verification',
		lines,
		date: certifiedAt,
	});
}

module.exports = { buildPdf, certificatePdf };
