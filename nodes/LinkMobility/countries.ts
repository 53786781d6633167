/**
 * The 249 officially assigned ISO 3166-1 alpha-2 country codes (as published in Debian's
 * iso-codes 4.15 and tzdata 2025b, which agree). LINK's `expeditorCountry` takes one of them.
 */
const ISO_3166_ALPHA2 = new Set(
	`
	AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE
	BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD
	CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
	DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF
	GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
	ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
	KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
	MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
	NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
	PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
	SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK
	TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
	VN VU WF WS YE YT ZA ZM ZW
`
		.trim()
		.split(/\s+/),
);

/** Frequent look-alikes that are not ISO codes (UK, and EL as used by the EU for Greece). */
const NOT_ISO: Record<string, string> = { UK: 'GB', EL: 'GR' };

export type CountryCheck = { code: string; valid: true } | { code: string; valid: false; hint: string };

/** Upper-cases and trims the input, and checks it against the ISO 3166-1 alpha-2 list. */
export function checkCountryCode(input: unknown): CountryCheck {
	const code = String(input ?? '').trim().toUpperCase();
	if (ISO_3166_ALPHA2.has(code)) return { code, valid: true };
	let hint = 'Use a two-letter ISO 3166-1 alpha-2 code, for example ES, PT, FR or GB.';
	if (NOT_ISO[code]) hint = `"${code}" is not an ISO code; the ISO code is ${NOT_ISO[code]}.`;
	else if (/^[A-Z]{3}$/.test(code)) hint = `"${code}" looks like a three-letter (alpha-3) code. ${hint}`;
	return { code, valid: false, hint };
}
