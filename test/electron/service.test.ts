import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../server/tls.js';

/**
 * The server as a service (server/service/): the systemd units are valid and agree with the
 * settings file and with what the server reads; the certificate script makes a certificate whose
 * fingerprint is the one the server prints and kiosks pin.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const service = `${root}server/service/`;
const read = (f: string) => readFileSync(`${service}${f}`, 'utf8');
const settings = (text: string) => new Map(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));

describe('the server as a systemd service', () => {
  const env = settings(read('server.env'));

  it('sets only what the server and its admin CLI read, and serves the kiosks over https', () => {
    const main = readFileSync(`${root}server/main.ts`, 'utf8');
    const cli = readFileSync(`${root}server/cli.ts`, 'utf8');
    for (const key of env.keys()) {
      const known = main.includes(`${key}:`) || cli.includes(`process.env.${key}`) || key === 'NODE_EXTRA_CA_CERTS';
      expect(known, key).toBe(true);
    }
    expect(env.get('LINLI_TLS_CERT')).toBe('/etc/linli/tls/server.crt');
    expect(env.get('LINLI_SERVER')).toMatch(/^https:/);
    expect(env.get('LINLI_DEMO')).toBe('none');
  });

  it('keeps its data, updates and backups where the README says, and may write nowhere else', () => {
    const unit = read('linli-server.service');
    expect(env.get('LINLI_DATA_DIR')).toBe('/var/lib/linli/db');
    expect(env.get('LINLI_UPDATES_DIR')).toBe('/var/lib/linli/updates');
    expect(unit).toMatch(/^ReadWritePaths=\/var\/lib\/linli$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/linli\/server\.env$/m);
    expect(read('linli-backup.service')).toMatch(/\/var\/backups\/linli\/linli-backup-.*-mtime \+14 -delete/s);
    const readme = readFileSync(`${root}README.md`, 'utf8');
    for (const place of ['/var/lib/linli/db', '/var/backups/linli', 'journalctl -u linli-server', 'C:\\ProgramData\\Linli']) expect(readme, place).toContain(place);
  });

  it('passes systemd-analyze verify', () => {
    const analyze = spawnSync('systemd-analyze', ['verify', '--man=no', 'linli-server.service', 'linli-backup.service', 'linli-backup.timer'], { cwd: service, encoding: 'utf8' });
    // Where systemd is not installed (a container), the units were still checked above.
    if (analyze.error) return expect((analyze.error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(analyze.stderr.trim()).toBe('');
    expect(analyze.status).toBe(0);
  });

  it('makes a certificate for the given address whose fingerprint is the one the server prints', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-cert-'));
    try {
      const made = spawnSync('sh', [`${service}make-certificate.sh`, '192.168.1.10', 'linli-server.local'], { env: { ...process.env, LINLI_TLS_DIR: `${dir}/tls` }, encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const cert = readFileSync(`${dir}/tls/server.crt`);
      expect(new X509Certificate(cert).subjectAltName).toBe('IP Address:127.0.0.1, IP Address:192.168.1.10, DNS:linli-server.local');
      expect(made.stdout).toContain(`fingerprint: ${fingerprintOf(cert)}`);
      expect(statSync(`${dir}/tls/server.key`).mode & 0o077).toBe(0o040);
      expect(existsSync(`${dir}/tls/server.key`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
