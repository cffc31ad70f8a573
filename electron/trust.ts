import { createHash, X509Certificate } from 'node:crypto';

/**
 * Which server certificates main trusts. A centre's server has a certificate from a public
 * authority (a domain name: Chromium checks it as any browser does), or one the centre made itself
 * for an address on its own network, which no authority vouches for: that one is trusted by its
 * fingerprint, written in the kiosk's settings (`serverCertificate`, printed by the server at
 * start), and only for the server's own host name or address.
 *
 * Answers Electron's `setCertificateVerifyProc` codes: 0 trusts, -2 refuses, -3 leaves it to Chromium.
 */
export type CertificateRequest = { hostname: string; verificationResult: string; certificate: { data: string } };

/**
 * A certificate's fingerprint as the server prints it (server/tls.ts): `sha256/` and the base64
 * SHA-256 of its DER. Made here from the certificate itself rather than taken from Electron's
 * `fingerprint`, which covers the whole chain the server sent.
 */
export function fingerprintOf(certPem: string): string | null {
  try {
    return `sha256/${createHash('sha256').update(new X509Certificate(certPem).raw).digest('base64')}`;
  } catch {
    return null;
  }
}

export function certificateVerdict(req: CertificateRequest, serverUrl: string, pinned: readonly string[]): 0 | -2 | -3 {
  const host = new URL(serverUrl).hostname.replace(/^\[|\]$/g, '');
  const fingerprint = fingerprintOf(req.certificate.data);
  if (req.hostname === host && fingerprint !== null && pinned.includes(fingerprint)) return 0;
  if (req.verificationResult === 'net::OK') return -3;
  return -2;
}
