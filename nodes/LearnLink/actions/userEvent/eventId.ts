import { createHash, randomUUID } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The identity of one send: the workflow, the execution, the node, the node's run and the item.
 * A transport retry resends the body it built once, and n8n's "Retry On Fail" re-runs the node in
 * the same run, so both carry the same id; a new item, a new execution or another run of the node
 * (a loop) is a new event with a new id, even when its type and user fields equal an earlier one's
 * (join → suspend → join, or a field set back to an earlier value). Undefined where n8n does not
 * say (a bare test context): the caller then uses a random id.
 */
function sendIdentity(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	try {
		const executionId = ctx.getExecutionId();
		if (!executionId) return undefined;
		const runIndex = ctx.getWorkflowDataProxy(itemIndex).$thisRunIndex;
		return JSON.stringify([
			ctx.getWorkflow().id ?? '',
			executionId,
			ctx.getNode().id ?? ctx.getNode().name,
			Number(runIndex) || 0,
			itemIndex,
		]);
	} catch {
		return undefined;
	}
}

/** A UUID-shaped (version 5 layout) id from a hash of the text. */
export function uuidFromText(text: string): string {
	const h = createHash('sha256').update(text).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The id of one lifecycle event sent now: derived from this send's identity (plus the event type and
 * user reference, so two n8n instances that share execution numbers cannot collide), else random.
 * Never derived from the event's content alone: a receiver that ignores repeated ids would drop a
 * legitimate repeat of the same content.
 */
export function lifecycleEventIdFor(
	ctx: IExecuteFunctions,
	itemIndex: number,
	eventType: string,
	ref: string,
): string {
	const identity = sendIdentity(ctx, itemIndex);
	return identity === undefined
		? randomUUID()
		: uuidFromText(JSON.stringify([identity, eventType, ref]));
}
