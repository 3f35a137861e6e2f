import { isTokenFailure } from '../../nodes/shared/tokenManager';
import type { AccessToken, TokenFailure, TokenResult } from '../../nodes/shared/types';

/** The failure a token function returned; fails the test when it returned a token. */
export async function failureOf(result: TokenResult | Promise<TokenResult>): Promise<TokenFailure> {
	const value = await result;
	if (!isTokenFailure(value)) throw new Error('expected a token failure, got a token');
	return value;
}

/** The token a token function returned; fails the test (with the reason) when it returned a failure. */
export async function tokenOf(result: TokenResult | Promise<TokenResult>): Promise<AccessToken> {
	const value = await result;
	if (isTokenFailure(value)) throw new Error(`expected a token, got: ${value.message}`);
	return value;
}
