import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret a LINK Trigger's callback URL carries (`?token=`). Kept in a credential so that n8n
 * stores it encrypted, not in the workflow, its exports or its executions. The LINK Trigger
 * tests it (`testedBy`): LINK has no endpoint to check it against.
 */
export class LinkMobilityCallbackApi implements ICredentialType {
	name = 'linkMobilityCallbackApi';

	displayName = 'LINK Mobility Callback API';

	icon = { light: 'file:../icons/link.svg', dark: 'file:../icons/link.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-kyc/n8n-nodes-kyc#link-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Token',
			name: 'secretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"A secret that LINK's callbacks must carry in their URL as <code>?token=…</code>: at least 16 characters, letters, digits and <code>-._~</code> only (so that it needs no encoding in a URL)",
		},
	];
}
