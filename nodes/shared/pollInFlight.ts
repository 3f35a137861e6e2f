/**
 * One poll per workflow and trigger node at a time, in this n8n instance. n8n starts a poll on every
 * tick of each Poll Times entry without waiting for the previous one (n8n 2.1:
 * `ScheduledTaskManager.registerCron` calls the poll unawaited), so a poll slower than the interval
 * (a Percipio report being generated, a long backlog, rate-limit waits), or two entries that fall
 * on the same second, would run side by side: both read the same cursor, and both would emit the
 * same records. A tick that finds a poll still running is skipped: the cursor has not moved, so the
 * next tick reads what it would have read.
 */
const running = new Map<string, number>();

/** A poll running longer than this is taken as lost (its promise never settled) and no longer blocks. */
export const STALE_POLL_MS = 30 * 60_000;

/** Runs `poll` unless a poll with the same key is running; then answers `busy` without calling it. */
export async function exclusivePoll<T>(
	key: string,
	now: number,
	poll: () => Promise<T>,
	busy: T,
): Promise<T> {
	const since = running.get(key);
	if (since !== undefined && now - since < STALE_POLL_MS) return busy;
	running.set(key, now);
	try {
		return await poll();
	} finally {
		// a stale poll finishing late must not release the newer poll's hold
		if (running.get(key) === now) running.delete(key);
	}
}
