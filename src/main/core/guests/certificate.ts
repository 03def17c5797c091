import 'reflect-metadata';
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { SecretVault } from '../settings/secret-vault';

/** The vault entry holding the guest server's certificate and private key (one JSON value). */
const VAULT_NAME = 'guests:tls';
/** A new certificate lasts a year; one with less than a week left is made anew. */
const VALID_DAYS = 365;
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

export interface GuestCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, `AA:BB:…`, as a browser's certificate viewer shows it. */
  fingerprint: string;
}

interface Stored {
  cert: string;
  key: string;
  address: string;
}

/**
 * The guest server's self-signed certificate (ECDSA P-256) for the address it listens on. Made
 * by the studio itself on first use and kept in the secret vault, so its fingerprint stays the
 * same across restarts (a guest who accepted it once is not warned again).
 */
export async function guestCertificate(vault: SecretVault, address: string, now: () => number = Date.now): Promise<GuestCertificate> {
  const stored = await readStored(vault);
  if (stored && stored.address === address) {
    const parsed = new NodeX509(stored.cert);
    if (Date.parse(parsed.validTo) - now() > RENEW_BEFORE_MS) return { cert: stored.cert, key: stored.key, fingerprint: parsed.fingerprint256 };
  }
  const made = await makeCertificate(address, now());
  await vault.put(VAULT_NAME, JSON.stringify({ ...made, address } satisfies Stored));
  return { ...made, fingerprint: new NodeX509(made.cert).fingerprint256 };
}

async function readStored(vault: SecretVault): Promise<Stored | null> {
  try {
    const raw = await vault.get(VAULT_NAME);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Stored>;
    return typeof value.cert === 'string' && typeof value.key === 'string' && typeof value.address === 'string' ? (value as Stored) : null;
  } catch {
    // Unreadable (another machine's vault): a new one is made.
    return null;
  }
}

async function makeCertificate(address: string, at: number): Promise<{ cert: string; key: string }> {
  const crypto = webcrypto as unknown as Crypto;
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const names: x509.JsonGeneralName[] = [{ type: 'ip', value: address }];
  if (address === '127.0.0.1' || address === '::1') names.push({ type: 'dns', value: 'localhost' });
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      name: 'CN=OnAir Studio guests, O=OnAir Studio',
      notBefore: new Date(at - 60_000),
      notAfter: new Date(at + VALID_DAYS * 24 * 60 * 60 * 1000),
      signingAlgorithm: algorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
      ],
    },
    crypto,
  );
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
  return { cert: certificate.toString('pem'), key };
}
