import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { addDays, formatShanghai } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { pushAsImport } from '../support/centre.js';
import { ADMIN, counterKiosk, outboxCount, signInAs } from '../support/counter.js';
import type { ScratchDb } from '../support/db.js';
import { CLERK, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * Points at the counter as a clerk gives and corrects them, at 1366×768 in Chromium against the
 * real server: awards by rule up to their caps (offline too), the ledger in plain words with its
 * running balance, reversals (冲正) confirmed first and never of a reversal, a partner shop's points
 * both ways, the admin's rules and shops, and service hours certified once and corrected.
 */
let db: ScratchDb;
let server: ServerProcess;
let stopCentre: () => Promise<void>;
const contexts: BrowserContext[] = [];
let rich: { id: string; card_code: string; account_id: string }[] = [];

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
  rich = await db.query<{ id: string; card_code: string; account_id: string }>("SELECT r.id, r.card_code, r.account_id FROM resident r ORDER BY r.id DESC LIMIT 8");
  await pushAsImport(db, rich.map((r) => ({ kind: 'pointsAwarded', version: 1, payload: { accountId: r.account_id, points: 500, category: 'other', note: 'e2e' } })));
});
test.afterAll(() => stopCentre());
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const balanceOnServer = async (accountId: string) => (await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [accountId]))[0]!.balance;
const shown = async (page: Page) => Number(await page.getByTestId('balance').textContent());
const syncStatus = (page: Page) => page.getByTestId('sync-status');
const today = () => { const d = formatShanghai(Date.now()); return `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`; };
const ledgerLine = (page: Page, n: number) => page.getByTestId('ledger').locator('li').nth(n);
const open = async (page: Page, card: string) => {
  await scanKeys(page, card);
  await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', card);
};

test('awards by rule offline up to the day\'s cap; the ledger says it in plain words with the balance after, and the server agrees', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const r = rich[0]!;
  const before = await balanceOnServer(r.account_id);
  await server.stop();
  try {
    await open(page, r.card_code);
    await page.getByRole('button', { name: '奖励积分', exact: true }).click();
    const award = page.getByTestId('award');
    for (const group of ['小区治理', '文明帮创', '废旧利用', '志愿服务']) await expect(award.getByRole('group', { name: group })).toBeVisible();
    await award.getByLabel(/清理楼道/).check();
    await award.locator('input[name=quantity]').fill('2');
    await award.locator('input[name=note]').fill('3栋楼道');
    await expect(award).toContainText('将奖励 20 分');
    await award.getByRole('button', { name: '奖励积分' }).click();
    await expect(award.getByRole('status')).toHaveText('已奖励 20 分：清理楼道×2');
    await expect.poll(() => shown(page)).toBe(before + 20);
    // The cap of 20 a day is reached: refused, nothing written.
    await award.locator('input[name=quantity]').fill('1');
    await award.getByRole('button', { name: '奖励积分' }).click();
    await expect(award.getByRole('alert')).toHaveText('已达「清理楼道」的每日上限 20 分（已得 20 分），不能再加。');
    await award.locator('input[name=quantity]').fill('0');
    await award.getByRole('button', { name: '奖励积分' }).click();
    await expect(award.getByRole('alert')).toHaveText('数量必须是正整数，不能是 0。');
    expect(await outboxCount(page)).toBe(1);
    await expect.poll(() => shown(page)).toBe(before + 20);

    await page.getByRole('button', { name: '积分流水' }).click();
    await expect(ledgerLine(page, 0)).toContainText(`${today()}清理楼道×2 · 待同步+20余 ${before + 20}`);
    await expect(ledgerLine(page, 1)).toContainText(`+500余 ${before}`);
  } finally {
    await server.start();
  }
  await expect(syncStatus(page)).toHaveText('已同步');
  expect(await balanceOnServer(r.account_id)).toBe(before + 20);
  await expect(ledgerLine(page, 0)).not.toContainText('待同步');
});

