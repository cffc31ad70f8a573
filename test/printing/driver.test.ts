import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskName, layoutRedemption, receiptNumber } from '../../core/index.js';
import { driverJobBytes, driverTransport, type PrintPage } from '../../electron/printing/driver.js';
import { PrintQueue } from '../../electron/printing/queue.js';
import { printService } from '../../electron/printing/service.js';
import { fileJobStore } from '../../electron/printing/store.js';

describe('printing through a system driver', () => {
  const receipt = { kind: 'redemption' as const, centreName: '五洲观澜社区党群服务中心', receiptNo: receiptNumber('K01', 7), at: 0, residentName: maskName('张三明'), lines: [{ name: '抽纸', quantity: 1, pointPrice: 30, points: 30 }], totalPoints: 30, balanceAfter: 70 };
  const doc = layoutRedemption(receipt, '80mm', 'zh');

  it('prints the document\'s print page on the named printer, once, and waits while the driver refuses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-driver-'));
    try {
      const printed: { url: string; device: string }[] = [];
      let refuse = true;
      const printPage: PrintPage = async (url, device) => {
        if (refuse) return { ok: false, reason: 'failed' };
        printed.push({ url, device });
        return { ok: true };
      };
      const queue = await PrintQueue.open(fileJobStore(path.join(dir, 'q.json')), driverTransport(printPage, 'app://kiosk/print.html', 'POS-80'), { address: { host: '', port: 0 }, timeoutMs: 100, now: () => Date.now() });
      const service = printService(queue, driverJobBytes);
      await service.print({ jobId: '019abcde-0000-7000-8000-000000000007', label: receipt.receiptNo, doc });
      await queue.drain();
      expect(service.printJobs()[0]).toMatchObject({ state: 'queued', problem: { key: 'printerOffline' } });
      refuse = false;
      await queue.drain();
      await queue.drain();
      expect(printed).toHaveLength(1);
      expect(printed[0]!.device).toBe('POS-80');
      const payload = JSON.parse(decodeURIComponent(new URL(printed[0]!.url).hash.slice(1))) as { kind: string; doc: typeof doc };
      expect(payload).toEqual({ kind: 'doc', doc });
      expect(service.printJobs()[0]!.state).toBe('printed');

      // A page printer that throws: the job waits, nothing is lost, the queue goes on working.
      const broken = await PrintQueue.open(fileJobStore(path.join(dir, 'broken.json')), driverTransport(async () => {
        throw new Error('the window could not load');
      }, 'app://kiosk/print.html', 'POS-80'), { address: { host: '', port: 0 }, timeoutMs: 100, now: () => Date.now() });
      await printService(broken, driverJobBytes).print({ jobId: '019abcde-0000-7000-8000-000000000008', label: receipt.receiptNo, doc });
      await broken.drain();
      expect(broken.list()[0]).toMatchObject({ state: 'queued', problem: { key: 'printerOffline' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
