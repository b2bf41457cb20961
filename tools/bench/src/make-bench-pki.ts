import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run$ = promisify(execFile);

/** A certificate and its private key, PEM. */
export interface Pem {
  readonly cert: string;
  readonly key: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate (`CN=bench-client`) it signed, P-256, made with openssl. */
export async function makeBenchPki(): Promise<{ ca: string; server: Pem; client: Pem }> {
  const directory = mkdtempSync(join(tmpdir(), 'memgate-bench-pki-'));
  const options = { cwd: directory };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run$('openssl', ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=bench CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], options);
  const issue = async (name: string, extension: string): Promise<Pem> => {
    writeFileSync(join(directory, `${name}.ext`), `${extension}\n`);
    await run$('openssl', ['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], options);
    await run$('openssl', ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.pem`, '-extfile', `${name}.ext`], options);
    return { cert: readFileSync(join(directory, `${name}.pem`), 'utf8'), key: readFileSync(join(directory, `${name}.key`), 'utf8') };
  };
  return { ca: readFileSync(join(directory, 'ca.pem'), 'utf8'), server: await issue('server', 'subjectAltName=IP:127.0.0.1'), client: await issue('bench-client', 'extendedKeyUsage=clientAuth') };
}
