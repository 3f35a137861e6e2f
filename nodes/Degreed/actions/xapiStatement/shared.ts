import type { INode } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';
import { joinUrl, pathProblem } from '../../../shared/urls';
import { XAPI_VERSION } from '../../../shared/xapi';
import type { DegreedClient } from '../../transport/client';

export const DEFAULT_STATEMENTS_PATH = '/xAPI/statements';

export const xapiHeaders = { 'X-Experience-API-Version': XAPI_VERSION };

/** The statements resource on the API host (outside /api/v2); the path is an option because POST is not documented. */
export function statementsUrl(node: INode, client: DegreedClient, path: unknown): string {
	const value = String(path ?? '').trim() || DEFAULT_STATEMENTS_PATH;
	const problem = pathProblem(value);
	if (problem)
		throw inputError(
			node,
			`"Statements Path" must be a path such as ${DEFAULT_STATEMENTS_PATH}: it ${problem}`,
		);
	return joinUrl(client.hosts.apiBaseUrl, value);
}
