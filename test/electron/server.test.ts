import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../../build/serverProcess.js';
import { certificateVerdict, fingerprintOf as kioskFingerprint } from '../../electron/trust.js';
import { fingerprintOf, readTls } from '../../server/tls.js';

/**
 * The real server process (`server/main.ts`) speaking TLS from a certificate file, and serving the
 * kiosk's update files read-only at /updates/: what a centre runs for its kiosks.
 */
const here = fileURLToPath(new URL('./tls/', import.meta.url));
const cert = readFileSync(`${here}server.crt`);

/** GET or another method over https, trusting the test certificate. */
function call(url: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca: cert }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('the server for a centre', () => {
  let dir: string;
  let server: ServerProcess;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'linli-tls-'));
    mkdirSync(`${dir}/updates`);
    writeFileSync(`${dir}/updates/latest.yml`, 'version: 1.1.0\npath: Linli-Setup-1.1.0.exe\n');
    writeFileSync(`${dir}/updates/Linli-Setup-1.1.0.exe`, 'an installer');
    writeFileSync(`${dir}/updates/.hidden`, 'not served');
    writeFileSync(`${dir}/secret.txt`, 'outside the folder');
    server = new ServerProcess({
      LINLI_DATA_DIR: `${dir}/db`, LINLI_DEMO: 'none', LINLI_PAIRING_CODES: '0', LINLI_LOG: 'warn',
      LINLI_TLS_CERT: `${here}server.crt`, LINLI_TLS_KEY: `${here}server.key`, LINLI_UPDATES_DIR: `${dir}/updates`,
    });
    await server.start();
    url = server.url;
  }, 120_000);
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('speaks https from the certificate file, and prints the fingerprint a kiosk pins', async () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const hello = await call(`${url}/api/sync/hello`);
    expect(hello.status).toBe(401); // reached over TLS; no token, no entry
    const printed = /certificate fingerprint[^:]*: (sha256\/\S+)/.exec(server.messages)?.[1];
    expect(printed).toBe(fingerprintOf(cert));
    // The kiosk computes the same fingerprint from the certificate it meets, and trusts it.
    expect(kioskFingerprint(cert.toString())).toBe(printed);
    expect(certificateVerdict({ hostname: '127.0.0.1', verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', certificate: { data: cert.toString() } }, url, [printed!])).toBe(0);
  });

  it('serves the update files read-only, latest.yml never cached, and nothing else', async () => {
    const latest = await call(`${url}/updates/latest.yml`);
    expect(latest).toMatchObject({ status: 200, body: 'version: 1.1.0\npath: Linli-Setup-1.1.0.exe\n' });
    expect(latest.headers['cache-control']).toBe('no-cache');
    expect((await call(`${url}/updates/Linli-Setup-1.1.0.exe`)).body).toBe('an installer');
    for (const p of ['/updates/', '/updates/.hidden', '/updates/..%2fsecret.txt', '/updates/%2e%2e/secret.txt']) {
      const res = await call(`${url}${p}`);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('outside the folder');
    }
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await call(`${url}/updates/latest.yml`, method)).status, method).toBe(404);
  });

  it('refuses a key that is not the certificate’s, and a certificate without its key', () => {
    writeFileSync(`${dir}/other.key`, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => readTls(`${here}server.crt`, `${dir}/other.key`)).toThrow(/私钥与证书不匹配|not the key/);
    expect(() => readTls(`${here}server.crt`, undefined)).toThrow(/go together/);
    expect(readTls(undefined, undefined)).toBeNull();
  });
});
