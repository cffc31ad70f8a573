import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeStaffCardCode } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import type { ScratchDb } from '../support/db.js';
import { startLiveCentre } from '../support/kiosk.js';
import { badIdNumber, idNumber, libreOfficeXlsx } from '../support/sheets.js';

/**
 * The admin app in Chromium at 1366×768 against the real server on PostgreSQL: sign-in with the
 * admin password (the counter PIN opens nothing), residents from a real .xlsx made by LibreOffice
 * with bad rows (a report per row, nothing imported before the confirmation), the import undone
 * as a whole, the audit trail showing both, a sheet with wrong columns and a 50 MB file refused
 * with a clear message, sign-out.
 */
let db: ScratchDb;
let server: ServerProcess;
let stop: () => Promise<void>;
let dir: string;
let sheet: string;
let wrongColumns: string;

const GOOD_ID = idNumber('1948-03-07', 11);
const CSV = [
  '姓名,手机号,楼栋,房号,身份证号,出生日期,标签,备注',
  `张桂英,"13800138001",3,201,"${GOOD_ID}",1948-03-07,独居,`,
  `李建华,"13800138002",3,202,"${idNumber('1950-05-01', 12)}","1950年5月1日",,`,
  `王淑珍,"13800138003",4,101,"${badIdNumber('1949-01-02', 13)}",1949-01-02,,`,
  `赵国强,"13800138004",=1+3,102,"${idNumber('1951-02-03', 14)}",1951-02-03,,`,
  `刘秀兰,"13800138001",3,201,"${idNumber('1952-03-04', 15)}",1952-03-04,,老伴`,
  `张桂英,"13800138001",3,201,,1948-03-07,,`,
  `陈志明,"13800138007",5,301,${idNumber('1953-04-05', 16)},1953-04-05,,`,
  `,"13800138008",5,302,"${idNumber('1954-05-06', 17)}",1954-05-06,,`,
  `周玉梅,"13800138010",5,303,"${idNumber('1955-06-07', 18)}",1955-06-07,"低保,失能",`,
].join('\n');

test.beforeAll(async () => {
  // LibreOffice's first start and the server's migration share a busy CI machine: more than a test's two minutes.
  test.setTimeout(300_000);
  dir = await mkdtemp(path.join(tmpdir(), 'linli-admin-e2e-'));
  const [made, wrong] = await Promise.all([
    libreOfficeXlsx(CSV),
    libreOfficeXlsx('序号,户主,住址\n1,张三,3-201\n'),
    startLiveCentre().then((c) => ({ db, server, stop } = c)),
  ]);
  sheet = path.join(dir, '和谐社区居民.xlsx');
  wrongColumns = path.join(dir, '住户.xlsx');
  await writeFile(sheet, made);
  await writeFile(wrongColumns, wrong);
});
test.afterAll(async () => {
  await stop();
  await rm(dir, { recursive: true, force: true });
});

