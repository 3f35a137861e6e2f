// A defect under test may start a wait of an hour (a Retry-After it should have refused). The case
// then fails on its own deadline; this keeps such a timer from holding the test process open after
// the run (a long timer no longer keeps the event loop alive). Timers of the code that behaves are
// short and unaffected.
const original = global.setTimeout;
global.setTimeout = function patchedSetTimeout(fn, ms, ...args) {
	const timer = original(fn, ms, ...args);
	if (Number(ms) > 20000 && timer && typeof timer.unref === 'function') timer.unref();
	return timer;
};
