// A throwaway certificate authority and server certificate for `startSandbox({ tls: true })`.
//
// Made at start with the machine's `openssl` (no native npm dependency, no key material in the repo):
// a CA certificate (CA:TRUE) and a leaf certificate it signs for localhost / 127.0.0.1 / ::1 (plus any
// names asked for). Clients trust the CA, never the leaf, so the chain is verified as a real one would be:
//   n8n (another process):  NODE_EXTRA_CA_CERTS=<caPath>
//   undici in-process:      new Agent({ connect: { ca: sandbox.tls.ca } })
// EC P-256 keys: generating them takes milliseconds, and the handshake is as cheap as a real provider's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';

export interface SandboxTlsFiles {
	/** folder holding the files below; removed by `dispose()` (the sandbox's close()) */
	readonly dir: string;
	/** PEM of the CA that signed the server certificate: what clients trust (NODE_EXTRA_CA_CERTS) */
	readonly caPath: string;
	readonly ca: string;
	/** PEM of the server certificate (leaf) and its key, as the server presents them */
	readonly certPath: string;
	readonly cert: string;
	readonly keyPath: string;
	readonly key: string;
	/** DNS names and IP addresses in the certificate's subjectAltName */
	readonly altNames: readonly string[];
	dispose(): void;
}

function openssl(args: string[], cwd: string): void {
	try {
		execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
	} catch (e) {
		const err = e as Error & { code?: string; stderr?: Buffer };
		if (err.code === 'ENOENT')
			throw new Error(
				'startSandbox({ tls: true }) needs the openssl command (apt-get install openssl), or pass https: { key, cert } yourself',
			);
		throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString().trim() || err.message}`);
	}
}

/** Creates a CA and a server certificate for `names` (default: localhost, 127.0.0.1, ::1) in a fresh temp folder. */
export function createSandboxTls(names: readonly string[] = []): SandboxTlsFiles {
	const altNames = [...new Set(['localhost', '127.0.0.1', '::1', ...names])];
	const dir = mkdtempSync(join(tmpdir(), 'lp-sandbox-tls-'));
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(
		[
			'req',
			'-x509',
			...ec,
			'-keyout',
			'ca.key',
			'-out',
			'ca.pem',
			'-days',
			'30',
			'-subj',
			'/CN=Learning platforms sandbox CA',
			'-addext',
			'basicConstraints=critical,CA:TRUE',
			'-addext',
			'keyUsage=critical,keyCertSign,cRLSign',
		],
		dir,
	);
	openssl(
		['req', ...ec, '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost'],
		dir,
	);
	const san = altNames.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
	writeFileSync(
		join(dir, 'server.ext'),
		`basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
	);
	openssl(
		[
			'x509',
			'-req',
			'-in',
			'server.csr',
			'-CA',
			'ca.pem',
			'-CAkey',
			'ca.key',
			'-CAcreateserial',
			'-out',
			'cert.pem',
			'-days',
			'30',
			'-extfile',
			'server.ext',
		],
		dir,
	);
	// The CA's private key is not needed any more: nothing else can be signed with it.
	rmSync(join(dir, 'ca.key'));
	const caPath = join(dir, 'ca.pem');
	const certPath = join(dir, 'cert.pem');
	const keyPath = join(dir, 'key.pem');
	return {
		dir,
		caPath,
		ca: readFileSync(caPath, 'utf8'),
		certPath,
		cert: readFileSync(certPath, 'utf8'),
		keyPath,
		key: readFileSync(keyPath, 'utf8'),
		altNames,
		dispose: () => rmSync(dir, { recursive: true, force: true }),
	};
}
