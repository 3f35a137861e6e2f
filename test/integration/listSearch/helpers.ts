import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
} from 'n8n-workflow';

import { createLoadOptionsContext } from '../../support/loadOptionsContext';

export type ListMethod = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

/** Request Options that fail fast in error tests. */
export const FAST = {
	requestOptions: { maxAttempts: 2, maxRetryWaitSeconds: 2, requestsPerMinute: -1 },
};

export function lister(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	parameters: IDataObject = FAST,
) {
	const test = createLoadOptionsContext({ credentials, parameters });
	return {
		...test,
		call: async (method: ListMethod, filter?: string, token?: string) =>
			await method.call(test.ctx, filter, token),
		/** Every page, following paginationToken to the end (bounded). */
		all: async (method: ListMethod, filter?: string) => {
			const pages: INodeListSearchResult[] = [];
			let token: string | undefined;
			do {
				const page = await method.call(test.ctx, filter, token);
				pages.push(page);
				token = page.paginationToken;
			} while (token && pages.length < 50);
			return pages;
		},
	};
}

export const values = (pages: INodeListSearchResult[]) =>
	pages.flatMap((p) => p.results.map((r) => String(r.value)));

/** The error a list method rejects with, with what n8n's editor shows (message, description). */
export async function listError(
	promise: Promise<unknown>,
): Promise<Error & { description?: string; httpCode?: string }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected the list search to fail');
}
