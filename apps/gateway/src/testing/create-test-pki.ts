import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its key, as PEM file paths and contents. */
export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  readonly key: string;
}

/** A throw-away PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1, and a CRL. */
export interface TestPki {
  readonly directory: string;
  readonly ca: TestCertificate;
  readonly server: TestCertificate;
  /** Path of the CA's current revocation list. */
  readonly crlPath: string;
  /** Issues a client certificate for `commonName`, valid from `notBefore` to `notAfter` (default: an hour ago to a day from now). */
  issueClient(commonName: string, validity?: { notBefore?: Date; notAfter?: Date }): Promise<TestCertificate>;
  /** Revokes a certificate this CA issued and rewrites the CRL. */
  revoke(certificate: TestCertificate): Promise<void>;
  /** A self-signed certificate for `commonName`, signed by no CA the gateway trusts. */
  selfSigned(commonName: string): Promise<TestCertificate>;
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
/** openssl ca's date format: YYYYMMDDHHMMSSZ. */
const opensslDate = (date: Date): string => date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

function caConfig(directory: string): string {
  return `[ca]
default_ca = test_ca
[test_ca]
dir = ${directory}
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
default_crl_days = 1
policy = any_name
unique_subject = no
[any_name]
commonName = supplied
[client]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = clientAuth
[server]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
`;
}

const load = (directory: string, name: string): TestCertificate => {
  const certPath = join(directory, `${name}.pem`);
  const keyPath = join(directory, `${name}.key`);
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
};

/** Creates a fresh PKI in a temporary directory (needs the `openssl` CLI). */
export async function createTestPki(): Promise<TestPki> {
  const directory = mkdtempSync(join(tmpdir(), 'memgate-pki-'));
  const config = join(directory, 'ca.cnf');
  writeFileSync(config, caConfig(directory));
  writeFileSync(join(directory, 'index.txt'), '');
  writeFileSync(join(directory, 'serial'), '1000\n');
  writeFileSync(join(directory, 'crlnumber'), '1000\n');
  const crlPath = join(directory, 'crl.pem');
  const inDirectory = { cwd: directory };
  await run('openssl', ['req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=memgate test client CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], inDirectory);

  const issue = async (name: string, extensions: 'client' | 'server', notBefore = new Date(Date.now() - 3600_000), notAfter = new Date(Date.now() + 86_400_000)): Promise<TestCertificate> => {
    await run('openssl', ['req', '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], inDirectory);
    await run('openssl', ['ca', '-batch', '-notext', '-config', config, '-extensions', extensions, '-in', `${name}.csr`, '-out', `${name}.pem`, '-startdate', opensslDate(notBefore), '-enddate', opensslDate(notAfter)], inDirectory);
    return load(directory, name);
  };
  const writeCrl = async (): Promise<void> => void (await run('openssl', ['ca', '-gencrl', '-config', config, '-out', crlPath], inDirectory));

  const server = await issue('gateway', 'server');
  await writeCrl();
  return {
    directory,
    ca: load(directory, 'ca'),
    server,
    crlPath,
    issueClient: (commonName, validity = {}) => issue(commonName, 'client', validity.notBefore, validity.notAfter),
    async revoke(certificate) {
      await run('openssl', ['ca', '-config', config, '-revoke', certificate.certPath], inDirectory);
      await writeCrl();
    },
    async selfSigned(commonName) {
      const name = `self-${commonName}`;
      await run('openssl', ['req', '-x509', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', `/CN=${commonName}`, '-addext', 'extendedKeyUsage=clientAuth'], inDirectory);
      return load(directory, name);
    },
  };
}
