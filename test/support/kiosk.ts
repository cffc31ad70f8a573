import type { BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../server/db/db.js';
import { ServerProcess } from '../../build/serverProcess.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { scratchDb, type ScratchDb } from './db.js';

/** Opens the kiosk in a context of its own (its own IndexedDB), pairs it as a counter and waits until it takes scans. */
export async function openPairedKiosk(context: BrowserContext, db: Db, serverUrl: string): Promise<Page> {
  const code = await createPairingCode(db, 'wzgl', 'counter', new Date());
  const page = await context.newPage();
  await page.goto(`${serverUrl}/#pair=${code}`);
  await page.getByRole('button', { name: '配对' }).click();
  await page.locator('input[name=cardCode]').waitFor({ state: 'visible', timeout: 120_000 });
  return page;
}

/** The real server on a scratch schema of the test PostgreSQL, seeded with the small demo centre. */
export async function startLiveCentre(): Promise<{ db: ScratchDb; server: ServerProcess; stop(): Promise<void> }> {
  const db = await scratchDb('postgres');
  const server = new ServerProcess({ DATABASE_URL: db.url! });
  await server.start();
  return { db, server, stop: async () => {
    await server.stop();
    await db.drop();
  } };
}
