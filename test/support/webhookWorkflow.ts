// A webhook test context's workflow. In n8n one workflow has one static data object, so a test that
// reuses a static data object is the same workflow (and the triggers' per-process replay memory,
// keyed by workflow and node, carries over), while a fresh one is a new workflow.
const workflows = new WeakMap<object, { id: string; name: string }>();
let next = 0;

export function workflowOf(staticData: object): { id: string; name: string } {
	let workflow = workflows.get(staticData);
	if (!workflow)
		workflows.set(
			staticData,
			(workflow = { id: `test-workflow-${++next}`, name: 'Test workflow' }),
		);
	return workflow;
}
