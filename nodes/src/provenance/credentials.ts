/**
 * The key and certificates exports are signed with.
 *
 * - `REELGRAPH_C2PA_CERT` and `REELGRAPH_C2PA_KEY` name PEM files: the
 *   certificate chain (signing certificate first, then its issuers) and its
 *   private key (PKCS#8 or SEC1; EC P-256/P-384/P-521 or Ed25519). Set both or
 *   neither.
 * - Otherwise the engine makes its own on first use under
 *   `<data dir>/provenance/local-signer/`: an ECDSA P-256 key (`key.pem`, mode
 *   0600) and a chain (`chain.pem`) of a signing certificate issued by a
 *   local CA made for it. C2PA refuses a self-signed signing certificate, so
 *   there are two; the CA's key signs once and is never written down.
 *   Validators verify the signature but report the signer as untrusted
 *   (`signingCredential.untrusted`): no trust list holds this CA.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, verify, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exists, publishFolder, TargetExistsError, temporarySibling } from '../media/publish.ts';
import type { C2paAlgorithm } from './cose.ts';
import * as der from './der.ts';

export const CERT_ENV = 'REELGRAPH_C2PA_CERT';
export const KEY_ENV = 'REELGRAPH_C2PA_KEY';

/** Where the engine keeps its own signer, relative to the data dir. */
export const LOCAL_SIGNER_DIR = path.join('provenance', 'local-signer');

export interface SigningCredentials {
  algorithm: C2paAlgorithm;
  key: KeyObject;
  /** DER certificates, the signing certificate first. */
  chain: Uint8Array[];
  /** Where they came from, for messages: the env variables or the local signer folder. */
  source: string;
}

/** The signer: the user's own when the env variables name one, else the engine's (made now when missing). */
export async function loadSigningCredentials(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<SigningCredentials> {
  const certFile = env[CERT_ENV];
  const keyFile = env[KEY_ENV];
  if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new Error(`Set both ${CERT_ENV} (certificate chain, PEM) and ${KEY_ENV} (private key, PEM), or neither.`);
    return credentialsFrom(await readFile(certFile, 'utf8'), await readFile(keyFile, 'utf8'), `${CERT_ENV}=${certFile}`);
  }
  const folder = path.join(dataDir, LOCAL_SIGNER_DIR);
  if (!(await exists(folder))) await createLocalSigner(folder);
  return credentialsFrom(await readFile(path.join(folder, 'chain.pem'), 'utf8'), await readFile(path.join(folder, 'key.pem'), 'utf8'), folder);
}

function credentialsFrom(chainPem: string, keyPem: string, source: string): SigningCredentials {
  const chain = [...chainPem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(new NodeCertificate(m[0]).raw));
  if (chain.length === 0) throw new Error(`${source}: no certificate in the PEM file.`);
  const key = createPrivateKey(keyPem);
  const algorithm = algorithmOf(key, source);
  const leaf = new NodeCertificate(chain[0]!);
  // A key of another certificate would sign manifests no validator accepts: say so now.
  const probe = Buffer.from('reelgraph key check');
  const hash = algorithm === 'ed25519' ? null : 'sha256';
  if (!verify(hash, probe, leaf.publicKey, sign(hash, probe, key))) {
    throw new Error(`${source}: the private key does not belong to the first certificate of the chain.`);
  }
  return { algorithm, key, chain, source };
}

function algorithmOf(key: KeyObject, source: string): C2paAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'es256';
    if (curve === 'secp384r1') return 'es384';
    if (curve === 'secp521r1') return 'es512';
  }
  throw new Error(`${source}: the key must be EC P-256, P-384, P-521 or Ed25519 (not ${key.asymmetricKeyType}).`);
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
};

/**
 * Makes the local signer in `folder` (written under a temporary name and
 * renamed, so two exports racing on first use end with one whole signer).
 */
export async function createLocalSigner(folder: string): Promise<void> {
  await mkdir(path.dirname(folder), { recursive: true, mode: 0o700 });
  const temp = temporarySibling(folder);
  try {
    await mkdir(temp, { mode: 0o700 });
    const { keyPem, chainPem } = makeLocalSigner();
    await writeFile(path.join(temp, 'key.pem'), keyPem, { mode: 0o600 });
    // The mode given to writeFile is masked by the umask; the key must be 0600 whatever it is.
    await chmod(path.join(temp, 'key.pem'), 0o600);
    await writeFile(path.join(temp, 'chain.pem'), chainPem, { mode: 0o644 });
    await publishFolder(temp, folder);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof TargetExistsError) return; // another export made it first: use that one
    throw error;
  }
}

/**
 * A P-256 signing key, its certificate and the local CA that issued it, as
 * C2PA's certificate profile asks (§14.5.1; c2pa-rs checks it): the signing
 * certificate is not self-signed, has digitalSignature key usage (critical),
 * the emailProtection extended key usage and an authority key identifier;
 * the CA has a subject key identifier.
 */
export function makeLocalSigner(now = new Date()): { keyPem: string; chainPem: string } {
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + 10 * YEAR_MS);
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = name('Reelgraph local CA (untrusted)');
  const caKeyId = keyId(ca.publicKey);
  const caCert = certificate({
    issuer: caName,
    subject: caName,
    subjectKey: ca.publicKey,
    issuerKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, der.sequence(der.boolean(true), der.integer(0))),
      // keyCertSign (bit 5) and cRLSign (bit 6).
      extension(OID.keyUsage, true, der.bitString(Uint8Array.of(0x06), 1)),
      extension(OID.subjectKeyId, false, der.octetString(caKeyId)),
    ],
  });
  const signerCert = certificate({
    issuer: caName,
    subject: name('Reelgraph local signer'),
    subjectKey: signer.publicKey,
    issuerKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, der.sequence()),
      // digitalSignature (bit 0).
      extension(OID.keyUsage, true, der.bitString(Uint8Array.of(0x80), 7)),
      extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.emailProtection))),
      extension(OID.subjectKeyId, false, der.octetString(keyId(signer.publicKey))),
      extension(OID.authorityKeyId, false, der.sequence(der.implicit(0, caKeyId))),
    ],
  });
  return {
    keyPem: signer.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    chainPem: `${pem(signerCert)}${pem(caCert)}`,
  };
}

function name(commonName: string): Uint8Array {
  return der.sequence(
    der.set(der.sequence(der.oid(OID.commonName), der.utf8String(commonName))),
    der.set(der.sequence(der.oid(OID.organization), der.utf8String('Reelgraph'))),
  );
}

function keyId(key: KeyObject): Uint8Array {
  return new Uint8Array(createHash('sha1').update(key.export({ format: 'der', type: 'spki' })).digest());
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function certificate(options: {
  issuer: Uint8Array;
  subject: Uint8Array;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Uint8Array[];
}): Uint8Array {
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(new Uint8Array(serial)),
    algorithm,
    options.issuer,
    der.sequence(der.time(options.notBefore), der.time(options.notAfter)),
    options.subject,
    new Uint8Array(options.subjectKey.export({ format: 'der', type: 'spki' })),
    der.explicit(3, der.sequence(...options.extensions)),
  );
  const signature = new Uint8Array(sign('sha256', tbs, options.issuerKey));
  return der.sequence(tbs, algorithm, der.bitString(signature));
}

function pem(cert: Uint8Array): string {
  const base64 = Buffer.from(cert).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}
