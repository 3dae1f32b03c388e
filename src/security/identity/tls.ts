/**
 * TLS for the service's own listener: the certificate and key files read and checked up front, so
 * a wrong path, a non-PEM file or a key that belongs to another certificate stops the start with a
 * message naming the file, instead of failing on the first handshake.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { OpenSearchError } from '../../errors/opensearch-error.js';

/** What `node:https.createServer` (or `@hono/node-server`'s `serverOptions`) needs. */
export interface TlsServerOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Facts about the loaded certificate, for the startup log line. */
export interface TlsCertificateSummary {
  readonly subject: string;
  readonly subjectAltName: string | undefined;
  readonly validTo: string;
  readonly expired: boolean;
}

const tlsError = (reason: string, cause?: unknown): OpenSearchError =>
  new OpenSearchError({ status: 500, type: 'settings_exception', reason, cause });

/** Reads and checks `TLS_CERT_FILE` and `TLS_KEY_FILE`. */
export function loadTlsOptions(files: { certFile: string; keyFile: string }): TlsServerOptions {
  const cert = readPem(files.certFile, 'TLS_CERT_FILE');
  const key = readPem(files.keyFile, 'TLS_KEY_FILE');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw tlsError(`TLS_CERT_FILE [${files.certFile}] is not a PEM certificate`, error);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    // An encrypted key lands here too; the service has no passphrase to open it with.
    throw tlsError(`TLS_KEY_FILE [${files.keyFile}] is not an unencrypted PEM private key`, error);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw tlsError(
      `TLS_KEY_FILE [${files.keyFile}] does not belong to the certificate in TLS_CERT_FILE [${files.certFile}]`,
    );
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw tlsError(
      `TLS_CERT_FILE and TLS_KEY_FILE cannot be used together: ${(error as Error).message}`,
      error,
    );
  }
  return { cert, key };
}

/** Subject, names and expiry of a loaded certificate (an expired one is worth a warning at start). */
export function summarizeCertificate(cert: Buffer, now: Date = new Date()): TlsCertificateSummary {
  const certificate = new X509Certificate(cert);
  return {
    subject: certificate.subject.replaceAll('\n', ', '),
    subjectAltName: certificate.subjectAltName,
    validTo: certificate.validTo,
    expired: now > new Date(certificate.validTo) || now < new Date(certificate.validFrom),
  };
}

function readPem(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw tlsError(`${variable} [${file}] cannot be read (${code})`, error);
  }
}
