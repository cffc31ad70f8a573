/**
 * Which server certificates main trusts. A centre's server has a certificate from a public
 * authority (a domain name: Chromium checks it as any browser does), or one the centre made itself
 * for an address on its own network, which no authority vouches for: that one is trusted by its
 * fingerprint, written in the kiosk's settings (`serverCertificate`, printed by the server at
 * start), and only for the server's own host name or address.
 *
 * Answers Electron's `setCertificateVerifyProc` codes: 0 trusts, -2 refuses, -3 leaves it to Chromium.
 */
export type CertificateRequest = { hostname: string; verificationResult: string; certificate: { fingerprint: string } };

export function certificateVerdict(req: CertificateRequest, serverUrl: string, pinned: readonly string[]): 0 | -2 | -3 {
  const host = new URL(serverUrl).hostname.replace(/^\[|\]$/g, '');
  if (req.hostname === host && pinned.includes(req.certificate.fingerprint)) return 0;
  if (req.verificationResult === 'net::OK') return -3;
  return -2;
}
