// A local certificate authority and a server certificate signed by it, cached on disk so clients can trust the CA
// (never by turning verification off). Certificates are generated, never committed.
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  caCert: string;
  caCertFile: string;
  cert: string;
  key: string;
}

const CA_YEARS = 5;
const SERVER_DAYS = 365;

function newKeyPair(): {
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  privatePem: string;
} {
  // Node's native RSA generation is far faster than forge's pure-JS one.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey,
    privatePem,
  };
}

function serial(): string {
  // Positive, 16 random bytes.
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

function createCa(): { cert: string; key: string } {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + CA_YEARS * 365 * 86_400_000);
  const attrs = [
    { name: 'commonName', value: 'Tenant Desk local tenant CA' },
    { name: 'organizationName', value: 'Tenant Desk (local, untrusted outside tests)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.privatePem };
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function createServerCert(ca: { cert: string; key: string }, hosts: string[]): { cert: string; key: string } {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key) as forge.pki.rsa.PrivateKey;
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + SERVER_DAYS * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.privatePem };
}

function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
}

function stillValid(pem: string, minDays: number): boolean {
  try {
    const cert = forge.pki.certificateFromPem(pem);
    return cert.validity.notAfter.getTime() - Date.now() > minDays * 86_400_000;
  } catch {
    return false;
  }
}

export function defaultCertDir(): string {
  return join(tmpdir(), 'tenant-desk-emulator');
}

/** Loads the cached CA and server certificate for these hosts, or generates them. */
export function loadOrCreateTls(certDir: string, hosts: string[]): TlsMaterial {
  const dir = resolve(certDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertFile = join(dir, 'ca.pem');
  const caKeyFile = join(dir, 'ca-key.pem');
  let ca: { cert: string; key: string };
  if (existsSync(caCertFile) && existsSync(caKeyFile) && stillValid(readFileSync(caCertFile, 'utf8'), 30)) {
    ca = { cert: readFileSync(caCertFile, 'utf8'), key: readFileSync(caKeyFile, 'utf8') };
  } else {
    ca = createCa();
    writeAtomic(caKeyFile, ca.key);
    writeAtomic(caCertFile, ca.cert);
  }
  const uniqueHosts = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])];
  const tag = createHash('sha256').update(ca.cert).update(uniqueHosts.join(',')).digest('hex').slice(0, 16);
  const certFile = join(dir, `server-${tag}.pem`);
  const keyFile = join(dir, `server-${tag}-key.pem`);
  let server: { cert: string; key: string };
  if (existsSync(certFile) && existsSync(keyFile) && stillValid(readFileSync(certFile, 'utf8'), 7)) {
    server = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } else {
    server = createServerCert(ca, uniqueHosts);
    writeAtomic(keyFile, server.key);
    writeAtomic(certFile, server.cert);
  }
  return { caCert: ca.cert, caCertFile, cert: server.cert, key: server.key };
}
