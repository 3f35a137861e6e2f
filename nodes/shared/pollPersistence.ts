import type { IPollFunctions } from 'n8n-workflow';

/**
 * The longest workflow id whose static data every n8n 2.x saves. n8n writes a workflow's static
 * data (where the polling triggers keep their cursor) only when `isWorkflowIdValid(id)` holds: an id
 * of at most 16 characters in n8n 2.0 and 2.1, at most 21 in 2.41 (n8n pull request #24866). For any
 * other id the save is skipped without a word, the cursor lives in memory only, and every restart
 * of n8n starts the trigger over: "Start From: A Date" emits the records since that date again,
 * "Now" skips what changed while n8n was down. n8n generates ids of 16 characters; longer ones come
 * from workflows imported with their own id.
 */
export const MAX_SAVED_WORKFLOW_ID_LENGTH = 16;

const warned = new Set<string>();

/** The warning for a workflow id n8n may not save static data for, or undefined when it will. */
export function unsavedStateWarning(workflowId: string | undefined): string | undefined {
	if (workflowId === undefined || workflowId.length <= MAX_SAVED_WORKFLOW_ID_LENGTH)
		return undefined;
	return (
		`The workflow id "${workflowId}" has ${workflowId.length} characters: n8n 2.0 and 2.1 save static data ` +
		`only for ids of at most ${MAX_SAVED_WORKFLOW_ID_LENGTH} characters (n8n 2.41: 21), so this polling ` +
		'trigger may lose its cursor on every restart and emit records again. Re-import the workflow ' +
		'without an id (n8n then generates one) or with an id of at most 16 characters.'
	);
}

/** Logs {@link unsavedStateWarning} once per workflow while n8n runs. */
export function warnIfStateNotSaved(ctx: IPollFunctions): void {
	const workflowId = typeof ctx.getWorkflow === 'function' ? ctx.getWorkflow().id : undefined;
	const warning = unsavedStateWarning(workflowId);
	if (!warning || warned.has(workflowId as string)) return;
	warned.add(workflowId as string);
	ctx.logger?.warn(warning, { workflowId, node: ctx.getNode().name });
}
