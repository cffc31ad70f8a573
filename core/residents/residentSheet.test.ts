import { describe, expect, it } from 'vitest';
import { idNumberCheck } from './idNumber.js';
import { checkSheetRow, findLayout, issueText, type SheetCell } from './residentSheet.js';

const t = (text: string): SheetCell => ({ t: 'text', text });
const n = (value: number): SheetCell => ({ t: 'number', value });
const empty: SheetCell = { t: 'empty' };
const id = (first17: string) => first17 + idNumberCheck(first17);
const today = '2026-11-25';
const header = ['序号', '姓名', '手机号', '楼栋', '房号', '身份证号', '出生日期', '标签'].map(t);

describe('the sheet layout', () => {
  it('finds the header under a title row, in any order, and lists the columns it ignores', () => {
    const found = findLayout([[t('五洲观澜居民花名册')], header]);
    expect(found).toEqual({ ok: true, layout: { headerRow: 1, columns: { name: 1, phone: 2, building: 3, room: 4, idNumber: 5, birthDate: 6, flags: 7 }, ignored: ['A 序号'] } });
    expect(findLayout([[t('名字'), t('年龄段')]])).toMatchObject({ ok: true, layout: { columns: { name: 0, ageBand: 1 } } });
    expect(findLayout([[t('手机号（11位）'), t(' 姓 名 ')]])).toMatchObject({ ok: true, layout: { columns: { phone: 0, name: 1 } } });
  });

  it('refuses a sheet with the wrong columns, saying what its first row holds', () => {
    const wrong = findLayout([[t('编号'), t('户主'), t('金额')], [n(1), t('张三'), n(5)]]);
    expect(wrong).toEqual({ ok: false, refusal: { key: 'noHeader', params: { found: 'A 编号、B 户主、C 金额' } } });
    expect(findLayout([[t('姓名'), t('手机'), t('电话')]])).toEqual({ ok: false, refusal: { key: 'duplicateColumn', params: { header: '电话' } } });
    expect(findLayout([[empty]])).toMatchObject({ ok: false, refusal: { key: 'emptySheet' } });
  });
});

describe('a row', () => {
  const layout = (findLayout([header]) as { ok: true; layout: Parameters<typeof checkSheetRow>[1] }).layout;
  const row = (cells: Partial<Record<number, SheetCell>>) => checkSheetRow(Array.from({ length: 8 }, (_, i) => cells[i] ?? empty), layout, today);
  const keys = (r: ReturnType<typeof row>) => r?.issues.map((i) => `${i.level}:${i.column}:${i.key}`);

  it('reads a clean row: the ID number gives the birth date, flags in the centre\'s words', () => {
    const r = row({ 1: t('张秀英'), 2: n(13812345678), 3: t('3栋'), 4: n(101), 5: t(id('11010519491231002')), 7: t('独居、失能') });
    expect(r?.issues).toEqual([]);
    expect(r?.row).toMatchObject({ name: '张秀英', phone: '13812345678', building: '3栋', room: '101', birthDate: '1949-12-31', flags: ['livesAlone', 'disabled'] });
    expect(r?.row.idNumber?.masked).toBe('110***********002X');
    expect(row({})).toBeNull();
  });

  it('refuses a bad ID number, an ID number kept as a number, and a formula, and never shows the number in full', () => {
    const bad = row({ 1: t('李四'), 5: t('110105194912310021') });
    expect(keys(bad)).toEqual(['error:F:idInvalid']);
    expect(issueText(bad!.issues[0]!, 'zh')).toBe('F 列：身份证号 110***********0021 不对（位数、出生日期或校验位有误）。');
    expect(keys(row({ 1: t('李四'), 5: n(110105194912310020) }))).toEqual(['error:F:idStoredAsNumber']);
    expect(keys(row({ 1: t('李四'), 5: t('1.10105E+17') }))).toEqual(['error:F:idStoredAsNumber']);
    expect(keys(row({ 1: t('李四'), 2: { t: 'formula', formula: 'CONCAT("138",A2)' } }))).toEqual(['error:C:formula']);
    expect(keys(row({ 2: n(13812345678) }))).toEqual(['error:B:nameMissing']);
    expect(keys(row({ 1: t('王五'), 2: t('1381234') }))).toEqual(['error:C:phoneInvalid']);
    expect(keys(row({ 1: t('王五'), 2: t('0571-88123456') }))).toEqual(['warning:C:phoneNotMobile', 'warning:C:noPhoneNoId']);
  });

  it('reads a date stored as text or as a number, and says so; refuses one it cannot read', () => {
    const text = row({ 1: t('赵六'), 2: t('138 1234 5678'), 6: t('1950/3/2') });
    expect(text?.row.birthDate).toBe('1950-03-02');
    expect(text?.row.phone).toBe('13812345678');
    expect(keys(text)).toEqual(['warning:G:dateAsText']);
    expect(row({ 1: t('赵六'), 2: n(13812345678), 6: t('1950年3月2日') })?.row.birthDate).toBe('1950-03-02');
    expect(row({ 1: t('赵六'), 2: n(13812345678), 6: n(18324) })?.row.birthDate).toBe('1950-03-02');
    expect(row({ 1: t('赵六'), 2: n(13812345678), 6: { t: 'date', iso: '1950-03-02' } })?.issues).toEqual([]);
    expect(keys(row({ 1: t('赵六'), 2: n(13812345678), 6: t('五零年') }))).toEqual(['error:G:dateInvalid']);
    expect(keys(row({ 1: t('赵六'), 2: n(13812345678), 6: t('2031-01-01') }))).toEqual(['error:G:dateInvalid']);
  });

  it('takes an age group when there is no birth date, and ignores a flag it does not know with a warning', () => {
    const l = (findLayout([[t('姓名'), t('手机'), t('年龄段'), t('标签')]]) as { ok: true; layout: Parameters<typeof checkSheetRow>[1] }).layout;
    expect(checkSheetRow([t('孙七'), n(13900000000), t('80岁以上'), t('低保 送餐 党员')], l, today)).toMatchObject({
      row: { ageBand: '80+', flags: ['lowIncome', 'homeDelivery'] }, issues: [{ level: 'warning', column: 'D', key: 'flagUnknown', params: { flag: '党员' } }],
    });
    expect(checkSheetRow([t('孙七'), n(13900000000), t('70～79岁'), empty], l, today)?.row.ageBand).toBe('70-79');
    expect(checkSheetRow([t('孙七'), n(13900000000), t('老年'), empty], l, today)?.issues[0]?.key).toBe('ageBandInvalid');
  });
});