test('the history goes back to the first entry, thirty at a time, the balance running down to it', async ({ browser }) => {
  // A volunteer with a long history: 65 acts awarded one by one, on top of the demo's.
  const [volunteer] = await db.query<{ card_code: string; account_id: string }>('SELECT card_code, account_id FROM resident ORDER BY id LIMIT 1 OFFSET 11');
  await pushAsImport(db, Array.from({ length: 65 }, (_, i) => ({ kind: 'pointsAwarded' as const, version: 1 as const, payload: { accountId: volunteer!.account_id, points: 1 + (i % 3), category: 'volunteering' as const, note: `第${i + 1}次` } })));
  const page = await counterKiosk(browser, db, server.url, contexts);
  const [most] = await db.query<{ card_code: string; account_id: string; n: number }>(
    'SELECT r.card_code, r.account_id, count(*)::int AS n FROM ledger_entry l JOIN resident r ON r.account_id = l.account_id WHERE r.account_id = $1 GROUP BY r.card_code, r.account_id', [volunteer!.account_id]);
  expect(most!.n).toBeGreaterThan(65);
  await open(page, most!.card_code);
  await page.getByRole('button', { name: '积分流水' }).click();
  const lines = page.getByTestId('ledger').locator('li');
  await expect(lines).toHaveCount(30);
  const earlier = page.getByRole('button', { name: '更早的记录' });
  for (let shownLines = 30; shownLines < most!.n; shownLines += 30) {
    await earlier.click();
    await expect(lines).toHaveCount(Math.min(shownLines + 30, most!.n));
  }
  await expect(earlier).toHaveCount(0);
  await expect(page.getByTestId('ledger')).toContainText('已到最早的记录。');
  // The first entry: the balance after it is what it moved (every account starts at 0); the newest: the balance now.
  const moved = (text: string) => text.match(/([+−-])(\d+)余 (-?\d+)/)!;
  const first = moved((await lines.last().textContent())!);
  expect(Number(first[3])).toBe((first[1] === '+' ? 1 : -1) * Number(first[2]));
  expect(Number(moved((await lines.first().textContent())!)[3])).toBe(await balanceOnServer(most!.account_id));
});

