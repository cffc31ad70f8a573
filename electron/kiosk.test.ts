import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeHandlers, isAllowedNavigation, isAllowedPermission, isAllowedPermissionCheck, KIOSK_CSP, kioskWindowOptions, quitWarning, resolveKioskFile, serverUrlProblem } from './kiosk.js';

describe('the kiosk window', () => {
  it('is isolated and sandboxed, with no Node in the page and no devtools in production', () => {
    const o = kioskWindowOptions('/p/preload.cjs', { production: true, fullScreenKiosk: true, partition: 'persist:kiosk' });
    expect(o.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: false, preload: '/p/preload.cjs', partition: 'persist:kiosk' });
    expect(o.kiosk).toBe(true);
    expect(kioskWindowOptions('/p/preload.cjs', { production: false, fullScreenKiosk: false, partition: 'persist:kiosk' })).toMatchObject({ kiosk: false, webPreferences: { devTools: true } });
  });

  it('shows only its own pages', () => {
    expect(isAllowedNavigation('app://kiosk/index.html')).toBe(true);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/', 'javascript:alert(1)', 'not a url']) {
      expect(isAllowedNavigation(url)).toBe(false);
    }
  });

  it('grants the camera to its own page, and nothing else: not the microphone, not another origin', () => {
    const own = 'app://kiosk/index.html';
    expect(isAllowedPermission('media', { mediaTypes: ['video'], requestingUrl: own })).toBe(true);
    expect(isAllowedPermission('media', { mediaTypes: ['audio'], requestingUrl: own })).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video', 'audio'], requestingUrl: own })).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: [], requestingUrl: own })).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video'], requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video'] })).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(isAllowedPermission(p, { requestingUrl: own })).toBe(false);
    expect(isAllowedPermissionCheck('media', 'app://kiosk', { mediaType: 'video' })).toBe(true);
    expect(isAllowedPermissionCheck('media', 'app://kiosk', { mediaType: 'audio' })).toBe(false);
    expect(isAllowedPermissionCheck('media', 'https://evil.example', { mediaType: 'video' })).toBe(false);
    expect(isAllowedPermissionCheck('geolocation', 'app://kiosk', {})).toBe(false);
  });

  it('serves files from the built renderer only, never above it', () => {
    const root = path.resolve('/srv/kiosk');
    expect(resolveKioskFile(root, 'app://kiosk/')).toBe(path.join(root, 'index.html'));
    expect(resolveKioskFile(root, 'app://kiosk/assets/index-1.js')).toBe(path.join(root, 'assets/index-1.js'));
    // The URL parser folds a plain `..` back inside the root; what it leaves encoded must be refused.
    expect(resolveKioskFile(root, 'app://kiosk/../secret')).toBe(path.join(root, 'secret'));
    for (const url of ['app://kiosk/assets/%2e%2e%2f%2e%2e%2fsecret', 'app://kiosk/..%2f..%2fetc%2fpasswd', 'app://other/index.html', 'app://kiosk/%00', 'app://kiosk/%E0%A4%A']) {
      expect(resolveKioskFile(root, url)).toBeNull();
    }
  });

  it('lets the page talk to its own origin only (main forwards the sync calls)', () => {
    expect(KIOSK_CSP).toContain("connect-src 'self';");
    expect(KIOSK_CSP).toContain("script-src 'self';");
  });

  it('requires https for the server once packaged, except on this PC', () => {
    expect(serverUrlProblem('https://192.168.1.10:8443', true)).toBeNull();
    expect(serverUrlProblem('http://192.168.1.10:8080', true)).toMatch(/https/);
    expect(serverUrlProblem('http://127.0.0.1:8080', true)).toBeNull();
    expect(serverUrlProblem('http://192.168.1.10:8080', false)).toBeNull();
    expect(serverUrlProblem('ftp://192.168.1.10', true)).toMatch(/https/);
    expect(serverUrlProblem('not a url', false)).toMatch(/无法识别/);
  });
});

describe('the bridge', () => {
  /** Fresh handlers per test: a test run alone sees what it did, and nothing of another's. */
  const setup = () => {
    const calls: number[] = [];
    const printed: string[] = [];
    const view = (jobId: string) => ({ id: jobId, label: 'K01-000001', state: 'queued' as const, problem: null, reprintOf: null });
    const handlers = bridgeHandlers({
      config: () => ({ serverUrl: 'http://127.0.0.1:8080', pairingCode: null, version: '1', paper: '58mm' }),
      setPendingCount: (n) => {
        calls.push(n);
      },
      print: async (job) => {
        printed.push(job.jobId);
        return view(job.jobId);
      },
      reprint: async (job) => view(job.jobId),
      printJobs: () => [],
      saveToken: () => undefined, token: () => null, wrapPin: () => '', checkPin: () => false, cardHash: () => null, backupDue: () => false, saveBackup: () => undefined, exitKiosk: () => undefined, openAdmin: () => undefined, closeAdmin: () => undefined,
    });
    return { calls, printed, handlers };
  };
  const doc = { paper: '58mm', lines: [{ kind: 'text', text: '抽纸', align: 'left', bold: false, size: 1 }, { kind: 'cut' }] };
  const jobId = '019abcde-0000-7000-8000-000000000001';

  it('answers the kiosk page', () => {
    const { calls, handlers } = setup();
    expect(handlers['linli:config']('app://kiosk/', [])).toEqual({ serverUrl: 'http://127.0.0.1:8080', pairingCode: null, version: '1', paper: '58mm' });
    handlers['linli:setPendingCount']('app://kiosk/index.html', [3]);
    expect(calls).toEqual([3]);
  });

  it('refuses another sender and malformed arguments, and does nothing', () => {
    const { calls, handlers } = setup();
    expect(() => handlers['linli:setPendingCount']('https://evil.example/', [1])).toThrow(/refused/);
    expect(() => handlers['linli:setPendingCount']('app://kiosk/', [-1])).toThrow();
    expect(() => handlers['linli:setPendingCount']('app://kiosk/', ['7'])).toThrow();
    expect(() => handlers['linli:config']('app://kiosk/', ['extra'])).toThrow();
    expect(calls).toEqual([]);
  });

  it('queues a print job of a valid document only', async () => {
    const { printed, handlers } = setup();
    await handlers['linli:print']('app://kiosk/', [{ jobId, label: 'K01-000001', doc }]);
    expect(printed).toEqual([jobId]);
    const bad = [
      { jobId: 'not-an-event-id', label: 'K01-000001', doc },
      { jobId, label: 'K01-000001', doc: { ...doc, paper: '100mm' } },
      { jobId, label: 'K01-000001', doc: { paper: '58mm', lines: [{ kind: 'barcode', format: 'CODE128', data: '条码' }] } },
      { jobId, label: 'K01-000001', doc, extra: true },
    ];
    for (const job of bad) expect(() => handlers['linli:print']('app://kiosk/', [job])).toThrow();
    expect(() => handlers['linli:print']('https://evil.example/', [{ jobId, label: 'K01-000001', doc }])).toThrow(/refused/);
    expect(printed).toEqual([jobId]);
  });
});

describe('quitting', () => {
  it('warns only while events wait to be synced', () => {
    expect(quitWarning(0)).toBeNull();
    expect(quitWarning(4)?.message).toContain('还有 4 条记录未同步');
  });
});
