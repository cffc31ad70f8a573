import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certificateVerdict, fingerprintOf } from './trust.js';

const cert = readFileSync(new URL('../test/electron/tls/server.crt', import.meta.url), 'utf8');

describe("the server's certificate", () => {
  const pinned = [fingerprintOf(cert)!];
  const req = (hostname: string, verificationResult = 'net::ERR_CERT_AUTHORITY_INVALID') => ({ hostname, verificationResult, certificate: { data: cert } });

  it("trusts the centre's own certificate by its fingerprint, for the server's address only", () => {
    expect(certificateVerdict(req('192.168.1.10'), 'https://192.168.1.10:8443', pinned)).toBe(0);
    expect(certificateVerdict(req('192.168.1.11'), 'https://192.168.1.10:8443', pinned)).toBe(-2);
    expect(certificateVerdict(req('192.168.1.10'), 'https://192.168.1.10:8443', [])).toBe(-2);
  });

  it("leaves a public authority's certificate to Chromium, and refuses what Chromium refuses", () => {
    expect(certificateVerdict(req('linli.example.cn', 'net::OK'), 'https://linli.example.cn', [])).toBe(-3);
    expect(certificateVerdict(req('linli.example.cn', 'net::ERR_CERT_DATE_INVALID'), 'https://linli.example.cn', [])).toBe(-2);
    expect(certificateVerdict({ hostname: '192.168.1.10', verificationResult: 'net::ERR_CERT_INVALID', certificate: { data: 'not a certificate' } }, 'https://192.168.1.10:8443', pinned)).toBe(-2);
  });
});
