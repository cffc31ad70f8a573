import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * The server speaking TLS from a certificate file (`LINLI_TLS_CERT`, `LINLI_TLS_KEY`: PEM files),
 * so kiosks reach it over https with the device token never in clear on the centre's network.
 * The certificate may come from a public authority (a domain name) or be one the centre made for
 * its own address (README, "A certificate for the server"); the server prints its fingerprint at
 * start, which a kiosk's settings pin when no authority vouches for it.
 *
 * Fastify's own server is not used: the app's routes are served by an https server of our own
 * (`app.routing`, the handler Fastify's server would call), so `buildApp` stays as it is.
 */
export type Tls = { key: Buffer; cert: Buffer; fingerprint: string; subject: string; validTo: string };

/** A certificate's fingerprint as a kiosk's settings name it: `sha256/` and the base64 SHA-256 of its DER. */
export function fingerprintOf(certPem: Buffer | string): string {
  return `sha256/${createHash('sha256').update(new X509Certificate(certPem).raw).digest('base64')}`;
}

/** The certificate and key named, or null when neither is; one without the other, or a file that cannot be read, is an error that says which. */
export function readTls(certFile: string | undefined, keyFile: string | undefined): Tls | null {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new Error('LINLI_TLS_CERT and LINLI_TLS_KEY go together: name both files / 证书和私钥文件须同时设置');
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`cannot read the ${what} ${file} / 无法读取${what === 'certificate' ? '证书' : '私钥'}文件: ${(err as Error).message}`, { cause: err });
    }
  };
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  const x509 = new X509Certificate(cert);
  if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error(`${keyFile} is not the key of ${certFile} / 私钥与证书不匹配`);
  return { cert, key, fingerprint: fingerprintOf(cert), subject: x509.subjectAltName ?? x509.subject, validTo: x509.validTo };
}

/** Serves the app over https on `host:port`; answers the address and how to close it. */
export async function listenTls(app: FastifyInstance, tls: Tls, host: string, port: number): Promise<{ address: string; close(): Promise<void> }> {
  await app.ready();
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => app.routing(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    address: `https://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