async function signIn(page: Page, password: string): Promise<void> {
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('工作证号').fill(makeStaffCardCode(1));
  await page.getByLabel(/管理后台密码/).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('an admin imports residents from a LibreOffice sheet with bad rows, confirms, undoes it, and finds both in the audit', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const residents = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resident WHERE centre_id = 'wzgl' AND import_id IS NOT NULL AND NOT coalesce(removed, false)`))[0]!.n;

  // The counter PIN is not the admin password.
  await signIn(page, '135790');
  await expect(page.getByRole('alert')).toContainText('工作证号或密码不对');
  await page.getByLabel(/管理后台密码/).fill(DEMO_ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('王秀英（LS')).toBeVisible();

  // Wrong columns: one clear message, nothing kept to import.
  await page.getByTestId('import-file').setInputFiles(wrongColumns);
  await expect(page.getByRole('alert')).toContainText('表头不对');
  await expect(page.getByTestId('import-preview')).toHaveCount(0);

  // A 50 MB file: refused with its size and what to do, before it is sent.
  const big = path.join(dir, 'big.xlsx');
  await writeFile(big, Buffer.alloc(50 * 1_048_576, 1));
  await page.getByTestId('import-file').setInputFiles(big);
  await expect(page.getByRole('alert')).toContainText('文件有 50.0 MB，超过 10 MB 的上限');

  // The real sheet: a report per row; nothing imported yet.
  await page.getByTestId('import-file').setInputFiles(sheet);
  await expect(page.getByTestId('import-counts')).toHaveText('共 9 行：可导入 4 行（其中 2 行有提示），有错误 5 行（不导入）。');
  const report = page.getByTestId('import-report');
  await expect(report.getByRole('row', { name: /^3 李\*华 提示：F 列：出生日期「1950年5月1日」是文本/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^4 王\*珍 错误：E 列：身份证号 .*不对/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^5 赵\*强 错误：C 列：是公式/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^6 刘\*兰 提示：B 列：手机号与第 2 行/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^7 张\*英 错误：B 列：与第 2 行的姓名和手机号都相同/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^8 陈\*明 错误：E 列：身份证号被存成了数字/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^9 +错误：.*没有姓名/ })).toBeVisible();
  // No full ID number reached the page.
  expect(await page.content()).not.toContain(GOOD_ID);
  await expect(page.getByText('这些列不认识，不导入：H 备注')).toBeVisible();
  expect(await residents()).toBe(0);

  // Confirmed: the four come in with cards, with a progress bar on the way.
  await page.getByRole('button', { name: '导入 4 位居民' }).click();
  await page.getByRole('button', { name: '确定导入' }).click();
  await expect(page.getByRole('status')).toContainText('已导入 4 位居民');
  expect(await residents()).toBe(4);
  const stored = await db.query<{ id_masked: string; id_hash: string }>(`SELECT id_masked, id_hash FROM resident WHERE centre_id = 'wzgl' AND name = '张桂英'`);
  expect(stored[0]!.id_masked).toBe(`${GOOD_ID.slice(0, 3)}***********${GOOD_ID.slice(-4)}`);
  const everything = JSON.stringify(await db.query(`SELECT r.*, (SELECT json_agg(payload) FROM event WHERE centre_id = 'wzgl' AND kind = 'residentsImported') AS events FROM resident r WHERE centre_id = 'wzgl'`));
  expect(everything).not.toContain(GOOD_ID);

  // The same sheet again: every row is now a duplicate of a resident of the centre.
  await page.getByTestId('import-file').setInputFiles(sheet);
  await expect(page.getByTestId('import-report').getByRole('row', { name: /^2 张\*英 错误：E 列：身份证号已在本中心登记/ })).toBeVisible();
  await page.getByRole('button', { name: '放弃' }).click();
  await expect(page.getByRole('status')).toHaveText('已放弃，没有导入任何居民。');

  // Undone as a whole.
  await page.getByTestId('imports').getByRole('button', { name: '整体撤销' }).click();
  await page.getByLabel('原因').fill('导入了错误的表');
  await page.getByRole('button', { name: '确定撤销' }).click();
  await expect(page.getByRole('status')).toHaveText('已撤销导入：移除了 4 位居民。');
  expect(await residents()).toBe(0);

  // Audited: who, when, what.
  await page.getByRole('button', { name: '审计' }).click();
  const audit = page.getByTestId('audit');
  await expect(audit.getByRole('row', { name: /王秀英 residentsRemoved/ })).toBeVisible();
  await expect(audit.getByRole('row', { name: /王秀英 residentsImported/ }).first()).toBeVisible();
  const csv = await page.request.get(`${server.url}/api/admin/audit/file.csv`);
  expect(await csv.text()).toContain('residentsImported');

  // Sign-out: the session is gone on the server too.
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  expect((await page.request.get(`${server.url}/api/admin/me`)).status()).toBe(401);
  await context.close();
});

test("an admin changes a resident's details and adds an ID number, keeps partner shops, the canteen's menus and places, and its subsidy categories", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await signIn(page, DEMO_ADMIN_PASSWORD);
  await expect(page.getByText('王秀英（LS')).toBeVisible();

  // A resident's details: a new room, 独居, and the ID number the sheet did not have.
  await page.getByRole('button', { name: '居民', exact: true }).click();
  const first = page.getByTestId('residents').getByRole('row').nth(1);
  const name = (await first.getByRole('cell').first().textContent())!;
  const [before] = await db.query<{ id: string; id_masked: string | null }>(`SELECT id, id_masked FROM resident WHERE centre_id = 'wzgl' AND name = $1`, [name]);
  expect(before!.id_masked).toBeNull();
  await first.getByRole('button', { name: '修改' }).click();
  const form = page.getByRole('form', { name: '修改居民信息' });
  await expect(form).toBeInViewport(); // above a list of 50, not under it
  await form.getByLabel('房号').fill('1808');
  await form.getByLabel('独居').check();
  await form.getByLabel(/^身份证号/).fill(badIdNumber('1950-05-01', 21));
  await form.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('alert')).toContainText('身份证号');
  const id = idNumber('1950-05-01', 21);
  await form.getByLabel(/^身份证号/).fill(id);
  await form.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status')).toHaveText(`${name} 的信息已保存。`);
  const row = page.getByTestId('residents').getByRole('row', { name: new RegExp(`^${name} `) });
  await expect(row).toContainText(`${id.slice(0, 3)}***********${id.slice(-4)}`);
  await expect(row).toContainText('独居');
  const [after] = await db.query<{ room: string; id_masked: string; id_hash: string; flags: string[] }>(`SELECT room, id_masked, id_hash, flags FROM resident WHERE centre_id = 'wzgl' AND id = $1`, [before!.id]);
  expect(after).toMatchObject({ room: '1808', id_masked: `${id.slice(0, 3)}***********${id.slice(-4)}` });
  expect(after!.flags).toContain('livesAlone');
  expect(after!.id_hash).toMatch(/\S{20,}/);
  expect(JSON.stringify(await db.query(`SELECT payload FROM event WHERE centre_id = 'wzgl' AND kind = 'residentUpdated'`))).not.toContain(id);

  // A partner shop joins with its offers, then leaves.
  await page.getByRole('button', { name: '爱心商铺' }).click();
  const shop = page.getByRole('form', { name: '商铺' });
  await shop.getByLabel('商铺名称').fill('老街理发店');
  await shop.getByLabel(/^积分服务/).fill('理发 50 分\n修面 20 分');
  await shop.getByRole('button', { name: '加入' }).click();
  await expect(page.getByRole('status')).toHaveText('老街理发店 已加入。');
  const shopRow = page.getByTestId('shops').getByRole('row', { name: /^老街理发店 / });
  await expect(shopRow).toContainText('理发 50 分；修面 20 分');
  await shopRow.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('status')).toHaveText('老街理发店 已退出，柜台不能再为它兑换。');
  expect(await db.query(`SELECT active, offers FROM partner_shop WHERE centre_id = 'wzgl' AND name = '老街理发店'`)).toEqual([{ active: false, offers: ['理发 50 分', '修面 20 分'] }]);

  // The canteen: three days of a lunch published after a confirmation, its menu changed, its places set.
  await page.getByRole('button', { name: '食堂菜单' }).click();
  const today = (await db.query<{ d: string }>(`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d`))[0]!.d;
  const plus = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const publish = page.getByRole('form', { name: '发布餐次' });
  await publish.getByLabel('日期').fill(plus(10));
  await publish.getByLabel('连续发布').selectOption('3');
  // Places left empty: refused with what to type, not published with none.
  await publish.getByLabel('名额').fill('');
  await publish.getByRole('button', { name: '发布…' }).click();
  await publish.getByRole('button', { name: '确定发布' }).click();
  await expect(page.getByRole('alert')).toHaveText('餐次信息有误：名额要填 0 或以上的整数。');
  await publish.getByLabel('名额').fill('30');
  await publish.getByRole('button', { name: '发布…' }).click();
  await expect(publish).toContainText(`发布 ${plus(10)} 起 3 天的午餐？发布后不能撤回`);
  const sittings = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM meal_sitting WHERE centre_id = 'wzgl' AND day >= $1`, [plus(10)]))[0]!.n;
  expect(await sittings()).toBe(0);
  await publish.getByRole('button', { name: '确定发布' }).click();
  await expect(page.getByRole('status')).toHaveText(`已发布 3 个餐次：${plus(10)}、${plus(11)}、${plus(12)}。`);
  expect(await sittings()).toBe(3);
  const sittingId = `${plus(10).replaceAll('-', '')}-l`;
  const sitting = page.getByTestId('sittings').locator(`tr[data-sitting="${sittingId}"]`);
  await expect(sitting).toContainText('爱心套餐 ￥5.00');
  await sitting.getByRole('button', { name: '改菜单' }).click();
  const menu = page.getByRole('form', { name: '修改菜单' });
  await menu.getByLabel('价格（元）').first().fill('6');
  await menu.getByRole('button', { name: '加一道菜' }).click();
  await menu.getByLabel('菜品 2').fill('番茄蛋汤');
  await menu.getByLabel('价格（元）').nth(1).fill('1');
  await menu.getByLabel('成本（元）').nth(1).fill('0.8');
  await menu.getByRole('button', { name: '保存菜单' }).click();
  await expect(page.getByRole('status')).toContainText('的菜单已保存：新增 1 道，修改 1 道。');
  await expect(sitting.locator('.meal')).toHaveText([/^爱心套餐 ￥6\.00/, /^番茄蛋汤 ￥1\.00/]);
  // A meal taken off sale (the tills stop selling it) and put back.
  const soup = sitting.locator('.meal', { hasText: '番茄蛋汤' });
  const soupOffered = async () => (await db.query<{ offered: boolean }>(`SELECT offered FROM menu_meal WHERE centre_id = 'wzgl' AND sitting_id = $1 AND name = '番茄蛋汤'`, [sittingId]))[0]!.offered;
  await soup.getByRole('button', { name: '停售' }).click();
  await expect(page.getByRole('status')).toContainText('「番茄蛋汤」已停售。');
  await expect(soup).toContainText('番茄蛋汤 ￥1.00（已停售）');
  expect(await soupOffered()).toBe(false);
  await soup.getByRole('button', { name: '恢复供应' }).click();
  await expect(page.getByRole('status')).toContainText('「番茄蛋汤」恢复供应。');
  await expect(soup).not.toContainText('已停售');
  expect(await soupOffered()).toBe(true);
  await sitting.getByRole('textbox').fill('45');
  await sitting.getByRole('button', { name: '设名额' }).click();
  await expect(sitting).toContainText('0/45');
  // Fewer places than taken: refused with the number taken, nothing changed.
  const [taken] = await db.query<{ id: string; used: number; capacity: number }>(`SELECT id, used, capacity FROM resource WHERE centre_id = 'wzgl' AND used > 0 AND id LIKE $1 ORDER BY id LIMIT 1`, [`${today.replaceAll('-', '')}-%`]);
  const busy = page.getByTestId('sittings').locator(`tr[data-sitting="${taken!.id}"]`);
  await busy.getByRole('textbox').fill(String(taken!.used - 1));
  await busy.getByRole('button', { name: '设名额' }).click();
  await expect(page.getByRole('alert')).toContainText(String(taken!.used));
  expect((await db.query<{ capacity: number }>(`SELECT capacity FROM resource WHERE centre_id = 'wzgl' AND id = $1`, [taken!.id]))[0]!.capacity).toBe(taken!.capacity);

  // Subsidy categories: a new one; its key again is refused; an old one retired.
  await page.getByRole('button', { name: '补贴类别' }).click();
  const rule = page.getByRole('form', { name: '补贴类别' });
  const fill = async () => {
    await rule.getByLabel('名称').fill('90岁以上');
    await rule.getByLabel(/^编号/).fill('age90');
    await rule.getByLabel('最小年龄').fill('90');
    await rule.getByLabel('每餐补贴（元）').fill('5');
    await rule.getByLabel('每日封顶（元）').fill('10');
    await rule.getByRole('button', { name: '添加类别' }).click();
  };
  await fill();
  await expect(page.getByRole('status')).toHaveText('已添加 90岁以上。');
  await expect(page.getByTestId('subsidy-rules').getByRole('row', { name: /^90岁以上 age90 90 岁以上 ￥5.00 ￥10.00/ })).toBeVisible();
  await fill();
  await expect(page.getByRole('alert')).toContainText('这个编号已经有类别在用了');
  // Retiring one is asked first (it changes the subsidy of every meal sold from now on); what is typed below stays.
  await rule.getByLabel('名称').fill('百岁老人');
  await page.getByTestId('subsidy-rules').getByRole('row', { name: /^60-69岁 / }).getByRole('button', { name: '停用' }).click();
  const asked = page.getByRole('alertdialog');
  await expect(asked).toContainText('停用「60-69岁」？从现在起售出的餐不再按这一类别补贴。');
  expect((await db.query<{ active: boolean }>(`SELECT active FROM subsidy_rule WHERE centre_id = 'wzgl' AND id = 'age60'`))[0]!.active).toBe(true);
  await asked.getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('status')).toHaveText('60-69岁 已停用。');
  await expect(rule.getByLabel('名称')).toHaveValue('百岁老人');
  expect(await db.query(`SELECT id, active, subsidy_fen FROM subsidy_rule WHERE centre_id = 'wzgl' AND id IN ('age60', 'age90') ORDER BY id`))
    .toEqual([{ id: 'age60', active: false, subsidy_fen: 100 }, { id: 'age90', active: true, subsidy_fen: 500 }]);

  // Every change is the admin's, in the audit trail.
  await page.getByRole('button', { name: '审计' }).click();
  for (const kind of ['residentUpdated', 'partnerShopSet', 'sittingPublished', 'menuChanged', 'sittingCapacitySet', 'subsidyRuleSet']) {
    await expect(page.getByTestId('audit').getByRole('row', { name: new RegExp(`王秀英 ${kind}`) }).first()).toBeVisible();
  }
  await context.close();
});
