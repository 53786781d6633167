import { resetTokenStore } from '../nodes/shared/tokenCredential';

// The token store lives for the whole process, as in n8n: each test starts with none.
afterEach(() => resetTokenStore());
