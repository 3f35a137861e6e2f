// A TCP proxy that makes loopback feel like a network with a round-trip time (RTT).
//
// A server-side setTimeout would only delay answers; a real network also charges for every new
// connection: the TCP handshake (1 RTT before the client may send) and the TLS handshake (1 RTT for
// TLS 1.3, 2 for 1.2) come before the request's own round trip. So the proxy sits in front of the
// sandbox's port and
//   - holds every byte a new connection sends for 1 RTT after accepting it (the TCP handshake), then
//   - delays every chunk by RTT/2 in each direction, in order (one way of the network).
// A request on a reused connection then costs ≈ 1 RTT; a new HTTPS connection ≈ 3 RTT (TCP + TLS 1.3
// + the request), a new plain HTTP one ≈ 2. TLS is end to end (the proxy forwards bytes, it never
// decrypts), so the handshake crosses the "network" exactly as with a real provider.
// Half-closes, resets (the sandbox's 'reset' / 'reset-after' faults) and backpressure are passed on.
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface LatencyProxyOptions {
	/** where the real server listens */
	targetHost: string;
	targetPort: number;
	/** round-trip time in ms (each direction gets half); changeable later with `setLatency` */
	latencyMs: number;
	/** interface and port to listen on (default 127.0.0.1, random port) */
	host?: string;
	port?: number;
}

export interface LatencyProxy {
	readonly port: number;
	/** current RTT in ms */
	readonly latencyMs: number;
	/** changes the RTT for chunks and connections from now on (0 = forward at once) */
	setLatency(ms: number): void;
	/** client connections accepted since start */
	readonly connections: number;
	close(): Promise<void>;
}

/** Stop reading a side when this much is queued for the other (bytes). */
const HIGH_WATER = 1024 * 1024;

/** One direction of a connection: chunks from `src` reach `dst` `oneWay()` ms later, in order. */
class DelayedPipe {
	private readonly queue: Array<{ due: number; chunk: Buffer }> = [];
	private queued = 0;
	private timer: NodeJS.Timeout | null = null;
	private lastDue = 0;
	private srcEnded = false;
	private paused = false;

	constructor(
		private readonly src: Socket,
		private readonly dst: Socket,
		private readonly oneWay: () => number,
		/** nothing is delivered before this time (performance.now() ms): the TCP handshake */
		private readonly notBefore: number,
	) {
		src.on('data', (chunk: Buffer) => this.push(chunk));
		src.on('end', () => {
			this.srcEnded = true;
			this.flush();
		});
		dst.on('drain', () => this.resume());
	}

	private push(chunk: Buffer): void {
		// Order is kept: a chunk never overtakes an earlier one, even when the RTT is lowered.
		// Bytes sent before the handshake is over leave once it is, then travel one way.
		const due = Math.max(Math.max(performance.now(), this.notBefore) + this.oneWay(), this.lastDue);
		this.lastDue = due;
		this.queue.push({ due, chunk });
		this.queued += chunk.length;
		if (this.queued > HIGH_WATER) this.pause();
		this.schedule();
	}

	private schedule(): void {
		if (this.timer !== null || this.queue.length === 0) return;
		const wait = this.queue[0].due - performance.now();
		if (wait <= 0.5) {
			this.flush();
			return;
		}
		this.timer = setTimeout(() => {
			this.timer = null;
			this.flush();
		}, wait);
	}

	private flush(): void {
		const now = performance.now() + 0.5; // timers fire on whole milliseconds
		let ok = true;
		while (this.queue.length > 0 && this.queue[0].due <= now) {
			const { chunk } = this.queue.shift() as { chunk: Buffer };
			this.queued -= chunk.length;
			if (this.dst.destroyed) break;
			ok = this.dst.write(chunk) && ok;
		}
		if (!ok) this.pause();
		else if (this.queued <= HIGH_WATER / 2) this.resume();
		if (this.queue.length === 0) {
			if (this.srcEnded && !this.dst.destroyed && !this.dst.writableEnded) this.dst.end();
			return;
		}
		this.schedule();
	}

	private pause(): void {
		if (this.paused) return;
		this.paused = true;
		this.src.pause();
	}

	private resume(): void {
		if (!this.paused || this.dst.writableNeedDrain || this.queued > HIGH_WATER / 2) return;
		this.paused = false;
		this.src.resume();
	}

	/** When the last chunk queued now would be delivered: a reset travels no faster than the data before it. */
	deliveredBy(): number {
		return Math.max(performance.now() + this.oneWay(), this.lastDue);
	}

	dispose(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
		this.queue.length = 0;
	}
}

function reset(socket: Socket): void {
	if (socket.destroyed) return;
	try {
		socket.resetAndDestroy();
	} catch {
		socket.destroy();
	}
}

export function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
	let latencyMs = options.latencyMs;
	let connections = 0;
	const oneWay = () => latencyMs / 2;
	const open = new Set<Socket>();

	const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
		connections++;
		const accepted = performance.now();
		const upstream = net.connect({
			host: options.targetHost,
			port: options.targetPort,
			allowHalfOpen: true,
			noDelay: true,
		});
		client.setNoDelay(true);
		open.add(client);
		open.add(upstream);
		// The client's first bytes wait for the TCP handshake (1 RTT) and then travel one way.
		const up = new DelayedPipe(client, upstream, oneWay, accepted + latencyMs);
		const down = new DelayedPipe(upstream, client, oneWay, 0);
		let done = false;
		const teardown = (from: Socket, to: Socket, pipe: DelayedPipe, hadError: boolean) => {
			if (done) return;
			if (!hadError) {
				// a clean close: both ends are finished once the other side has closed too
				if (client.destroyed && upstream.destroyed) finish();
				return;
			}
			done = true;
			// A reset reaches the other side after the data sent before it.
			const wait = Math.max(0, pipe.deliveredBy() - performance.now());
			setTimeout(() => {
				reset(to);
				reset(from);
				finish();
			}, wait).unref();
		};
		const finish = () => {
			up.dispose();
			down.dispose();
			open.delete(client);
			open.delete(upstream);
		};
		client.on('error', () => teardown(client, upstream, up, true));
		upstream.on('error', () => teardown(upstream, client, down, true));
		client.on('close', (hadError) => teardown(client, upstream, up, hadError));
		upstream.on('close', (hadError) => teardown(upstream, client, down, hadError));
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			const port = (server.address() as AddressInfo).port;
			resolve({
				port,
				get latencyMs() {
					return latencyMs;
				},
				setLatency(ms: number) {
					if (!(ms >= 0)) throw new Error(`latency must be >= 0 ms (got ${ms})`);
					latencyMs = ms;
				},
				get connections() {
					return connections;
				},
				close: () =>
					new Promise<void>((done) => {
						for (const s of open) s.destroy();
						open.clear();
						server.close(() => done());
					}),
			});
		});
	});
}
