import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { layoutRedemption, maskName, receiptNumber, renderEscPos, type RedemptionReceipt } from '../../core/index.js';
import { PrintQueue } from '../../electron/printing/queue.js';
import { fileJobStore } from '../../electron/printing/store.js';
import { tcpTransport } from '../../electron/printing/transport.js';
import { decodeEscPos } from '../support/escpos.js';
import { FakePrinter } from '../support/fakePrinter.js';

const gb18030 = (text: string) => new Uint8Array(iconv.encode(text, 'gb18030'));
const receipt = (seq: number): RedemptionReceipt => ({
  kind: 'redemption', centreName: '五洲观澜社区党群服务中心', receiptNo: receiptNumber('K01', seq), at: Date.UTC(2026, 10, 25, 2),
  residentName: maskName('张三明'), lines: [{ name: '抽纸（一提）', quantity: 1, pointPrice: 30, points: 30 }], totalPoints: 30, balanceAfter: 70,
});
const bytesOf = (seq: number, reprint = false) => renderEscPos(layoutRedemption(receipt(seq), '58mm', 'zh', { reprint }), gb18030);

describe('the print queue, against a printer on loopback', () => {
  let printer: FakePrinter;
  let dir: string;
  let file: string;

  beforeEach(async () => {
    printer = new FakePrinter();
    await printer.start();
    dir = mkdtempSync(path.join(tmpdir(), 'linli-print-'));
    file = path.join(dir, 'queue.json');
  });
  afterEach(async () => {
    await printer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => PrintQueue.open(fileJobStore(file), tcpTransport, { address: printer.address, timeoutMs: 500, now: () => Date.now() });
  const printedText = (i: number) => decodeEscPos(printer.jobs[i]!).lines.map((l) => l.text).join('\n');

  it('prints a job once, even when it is queued twice', async () => {
    const q = await open();
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    await q.drain();
    await q.drain();
    expect(printer.jobs).toHaveLength(1);
    expect(printedText(0)).toContain('K01-000001');
    expect(q.list()[0]).toMatchObject({ state: 'printed', attempts: 1, problem: null });
  });

  it('keeps no bytes of what it printed: a week of tickets does not grow the file each job rewrites', async () => {
    const q = await open();
    for (let seq = 1; seq <= 20; seq++) await q.enqueue(`event-${seq}`, receiptNumber('K01', seq), bytesOf(seq));
    await q.drain();
    expect(printer.jobs).toHaveLength(20);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { state: string; bytes: string }[];
    expect(kept.map((j) => [j.state, j.bytes])).toEqual(Array.from({ length: 20 }, () => ['printed', '']));
    // Staff can still reprint one: drawn anew from the event.
    await q.reprint('event-3', bytesOf(3, true));
    await q.drain();
    expect(printedText(20)).toContain('补打');
  });

  it('waits while the paper is out, tells staff, and prints once paper is in', async () => {
    const q = await open();
    printer.mode = 'paperOut';
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    await q.drain();
    expect(printer.jobs).toHaveLength(0);
    expect(q.list()[0]).toMatchObject({ state: 'queued', problem: { key: 'printerPaperOut' } });
    printer.mode = 'ready';
    await q.drain();
    expect(printer.jobs).toHaveLength(1);
    expect(q.list()[0]!.state).toBe('printed');
  });

  it('says so when the cover is open or the printer does not answer', async () => {
    const q = await open();
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    printer.mode = 'coverOpen';
    await q.drain();
    expect(q.list()[0]!.problem).toEqual({ key: 'printerCoverOpen', params: {} });
    printer.mode = 'silent';
    await q.drain();
    expect(q.list()[0]).toMatchObject({ state: 'queued', problem: { key: 'printerNoAnswer' } });
    expect(printer.jobs).toHaveLength(0);
  });

  it('keeps the job through a printer switched off and an app restart, then prints it once', async () => {
    const port = printer.port;
    await printer.stop();
    const q = await open();
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    await q.drain();
    expect(q.list()[0]).toMatchObject({ state: 'queued', problem: { key: 'printerRefused' } });

    const restarted = await open();
    expect(restarted.list().map((j) => j.state)).toEqual(['queued']);
    await printer.start(port);
    await restarted.drain();
    expect(printer.jobs).toHaveLength(1);
    expect(restarted.list()[0]!.state).toBe('printed');
  });

  it('never prints again by itself when the printer cut off in the middle: staff reprint, marked 补打', async () => {
    const q = await open();
    printer.mode = 'cutAfter';
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    await q.enqueue('event-2', 'K01-000002', bytesOf(2));
    await q.drain();
    expect(q.list()[0]).toMatchObject({ state: 'unknown', problem: { key: 'printMayNotHavePrinted', params: { receiptNo: 'K01-000001' } } });
    printer.mode = 'ready';
    await q.drain();
    await q.drain();
    // The second job printed; the first was not sent again.
    expect(printer.jobs.map((_, i) => printedText(i).includes('K01-000002'))).toEqual([true]);

    await q.reprint('event-1', bytesOf(1, true));
    await q.drain();
    expect(printer.jobs).toHaveLength(2);
    expect(printedText(1)).toContain('补打');
    expect(printedText(1)).toContain('K01-000001');
  });

  it('calls a job during which the paper ran out "may not have printed", and prints no more until paper is in', async () => {
    const q = await open();
    printer.mode = 'paperRunsOut';
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    await q.enqueue('event-2', 'K01-000002', bytesOf(2));
    await q.drain();
    expect(printer.jobs).toHaveLength(1);
    expect(q.list().map((j) => [j.state, j.problem?.key])).toEqual([['unknown', 'printMayNotHavePrinted'], ['queued', undefined]]);
    await q.drain();
    expect(q.list()[1]).toMatchObject({ state: 'queued', problem: { key: 'printerPaperOut' } });
    expect(printer.jobs).toHaveLength(1);
  });

  it('tells staff the printer refuses the connection', async () => {
    await printer.stop();
    const q = await open();
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    await q.drain();
    expect(q.list()[0]).toMatchObject({ state: 'queued', problem: { key: 'printerRefused' } });
  });

  it('calls a job that was printing when the app died "may not have printed"', async () => {
    const q = await open();
    await q.enqueue('event-1', 'K01-000001', bytesOf(1));
    const jobs = await fileJobStore(file).load();
    await fileJobStore(file).save(jobs.map((j) => ({ ...j, state: 'printing' })));
    const restarted = await open();
    expect(restarted.list()[0]).toMatchObject({ state: 'unknown', problem: { key: 'printMayNotHavePrinted' } });
    await restarted.drain();
    expect(printer.jobs).toHaveLength(0);
  });
});

describe('the print queue file', () => {
  it('takes saves that overlap, one after another, and keeps the last', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-store-'));
    try {
      const store = fileJobStore(path.join(dir, 'queue.json'));
      const job = (state: 'queued' | 'printed', n: number) => ({ id: `e${n}`, label: `K01-${n}`, bytes: '', state, attempts: 0, problem: null, reprintOf: null, createdAt: n, updatedAt: Date.now() });
      const states = Array.from({ length: 20 }, (_, i) => [job('printed', 0), job(i === 19 ? 'printed' : 'queued', 1)]);
      await Promise.all(states.map((jobs) => store.save(jobs)));
      expect((await store.load()).map((j) => j.state)).toEqual(['printed', 'printed']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
