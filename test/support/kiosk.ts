import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../server/db/db.js';
import { ServerProcess } from '../../build/serverProcess.js';
import { makeStaffCardCode } from '../../core/index.js';
import { DEMO_CLERK_PIN } from '../../server/demo/generate.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { scratchDb, type ScratchDb } from './db.js';

/** The demo clerk who signs in on the test kiosks. */
export const CLERK = { cardCode: makeStaffCardCode(2), pin: DEMO_CLERK_PIN, staffId: 'wzgl-s2' };

/**
 * Signs whoever is signed in out. A counter that did something today asks first to print the day
 * summary (closing): this answers 不打印，退出.
 */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  const field = page.locator('input[name=staffCard]');
  const skip = page.getByRole('dialog').getByRole('button', { name: '不打印，退出' });
  await field.or(skip).first().waitFor();
  if (await skip.isVisible()) await skip.click();
  await field.waitFor();
}

/**
 * Signs the demo clerk in (typed card and PIN) and waits until the counter takes scans.
 * `loadMs`: how long the first pull may take before the sign-in shows (the full demo centre is slower).
 */
export async function signInStaff(page: Page, who: { cardCode: string; pin: string } = CLERK, loadMs = 120_000): Promise<void> {
  await page.locator('input[name=staffCard]').waitFor({ state: 'visible', timeout: loadMs });
  await page.locator('input[name=staffCard]').fill(who.cardCode);
  await page.locator('input[name=pin]').fill(who.pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('input[name=cardCode]').waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Opens the kiosk in a context of its own (its own IndexedDB), pairs it as a counter, signs the
 * clerk in and waits until it takes scans. `hash` adds to the address's fragment (e.g. `idle=3000`).
 */
export async function openPairedKiosk(context: BrowserContext, db: Db, serverUrl: string, hash = '', loadMs?: number): Promise<Page> {
  const code = await createPairingCode(db, 'wzgl', 'counter', new Date());
  const page = await context.newPage();
  await page.goto(`${serverUrl}/#pair=${code}${hash ? `&${hash}` : ''}`);
  await page.getByRole('button', { name: '配对' }).click();
  await signInStaff(page, CLERK, loadMs);
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

/** The network a kiosk in a Node test sees: up, down, or up for pushes while pulls fail. */
export type Network = 'up' | 'pullFails' | 'down';

/** A kiosk's `fetch` over `app.inject` (no sockets), with the network in the state the test asks for. */
export function injectFetch(app: FastifyInstance, network: () => Network = () => 'up'): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (network() === 'down' || (network() === 'pullFails' && url.pathname === '/api/sync/pull')) throw new TypeError('fetch failed');
    const res = await app.inject({ method: (init?.method ?? 'GET') as 'GET' | 'POST', url: url.pathname + url.search, headers: init?.headers as Record<string, string>, payload: init?.body as string | undefined });
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'application/json' } });
  };
}
