/**
 * Reads a response body with an upper bound on its size, ending early (the connection is dropped)
 * when the bound is passed or `signal` aborts. A body n8n already decoded (a string, a Buffer, an
 * object) is measured as it is.
 */
export type BoundedBody =
	| { ok: true; body: Buffer | string | object | undefined }
	| { ok: false; reason: 'tooLarge' | 'aborted' | 'failed'; bytes: number };

const isStream = (value: unknown): value is AsyncIterable<Buffer> & { destroy?: () => void } =>
	!!value &&
	typeof value === 'object' &&
	!Buffer.isBuffer(value) &&
	typeof (value as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function';

/** Drops an unread body (a redirect's, a refused one's) so the connection is not held open. */
export function discardBody(body: unknown): void {
	if (isStream(body)) body.destroy?.();
}

export async function readBounded(
	body: unknown,
	limit: number,
	signal?: AbortSignal,
): Promise<BoundedBody> {
	if (!isStream(body)) {
		const bytes =
			typeof body === 'string' ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : 0;
		return bytes > limit
			? { ok: false, reason: 'tooLarge', bytes }
			: { ok: true, body: body as Buffer | string | object | undefined };
	}
	const chunks: Buffer[] = [];
	let bytes = 0;
	let aborted = signal?.aborted ?? false;
	const onAbort = () => {
		aborted = true;
		body.destroy?.();
	};
	signal?.addEventListener('abort', onAbort, { once: true });
	try {
		for await (const chunk of body) {
			if (aborted) break;
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			bytes += buffer.length;
			if (bytes > limit) {
				body.destroy?.();
				return { ok: false, reason: 'tooLarge', bytes };
			}
			chunks.push(buffer);
		}
	} catch {
		return { ok: false, reason: aborted ? 'aborted' : 'failed', bytes };
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
	if (aborted) return { ok: false, reason: 'aborted', bytes };
	return { ok: true, body: Buffer.concat(chunks) };
}