test('a redemption and an award are reversed with a reason after a confirmation; a reversal has no reverse button', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const r = rich[1]!;
  await open(page, r.card_code);
  const before = await shown(page);
  const tissues = page.getByRole('button', { name: /抽纸/ });
  const stock = Number(/库存 (\d+)/.exec((await tissues.textContent())!)![1]);
  await tissues.click();
  await page.getByTestId('basket').getByRole('button', { name: '确认兑换' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  await page.getByRole('button', { name: '积分流水' }).click();
  await expect(ledgerLine(page, 0)).toContainText(`${today()}兑换 抽纸（一提）×1`);
  await expect(ledgerLine(page, 0)).toContainText(`−30余 ${before - 30}`);
  await expect(syncStatus(page)).toHaveText('已同步');

  // The reversals are made offline: shown at once, marked unsynced, then applied once by the server.
  await server.stop();
  try {
    await ledgerLine(page, 0).getByRole('button', { name: '冲正' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('冲正后退回 30 分，兑换的商品回到货架。原记录保留，不会删除。');
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect(dialog.getByRole('alert')).toHaveText('请填写原因。');
    await dialog.locator('input[name=reason]').fill('居民不要了');
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已冲正，等待同步。' })).toBeVisible();
    await expect(ledgerLine(page, 0)).toContainText(`冲正：居民不要了`);
    await expect(ledgerLine(page, 0)).toContainText(`+30余 ${before}`);
    await expect(ledgerLine(page, 0).getByRole('button')).toHaveCount(0);
    await expect(ledgerLine(page, 1)).toContainText('已冲正');
    await expect(ledgerLine(page, 1).getByRole('button')).toHaveCount(0);
    await expect.poll(() => shown(page)).toBe(before);
    await page.getByRole('button', { name: '兑换商品' }).click();
    await expect(tissues).toContainText(`库存 ${stock}`);

    // The award of 500 (the test's own) reversed in turn.
    await page.getByRole('button', { name: '积分流水' }).click();
    const awardLine = page.getByTestId('ledger').locator('li', { hasText: '+500' });
    await awardLine.getByRole('button', { name: '冲正' }).click();
    await expect(dialog).toContainText('冲正后扣回 500 分。');
    await dialog.locator('input[name=reason]').fill('录错了');
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect(awardLine).toContainText('已冲正');
    await expect.poll(() => shown(page)).toBe(before - 500);
    // Every reversal in the ledger: none offers to be reversed.
    await expect(page.getByTestId('ledger').locator('li[data-kind=entryReversed] button')).toHaveCount(0);
    await expect(page.getByTestId('ledger').locator('li[data-pending]')).toHaveCount(2);
    // Offline too, the reversed award stays where it was, not pending itself, and every balance after is right.
    await expect(ledgerLine(page, 0)).toContainText(`冲正：录错了`);
    await expect(ledgerLine(page, 0)).toContainText(`−500余 ${before - 500}`);
    await expect(ledgerLine(page, 1)).toContainText(`+30余 ${before}`);
    await expect(awardLine).not.toHaveAttribute('data-pending');
    await expect(syncStatus(page)).toContainText('离线');
    expect(await balanceOnServer(r.account_id)).toBe(before - 30);
  } finally {
    await server.start();
  }
  await expect(syncStatus(page)).toHaveText('已同步');
  await expect(page.getByTestId('ledger').locator('li[data-pending]')).toHaveCount(0);
  expect(await balanceOnServer(r.account_id)).toBe(before - 500);
  expect((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_entry WHERE account_id = $1 AND kind = 'entryReversed' AND memo IN ('冲正：居民不要了', '冲正：录错了')", [r.account_id]))[0]!.n).toBe(2);
});

test('a shop earns points for its service hours; a resident spends points at a partner shop, and the shop redeems goods at the store with its own points', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const r = rich[2]!;
  await open(page, r.card_code);
  const before = await shown(page);
  // A resident's points spent at a shop and the shop's award, both offline, then synced once.
  const serverBefore = await balanceOnServer(r.account_id);
  await server.stop();
  try {
    await page.getByRole('button', { name: '商铺兑换' }).click();
    const panel = page.getByTestId('shop-redeem');
    await panel.getByLabel(/张记理发店/).check();
    await expect(panel.locator('input[name=offer]')).toHaveValue('理发 50分');
    await expect(panel.locator('input[name=points]')).toHaveValue('50');
    await panel.locator('input[name=points]').fill(String(before + 1));
    await panel.getByRole('button', { name: '转给商铺' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
    await expect(panel.getByRole('alert')).toHaveText(`积分不足：需要 ${before + 1} 分，账户只有 ${before} 分。`);
    await panel.locator('input[name=points]').fill('50');
    await panel.getByRole('button', { name: '转给商铺' }).click();
    await expect(page.getByRole('dialog')).toContainText('从居民账户转 50 分给「张记理发店」。');
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
    await expect(panel.getByRole('status')).toHaveText('已转 50 分给「张记理发店」。');
    // The resident's slip: the shop and the offer, the points, what is left, the masked name, the clerk.
    const slip = panel.getByTestId('print-view').locator('.print-doc');
    await expect(slip).toContainText('张记理发店 理发 50分');
    await expect(slip.locator('p', { hasText: '剩余积分' })).toHaveText(new RegExp(`剩余积分\\s+${before - 50}`));
    await expect(slip).toContainText('李建国');
    await expect.poll(() => shown(page)).toBe(before - 50);
    await page.getByRole('button', { name: '下一位' }).click();

    await page.getByRole('tab', { name: '爱心商铺' }).click();
    // A shop earns points for its service hours, by the same rules as a resident.
    const repair = page.getByTestId('shops').locator('tr', { hasText: '老王修车铺' });
    const repairBefore = Number(await repair.locator('td.n').textContent());
    await repair.getByRole('button', { name: '给商铺奖励积分' }).click();
    await expect(page.getByTestId('shop-card')).toContainText('老王修车铺');
    const award = page.getByTestId('award');
    await award.getByLabel(/志愿服务/).check();
    await award.locator('input[name=quantity]').fill('2');
    await award.getByRole('button', { name: '奖励积分' }).click();
    await expect(award.getByRole('status')).toHaveText('已奖励 20 分：志愿服务×2');
    await expect(page.getByTestId('shop-card').getByTestId('balance')).toHaveText(String(repairBefore + 20));
    await page.getByRole('button', { name: '返回商铺列表' }).click();
    await expect(repair.locator('td.n')).toHaveText(String(repairBefore + 20));
    expect(await balanceOnServer(r.account_id)).toBe(serverBefore);
  } finally {
    await server.start();
  }
  await expect(syncStatus(page)).toHaveText('已同步');
  expect(await balanceOnServer(r.account_id)).toBe(serverBefore - 50);
  const row = page.getByTestId('shops').locator('tr', { hasText: '张记理发店' });
  const shopBefore = Number(await row.locator('td.n').textContent());
  expect(shopBefore).toBeGreaterThanOrEqual(50);
  await row.getByRole('button', { name: '商铺来超市兑换' }).click();
  await expect(page.getByRole('heading', { name: '张记理发店 兑换商品' })).toBeVisible();
  await page.getByRole('button', { name: /自行车/ }).click();
  await expect(page.getByTestId('basket-reason')).toContainText(`积分不足：需要 3000 分，账户只有 ${shopBefore} 分。`);
  await page.getByTestId('basket').getByRole('button', { name: '−' }).click();
  await page.getByRole('button', { name: /口罩/ }).click();
  await page.getByTestId('basket').getByRole('button', { name: '确认兑换' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toContainText('张记理发店');
  await expect(receipt).toContainText('口罩（10只）');
  await expect(page.getByTestId('balance')).toHaveText(String(shopBefore - 15));
  await expect(syncStatus(page)).toHaveText('已同步');
  // The latest of the shop's redemptions (the demo's last day has one of its own).
  const [redemption] = await db.query<{ shop_id: string; resident_id: string | null; total: number }>("SELECT shop_id, resident_id, total FROM redemption WHERE shop_id IS NOT NULL ORDER BY change_seq DESC LIMIT 1");
  expect(redemption).toEqual({ shop_id: 'wzgl-shop1', resident_id: null, total: 15 });

  // The shop's own ledger: the redemption at the store on top, reversed (冲正) as a resident's is; the goods go back.
  await page.getByRole('button', { name: '完成' }).click();
  await row.getByRole('button', { name: '积分明细' }).click();
  const ledger = page.getByTestId('ledger');
  const last = ledger.locator('li').first();
  await expect(last).toContainText('兑换 口罩（10只）×1');
  await expect(last).toContainText('−15');
  await last.getByRole('button', { name: '冲正' }).click();
  await page.getByRole('dialog').locator('input[name=reason]').fill('商铺拿错了');
  await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await expect(ledger.getByRole('status')).toHaveText('已冲正，等待同步。');
  await expect(page.getByTestId('shop-card').getByTestId('balance')).toHaveText(String(shopBefore));
  await expect(syncStatus(page)).toHaveText('已同步');
  expect((await db.query<{ balance: number }>("SELECT a.balance FROM account a JOIN partner_shop s ON s.account_id = a.id WHERE s.id = 'wzgl-shop1'"))[0]!.balance).toBe(shopBefore);
});

test('only an admin edits rules: absurd points and caps are refused; a new rule is awarded by, a stopped one is not; a new shop joins', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  await expect(page.getByRole('tab', { name: '积分规则' })).toHaveCount(0);
  await signInAs(page, ADMIN);
  await page.getByRole('tab', { name: '积分规则' }).click();
  const save = page.getByRole('button', { name: '保存规则' });
  await page.locator('input[name=ruleName]').fill('扫雪');
  for (const [points, message] of [['-5', '每次积分必须是 1 到 10000 的整数，不能是 -5。'], ['50000', '每次积分必须是 1 到 10000 的整数，不能是 50000。'], ['', '每次积分必须是 1 到 10000 的整数，不能是 NaN。']] as const) {
    await page.locator('input[name=rulePoints]').fill(points);
    await save.click();
    await expect(page.getByRole('alert')).toHaveText(message);
  }
  await page.locator('input[name=rulePoints]').fill('10');
  await page.locator('input[name=capPerDay]').fill('5');
  await save.click();
  await expect(page.getByRole('alert')).toHaveText('上限 5 不对：不能低于 10 分，月上限不能低于日上限。');
  await page.locator('input[name=ruleName]').fill('');
  await page.locator('input[name=capPerDay]').fill('30');
  await save.click();
  await expect(page.getByRole('alert')).toHaveText('请填写规则名称（30 字以内）。');
  expect(await outboxCount(page)).toBe(0);
  await page.locator('input[name=ruleName]').fill('扫雪');
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: '规则「扫雪」已保存' })).toBeVisible();
  await expect(page.getByTestId('rules')).toContainText('扫雪');

  await page.getByRole('button', { name: '新增商铺' }).click();
  // No name: said in the shop's words, nothing saved.
  await page.getByRole('button', { name: '保存商铺' }).click();
  await expect(page.getByRole('alert')).toHaveText('请填写商铺名称（1–50 个字）。');
  await page.locator('input[name=shopName]').fill('李记裁缝铺');
  await page.locator('textarea[name=offers]').fill('改衣 30分\n缝扣子 5分');
  await page.getByRole('button', { name: '保存商铺' }).click();
  await expect(page.getByRole('status').filter({ hasText: '商铺「李记裁缝铺」已保存' })).toBeVisible();

  await signInAs(page, CLERK);
  await open(page, rich[3]!.card_code);
  await page.getByRole('button', { name: '奖励积分', exact: true }).click();
  await expect(page.getByTestId('award').getByRole('group', { name: '小区治理' })).toContainText('扫雪 10 分/次 · 每日上限 30');
  await page.getByRole('button', { name: '商铺兑换' }).click();
  await expect(page.getByTestId('shop-redeem')).toContainText('李记裁缝铺');

  await signInAs(page, ADMIN);
  await page.getByRole('tab', { name: '积分规则' }).click();
  await page.getByTestId('rules').locator('tr', { hasText: '扫雪' }).getByRole('button', { name: '停用' }).click();
  await expect(page.getByTestId('rules').locator('tr', { hasText: '扫雪' })).toContainText('已停用');
  await page.getByRole('tab', { name: '柜台' }).click();
  await open(page, rich[3]!.card_code);
  await page.getByRole('button', { name: '奖励积分', exact: true }).click();
  await expect(page.getByTestId('award')).not.toContainText('扫雪');
  await expect(syncStatus(page)).toHaveText('已同步');
  expect(await db.query('SELECT name, points, cap_per_day, active FROM earning_rule WHERE name = $1', ['扫雪'])).toEqual([{ name: '扫雪', points: 10, cap_per_day: 30, active: false }]);
  expect((await db.query<{ offers: string[] }>('SELECT offers FROM partner_shop WHERE name = $1', ['李记裁缝铺']))[0]!.offers).toEqual(['改衣 30分', '缝扣子 5分']);
  expect(await db.query("SELECT count(*)::int AS n FROM event WHERE outcome = 'rejected'")).toEqual([{ n: 0 }]);
});

test('service hours: a roster by scan and search is certified once; the same again is refused; an entry is corrected with a reason', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const [a, b] = [rich[4]!, rich[5]!];
  const [bName] = await db.query<{ name: string }>('SELECT name FROM resident WHERE id = $1', [b.id]);
  const before = [await balanceOnServer(a.account_id), await balanceOnServer(b.account_id)];
  await page.getByRole('tab', { name: '服务认证' }).click();
  const certify = page.getByRole('button', { name: '认证全部' });
  await certify.click();
  await expect(page.getByRole('alert')).toHaveText('请填写活动名称。');
  await page.locator('input[name=activity]').fill('敬老院探访');
  await page.locator('input[name=team]').fill('五老关爱队');
  await certify.click();
  await expect(page.getByRole('alert')).toHaveText('还没有添加志愿者。');

  // The roster is certified and corrected offline (a day's activity typed in where the network is down), then synced once.
  const roster = page.getByTestId('roster');
  const dialog = page.getByRole('dialog');
  await server.stop();
  try {
    await scanKeys(page, a.card_code);
    await page.locator('input[name=residentSearch]').fill(bName!.name);
    await page.getByTestId('search-results').getByRole('button', { name: new RegExp(bName!.name) }).first().click();
    await expect(roster.locator('li')).toHaveCount(2);
    // Five hours at 10 分/小时 is 50 points, past the rule's 40 a day: refused, the volunteer named, nothing certified.
    const [aName] = await db.query<{ name: string }>('SELECT name FROM resident WHERE id = $1', [a.id]);
    await roster.locator('input[name=minutes]').nth(0).fill('300');
    await roster.locator('input[name=minutes]').nth(1).fill('120');
    await certify.click();
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
    await expect(page.getByRole('alert')).toContainText(`${aName!.name}本次 50 分会超过「志愿服务」的每日上限 40 分`);
    await expect(page.getByTestId('certified').locator('tr', { hasText: '敬老院探访' })).toHaveCount(0);
    await expect(roster.locator('li')).toHaveCount(2);
    await roster.locator('input[name=minutes]').nth(0).fill('90');
    await expect(roster.locator('li').nth(0)).toContainText('15 分');
    await certify.click();
    await expect(page.getByRole('dialog')).toContainText('为 2 位志愿者认证「敬老院探访」的服务时长，共 35 分。');
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已认证 2 位志愿者，共 35 分。' })).toBeVisible();
    // This activity's two (the demo's last day has a roster of its own).
    await expect(page.getByTestId('certified').locator('tr', { hasText: '敬老院探访' })).toHaveCount(2);

    // The same volunteer for the same activity again: hours are never certified twice.
    await scanKeys(page, a.card_code);
    // The scan lands in the roster first (a click before it would certify nobody).
    await expect(roster.locator('li')).toHaveCount(1);
    await certify.click();
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
    await expect(page.getByRole('alert')).toHaveText('这位志愿者这次活动的时长已经认证过了，如需更改请用「更正」。');

    const row = page.getByTestId('certified').locator('tr', { hasText: '敬老院探访' }).filter({ hasText: '90 min' });
    await row.getByRole('button', { name: '更正' }).click();
    await dialog.locator('input[name=newMinutes]').fill('120');
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect(dialog.getByRole('alert')).toHaveText('请填写原因。');
    await dialog.locator('input[name=reason]').fill('签到表核对');
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect(page.getByTestId('certified').locator('tr', { hasText: '敬老院探访' }).filter({ hasText: '120 min' })).toHaveCount(2);
    await expect(syncStatus(page)).toContainText('离线');
    expect([await balanceOnServer(a.account_id), await balanceOnServer(b.account_id)]).toEqual(before);
  } finally {
    await server.start();
  }
  await expect(syncStatus(page)).toHaveText('已同步');
  expect([await balanceOnServer(a.account_id), await balanceOnServer(b.account_id)]).toEqual([before[0]! + 20, before[1]! + 20]);

  // Yesterday's activity, certified today: the day picked, said in the question, kept on the entry.
  const yesterday = addDays(formatShanghai(Date.now()).slice(0, 10), -1);
  await page.locator('input[name=activity]').fill('昨日巡楼');
  await page.locator('select[name=activityDay]').selectOption(yesterday);
  await scanKeys(page, b.card_code);
  await expect(roster.locator('li', { hasText: bName!.name })).toHaveCount(1);
  await certify.click();
  await expect(page.getByRole('dialog')).toContainText(`（${yesterday.slice(5)} 的活动）`);
  await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await expect(page.getByTestId('certified').locator('tr', { hasText: '昨日巡楼' }).first()).toContainText(yesterday.slice(5));
  await expect(syncStatus(page)).toHaveText('已同步');
  expect(await db.query(`SELECT DISTINCT day FROM service_hours WHERE activity = '昨日巡楼'`)).toEqual([{ day: yesterday }]);
});
