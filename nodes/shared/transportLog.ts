import type { Redactor } from './redact';
import type { TransportContext } from './types';

/** What every transport log line carries. Never a URL (a query can hold Moodle's `wstoken`), a body or a header. */
export interface LogFields {
	provider: string;
	host: string;
	method: string;
	status?: number;
	attempt?: number;
	waitMs?: number;
	reason?: string;
}

/**
 * The transport's lines in n8n's log: retries, waits, token requests and renewals at debug level, a
 * request that gives up at warn. Messages are built from the fields above only, and redacted anyway.
 */
export class TransportLog {
	constructor(
		private readonly ctx: Pick<TransportContext, 'logger'>,
		private readonly redactor: Redactor,
	) {}

	debug(event: string, fields: LogFields): void {
		this.write('debug', event, fields);
	}

	warn(event: string, fields: LogFields): void {
		this.write('warn', event, fields);
	}

	private write(level: 'debug' | 'warn', event: string, fields: LogFields): void {
		const logger = this.ctx.logger;
		if (!logger) return;
		const parts = [`${fields.provider}: ${event}`, `${fields.method} ${fields.host}`];
		if (fields.status !== undefined) parts.push(`HTTP ${fields.status}`);
		if (fields.attempt !== undefined) parts.push(`attempt ${fields.attempt}`);
		if (fields.waitMs !== undefined) parts.push(`wait ${fields.waitMs} ms`);
		if (fields.reason) parts.push(fields.reason);
		const meta = this.redactor.value({ ...fields }) as object;
		logger[level](this.redactor.text(parts.join(', ')), meta);
	}
}
