import nock from 'nock';
import { ApptenticateApi } from '../../../credentials/ApptenticateApi.credentials';
import type { CredentialSetup } from '../../helpers/fakeN8n';
import { sentRequests } from '../../helpers/fakeN8n';

export const BASE = 'https://apptenticate.test';

export function apptenticateCredential(accessToken = ''): CredentialSetup {
	return {
		type: new ApptenticateApi(),
		data: { baseUrl: `${BASE}/`, username: 'ops', password: 's3cret-pass', accessToken },
	};
}

/** Seed 000's Panamanian ID answer with transaction id. */
export const PANAMA_ID_ANSWER = {
	document_number: 'E-8-123456',
	names: 'Sofia Maria',
	surnames: 'Lopez Contreras',
	gender: 'F',
	birth_country: 'VENEZUELA',
	birth_date: '10-10-1994',
	nationality: 'VENEZOLANA',
	issuing_date: '12-08-2022',
	expiration_date: '12-08-2032',
	valid: true,
	id: 281234,
};

/** A Mexican voter-card number (clave de elector), not a secret. */
const SEED_PERSON_ELECTOR_CODE = 'GLRJNC90031512H400';

/** Seed 001's INE answer with side validation. */
export const INE_SIDES_ANSWER = {
	backside: {
		document_type: 'INE',
		country_code: 'MEX',
		document_number: '1234567890123',
		citizen_id: '137438414',
		cic: '345636022',
		birth_date: '15-03-1990',
		gender: 'Male',
		expiration_date: '2025-12-31',
		name: 'JUAN CARLOS',
		surname: 'GARCIA LOPEZ',
	},
	frontside: {
		name: 'JUAN CARLOS',
		surname: 'GARCIA LOPEZ',
		address: 'CALLE REFORMA 123 COL CENTRO',
		CURP: 'GALJ900315HDFRPN01',
		elector_key: SEED_PERSON_ELECTOR_CODE,
		validity_period: '2024-2034',
		date_of_birth: '15-03-1990',
		document_type: 'INE',
		section: '1234',
		gender: 'Male',
		emission_number: '12',
	},
	matches_percentage: 85.5,
	match: true,
	valid: true,
};

export function tokenEndpoint(times = 1, access = 'jwt-1') {
	return nock(BASE).post('/api/token/').times(times).reply(200, { refresh: 'refresh-1', access });
}

export const requestsTo = (path: string) =>
	sentRequests.filter((request) => request.url.pathname === path);

export function resetHttp() {
	nock.cleanAll();
	sentRequests.length = 0;
}
