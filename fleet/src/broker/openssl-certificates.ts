import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CertificateAuthorityFiles {
  caCertFile: string;
  caKeyFile: string;
}

export interface KeyPairFiles {
  certFile: string;
  keyFile: string;
}

/**
 * Certificates made by the openssl command (as an operator would), for the broker's TLS listener in tests and on a
 * single machine. EC P-256 keys: quick to make and accepted by Mosquitto and Node alike. Short validity on purpose.
 */
export function makeCertificateAuthority(dir: string, commonName: string, days = 30): CertificateAuthorityFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKeyFile = join(dir, `${fileName(commonName)}.key`);
  const caCertFile = join(dir, `${fileName(commonName)}.crt`);
  // prettier-ignore
  openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', caKeyFile, '-out', caCertFile, '-days', String(days), '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { caCertFile, caKeyFile };
}

/**
 * A certificate signed by the CA: for the broker (with subjectAltNames the clients check, e.g. `IP:127.0.0.1`) or
 * for a client (its common name, e.g. the site id).
 */
export function makeSignedCertificate(
  dir: string,
  ca: CertificateAuthorityFiles,
  commonName: string,
  options: { subjectAltNames?: string[]; days?: number } = {},
): KeyPairFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = join(dir, fileName(commonName));
  const keyFile = `${base}.key`;
  const certFile = `${base}.crt`;
  const csrFile = `${base}.csr`;
  const extFile = `${base}.ext`;
  const extensions = ['basicConstraints=CA:FALSE'];
  if (options.subjectAltNames?.length) extensions.push(`subjectAltName=${options.subjectAltNames.join(',')}`);
  writeFileSync(extFile, `${extensions.join('\n')}\n`);
  // prettier-ignore
  openssl([
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', csrFile, '-subj', `/CN=${commonName}`,
  ]);
  // prettier-ignore
  openssl([
    'x509', '-req', '-in', csrFile, '-CA', ca.caCertFile, '-CAkey', ca.caKeyFile, '-CAcreateserial',
    '-out', certFile, '-days', String(options.days ?? 30), '-extfile', extFile,
  ]);
  return { certFile, keyFile };
}

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`openssl could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}

function fileName(commonName: string): string {
  return commonName.replace(/[^A-Za-z0-9_.-]/g, '_');
}
