import type { AgeBand, ResidentFlag } from '../entities.js';
import { maskPhone } from '../selfService/summary.js';
import type { Lang } from '../i18n/messages.js';
import { maskIdNumber, parseIdNumber, type IdNumber } from './idNumber.js';
import { isRealDay } from './residentsImported.js';

/**
 * Reading a centre's resident sheet (居民花名册), row by row, as centres keep them: a header row
 * with 姓名, 手机号, 楼栋, 房号, 身份证号, 出生日期 or 年龄段, 标签 (失能/独居/低保…), in any order,
 * maybe under a title row; cells typed as text, numbers, dates or formulas. Pure: the server turns
 * the workbook's cells into `SheetCell`s and calls this; duplicates (which need the server's keyed
 * hashes) are the server's.
 *
 * Every row gets a report: errors (the row is not imported) and warnings (imported as read, with
 * what was read). Examples of each:
 * - an ID number whose check character is wrong → error `idInvalid` (shown masked: 110***********0021);
 * - an ID number typed into a number cell, so Excel kept 15 digits of it → error `idStoredAsNumber`;
 * - a birth date typed as text `1950/3/2` → warning `dateAsText`, read as 1950-03-02;
 * - a cell computed by a formula → error `formula` (paste it as values first);
 * - a landline in the 手机号 column → warning `phoneNotMobile`, imported without a phone.
 */

/** A cell as the sheet holds it. */
export type SheetCell =
  | { t: 'empty' }
  | { t: 'text'; text: string }
  | { t: 'number'; value: number }
  /** A real date cell, as YYYY-MM-DD. */
  | { t: 'date'; iso: string }
  | { t: 'bool'; value: boolean }
  | { t: 'formula'; formula: string }
  | { t: 'error'; text: string };

/** The fields a sheet's columns may hold. */
export type SheetField = 'name' | 'phone' | 'building' | 'room' | 'idNumber' | 'birthDate' | 'ageBand' | 'age' | 'flags';

/** Header words centres use for each field (after spaces and bracketed notes are dropped, lower-cased). */
const HEADERS: Record<SheetField, readonly string[]> = {
  name: ['姓名', '名字', '居民姓名', '老人姓名', 'name'],
  phone: ['手机号', '手机', '手机号码', '电话', '联系电话', '电话号码', '联系方式', 'phone', 'mobile'],
  building: ['楼栋', '楼号', '栋', '楼', '幢', '楼栋号', 'building'],
  room: ['房号', '房间号', '门牌号', '室', '房间', '单元房号', 'room'],
  idNumber: ['身份证号', '身份证号码', '身份证', '证件号码', '公民身份号码', 'idnumber', 'id'],
  birthDate: ['出生日期', '生日', '出生年月日', '出生年月', 'birthdate', 'dateofbirth'],
  ageBand: ['年龄段', '年龄组', 'agegroup', 'ageband'],
  age: ['年龄', '岁数', 'age'],
  flags: ['标签', '类别', '特殊情况', '人员类别', '困难类别', 'flags', 'tags'],
};

/** The words flags go by in sheets. 半失能 counts as 失能: both need the canteen's help. */
const FLAG_WORDS: Record<string, ResidentFlag> = {
  失能: 'disabled', 半失能: 'disabled', 独居: 'livesAlone', 空巢独居: 'livesAlone', 低保: 'lowIncome', 特困: 'extremeHardship', 送餐: 'homeDelivery', 送餐上门: 'homeDelivery',
};

const normalise = (header: string) => header.replace(/[（(【[].*?[）)】\]]/g, '').replace(/[\s*＊:：]/g, '').toLowerCase();

/** The letter of a column (0 → A, 26 → AA), as the sheet shows it. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Where each field is in the sheet: its header row (0-based) and column per field. */
export type SheetLayout = { headerRow: number; columns: Partial<Record<SheetField, number>>; ignored: string[] };

/** Why a sheet cannot be read at all. */
export type SheetRefusal =
  | { key: 'noHeader'; params: { found: string } }
  | { key: 'duplicateColumn'; params: { header: string } }
  | { key: 'emptySheet'; params: Record<string, never> };

const cellText = (c: SheetCell | undefined): string => {
  if (!c) return '';
  switch (c.t) {
    case 'text': return c.text.trim();
    case 'number': return String(c.value);
    case 'date': return c.iso;
    case 'bool': return c.value ? 'TRUE' : 'FALSE';
    case 'formula': return `=${c.formula}`;
    case 'error': return c.text;
    case 'empty': return '';
  }
};

/**
 * Finds the header row among the first ten rows: the first that names 姓名 and at least one
 * other field. Columns whose header names no field are listed as ignored.
 */
export function findLayout(rows: readonly (readonly SheetCell[])[]): { ok: true; layout: SheetLayout } | { ok: false; refusal: SheetRefusal } {
  if (rows.every((r) => r.every((c) => c.t === 'empty'))) return { ok: false, refusal: { key: 'emptySheet', params: {} } };
  for (let i = 0; i < Math.min(rows.length, 10); i++) {
    const columns: Partial<Record<SheetField, number>> = {};
    const ignored: string[] = [];
    let duplicate: string | null = null;
    rows[i]!.forEach((cell, col) => {
      const text = cellText(cell);
      if (text === '') return;
      const field = (Object.keys(HEADERS) as SheetField[]).find((f) => HEADERS[f].includes(normalise(text)));
      if (!field) ignored.push(`${columnLetter(col)} ${text.slice(0, 20)}`);
      else if (columns[field] !== undefined) duplicate = text.slice(0, 20);
      else columns[field] = col;
    });
    if (columns.name === undefined || Object.keys(columns).length < 2) continue;
    if (duplicate !== null) return { ok: false, refusal: { key: 'duplicateColumn', params: { header: duplicate } } };
    return { ok: true, layout: { headerRow: i, columns, ignored } };
  }
  const first = rows.find((r) => r.some((c) => c.t !== 'empty')) ?? [];
  return { ok: false, refusal: { key: 'noHeader', params: { found: first.map((c, i) => `${columnLetter(i)} ${cellText(c).slice(0, 20)}`).filter((s) => !s.endsWith(' ')).join('、').slice(0, 300) } } };
}

/** A finding about one row: an error keeps the row out, a warning says what was read. */
export type RowIssue = { level: 'error' | 'warning'; column: string; key: IssueKey; params: Record<string, string | number> };

/** What a row gave, checked. `idNumber` is the full number, only for the server to mask and hash at once. */
export type SheetRow = {
  name: string; phone: string | null; building: string | null; room: string | null; idNumber: IdNumber | null;
  birthDate: string | null; ageBand: AgeBand | null; flags: ResidentFlag[];
};

const MOBILE = /^1[3-9]\d{9}$/;

/** Reads a date from a cell: a date, text in a common form (a warning), or an Excel day number (a warning). */
function readDate(cell: SheetCell): { iso: string; how: 'date' | 'text' | 'number' } | null {
  if (cell.t === 'date') return { iso: cell.iso, how: 'date' };
  if (cell.t === 'number') {
    if (Number.isInteger(cell.value) && cell.value >= 18_000_101 && cell.value <= 21_001_231) {
      const s = String(cell.value);
      const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
      return isRealDay(iso) ? { iso, how: 'number' } : null;
    }
    // Excel's day number (1 = 1900-01-01, with its leap-year bug: days after 1900-02-28 are one ahead).
    if (Number.isInteger(cell.value) && cell.value > 60 && cell.value < 80_000) {
      return { iso: new Date(Date.UTC(1899, 11, 30) + cell.value * 86_400_000).toISOString().slice(0, 10), how: 'number' };
    }
    return null;
  }
  if (cell.t !== 'text') return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(cell.text.trim()) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(cell.text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isRealDay(iso) ? { iso, how: 'text' } : null;
}

/** Reads an age group: 60-69, 60～69岁, 80岁以上, 80+, 60岁以下. */
function readAgeBand(text: string): AgeBand | null {
  const t = text.replace(/\s|岁|周岁/g, '').replace(/[～~—–至到]/g, '-');
  if (/^(60以下|<60|60-|不满60|59以下)$/.test(t)) return 'under60';
  if (/^60-69$/.test(t)) return '60-69';
  if (/^70-79$/.test(t)) return '70-79';
  if (/^(80\+|80以上|80及以上|≥80|>=80|80-\d+)$/.test(t)) return '80+';
  return null;
}

/** The age group of an age in years. */
export function ageBandOf(age: number): AgeBand {
  return age < 60 ? 'under60' : age < 70 ? '60-69' : age < 80 ? '70-79' : '80+';
}

/**
 * Checks one row of the sheet (cells as read, `rowNumber` as the sheet numbers it) against the
 * layout. Answers null for a row with nothing in it, else what was read and the issues found.
 * `today` is YYYY-MM-DD in Shanghai.
 */
export function checkSheetRow(cells: readonly SheetCell[], layout: SheetLayout, today: string): { row: SheetRow; issues: RowIssue[] } | null {
  const used = Object.values(layout.columns);
  if (used.every((i) => (cells[i]?.t ?? 'empty') === 'empty')) return null;
  const issues: RowIssue[] = [];
  const at = (f: SheetField) => (layout.columns[f] === undefined ? undefined : { cell: cells[layout.columns[f]] ?? ({ t: 'empty' } as SheetCell), column: columnLetter(layout.columns[f]) });
  const error = (column: string, key: IssueKey, params: Record<string, string | number> = {}) => issues.push({ level: 'error', column, key, params });
  const warn = (column: string, key: IssueKey, params: Record<string, string | number> = {}) => issues.push({ level: 'warning', column, key, params });
  // Cells that are not values: a formula (its cached result may be stale or missing) or an error.
  const plain = (f: SheetField): { cell: SheetCell; column: string } | undefined => {
    const c = at(f);
    if (!c) return undefined;
    if (c.cell.t === 'formula') {
      error(c.column, 'formula', { formula: c.cell.formula.slice(0, 40) });
      return undefined;
    }
    if (c.cell.t === 'error') {
      error(c.column, 'cellError', { text: c.cell.text.slice(0, 20) });
      return undefined;
    }
    return c;
  };
  const textOf = (f: SheetField, max: number): string | null => {
    const c = plain(f);
    if (!c) return null;
    const text = c.cell.t === 'number' && Number.isInteger(c.cell.value) ? String(c.cell.value) : cellText(c.cell);
    if (text.length > max) {
      error(c.column, 'tooLong', { max });
      return null;
    }
    return text === '' ? null : text;
  };

  const name = textOf('name', 50);
  if (name === null && !issues.some((i) => i.column === at('name')?.column)) error(at('name')!.column, 'nameMissing');

  let phone: string | null = null;
  const phoneCell = plain('phone');
  if (phoneCell && phoneCell.cell.t !== 'empty') {
    const raw = cellText(phoneCell.cell).replace(/[\s\-()（）]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
    if (MOBILE.test(raw)) phone = raw;
    else if (/^(0\d{9,11}|[2-9]\d{6,7})$/.test(raw)) warn(phoneCell.column, 'phoneNotMobile', { phone: maskPhone(raw) });
    else error(phoneCell.column, 'phoneInvalid', { phone: maskPhone(raw) });
  }

  const building = textOf('building', 20);
  const room = textOf('room', 20);

  let idNumber: IdNumber | null = null;
  const idCell = plain('idNumber');
  if (idCell && idCell.cell.t !== 'empty') {
    if (idCell.cell.t === 'number' || /^\d(\.\d+)?E\+\d+$/i.test(cellText(idCell.cell))) {
      // An 18-digit number is past what a spreadsheet number holds: its last digits are gone.
      error(idCell.column, 'idStoredAsNumber');
    } else {
      const raw = cellText(idCell.cell).replace(/\s/g, '');
      const parsed = parseIdNumber(raw, today);
      if (parsed.ok) idNumber = parsed.value;
      else if (/^\d{15}$/.test(raw)) error(idCell.column, 'idOld15', { id: maskIdNumber(raw) });
      else error(idCell.column, 'idInvalid', { id: maskIdNumber(raw.slice(0, 18)) });
    }
  }

  let birthDate: string | null = null;
  const birthCell = plain('birthDate');
  if (birthCell && birthCell.cell.t !== 'empty') {
    const read = readDate(birthCell.cell);
    if (!read || read.iso > today || read.iso < '1900-01-01') error(birthCell.column, 'dateInvalid', { text: cellText(birthCell.cell).slice(0, 20) });
    else {
      birthDate = read.iso;
      if (read.how === 'text') warn(birthCell.column, 'dateAsText', { text: cellText(birthCell.cell).slice(0, 20), read: read.iso });
      if (read.how === 'number') warn(birthCell.column, 'dateAsNumber', { text: cellText(birthCell.cell).slice(0, 20), read: read.iso });
    }
  }
  if (idNumber) {
    if (birthDate !== null && birthDate !== idNumber.birthDate) warn(birthCell!.column, 'birthDateDiffers', { read: birthDate, fromId: idNumber.birthDate });
    birthDate = idNumber.birthDate;
  }

  let ageBand: AgeBand | null = null;
  const bandText = textOf('ageBand', 20);
  if (bandText !== null) {
    ageBand = readAgeBand(bandText);
    if (!ageBand) error(at('ageBand')!.column, 'ageBandInvalid', { text: bandText });
  }
  const ageCell = plain('age');
  if (ageCell && ageCell.cell.t !== 'empty' && ageBand === null) {
    const age = Number(cellText(ageCell.cell).replace(/岁|周岁/g, ''));
    if (Number.isInteger(age) && age >= 0 && age <= 130) ageBand = ageBandOf(age);
    else error(ageCell.column, 'ageBandInvalid', { text: cellText(ageCell.cell).slice(0, 20) });
  }
  // A birth date says more than an age group: the group follows from it.
  if (birthDate !== null) ageBand = null;

  const flags: ResidentFlag[] = [];
  const flagText = textOf('flags', 100);
  if (flagText !== null) {
    for (const word of flagText.split(/[,，、;；/\s]+/).filter(Boolean)) {
      const flag = FLAG_WORDS[word];
      if (flag) {
        if (!flags.includes(flag)) flags.push(flag);
      } else warn(at('flags')!.column, 'flagUnknown', { flag: word.slice(0, 10) });
    }
  }

  if (phone === null && idNumber === null && !issues.some((i) => i.level === 'error')) warn(at('phone')?.column ?? at('idNumber')?.column ?? '', 'noPhoneNoId');
  return { row: { name: name ?? '', phone, building, room, idNumber, birthDate, ageBand, flags }, issues };
}

/** The findings a report may carry, beside the sheet's own refusals. */
export type IssueKey =
  | 'formula' | 'cellError' | 'tooLong' | 'nameMissing' | 'phoneInvalid' | 'phoneNotMobile' | 'idStoredAsNumber' | 'idOld15' | 'idInvalid'
  | 'dateInvalid' | 'dateAsText' | 'dateAsNumber' | 'birthDateDiffers' | 'ageBandInvalid' | 'flagUnknown' | 'noPhoneNoId'
  | 'duplicateIdInFile' | 'duplicatePhoneInFile' | 'samePhoneInFile' | 'duplicateIdInCentre' | 'duplicatePhoneInCentre' | 'samePhoneInCentre';

type Words<P> = Record<Lang, (p: P) => string>;
type P = Record<string, string | number>;

/** What each finding says, in Chinese and English. Parameters never hold a full ID number. */
export const SHEET_WORDS: Record<IssueKey | SheetRefusal['key'], Words<P>> = {
  formula: { zh: (p) => `是公式（=${p.formula}）：请先复制整列，选择性粘贴为「数值」。`, en: (p) => `is a formula (=${p.formula}): copy the column and paste it as values first.` },
  cellError: { zh: (p) => `单元格是错误值 ${p.text}。`, en: (p) => `holds the error ${p.text}.` },
  tooLong: { zh: (p) => `超过 ${p.max} 个字。`, en: (p) => `is longer than ${p.max} characters.` },
  nameMissing: { zh: () => '没有姓名。', en: () => 'has no name.' },
  phoneInvalid: { zh: (p) => `手机号 ${p.phone} 不是 11 位手机号。`, en: (p) => `phone ${p.phone} is not an 11-digit mobile number.` },
  phoneNotMobile: { zh: (p) => `${p.phone} 是座机号，不是手机号：导入时不填手机号。`, en: (p) => `${p.phone} is a landline, not a mobile: imported without a phone.` },
  idStoredAsNumber: {
    zh: () => '身份证号被存成了数字，末几位已经丢失：请把该列设为「文本」后重新输入。',
    en: () => 'the ID number was stored as a number and lost its last digits: format the column as text and type them again.',
  },
  idOld15: { zh: (p) => `${p.id} 是 15 位旧身份证号，请改为 18 位。`, en: (p) => `${p.id} is an old 15-digit ID number: give the 18-digit one.` },
  idInvalid: { zh: (p) => `身份证号 ${p.id} 不对（位数、出生日期或校验位有误）。`, en: (p) => `ID number ${p.id} is wrong (length, birth date or check character).` },
  dateInvalid: { zh: (p) => `出生日期「${p.text}」读不出来或不在合理范围。`, en: (p) => `birth date "${p.text}" cannot be read or is out of range.` },
  dateAsText: { zh: (p) => `出生日期「${p.text}」是文本，已按 ${p.read} 读入。`, en: (p) => `birth date "${p.text}" is text: read as ${p.read}.` },
  dateAsNumber: { zh: (p) => `出生日期「${p.text}」是数字，已按 ${p.read} 读入。`, en: (p) => `birth date "${p.text}" is a number: read as ${p.read}.` },
  birthDateDiffers: { zh: (p) => `出生日期 ${p.read} 与身份证号上的 ${p.fromId} 不同，已用身份证号上的。`, en: (p) => `birth date ${p.read} differs from the ID number's ${p.fromId}: the ID number's is used.` },
  ageBandInvalid: { zh: (p) => `年龄段「${p.text}」不认识（可写 60-69、70-79、80岁以上、60岁以下）。`, en: (p) => `age group "${p.text}" is not known (60-69, 70-79, 80+, under 60).` },
  flagUnknown: { zh: (p) => `标签「${p.flag}」不认识，已忽略（可用：失能、半失能、独居、低保、特困、送餐）。`, en: (p) => `flag "${p.flag}" is not known and was left out (失能, 半失能, 独居, 低保, 特困, 送餐).` },
  noPhoneNoId: { zh: () => '既没有手机号也没有身份证号：无法查重。', en: () => 'has neither phone nor ID number: duplicates cannot be found.' },
  duplicateIdInFile: { zh: (p) => `身份证号与第 ${p.row} 行相同。`, en: (p) => `the ID number is the same as row ${p.row}'s.` },
  duplicatePhoneInFile: { zh: (p) => `与第 ${p.row} 行的姓名和手机号都相同，是同一个人。`, en: (p) => `name and phone are the same as row ${p.row}'s: the same person.` },
  samePhoneInFile: { zh: (p) => `手机号与第 ${p.row} 行（${p.name}）相同：如是家人共用，可以导入。`, en: (p) => `the phone is the same as row ${p.row}'s (${p.name}): fine if they share it.` },
  duplicateIdInCentre: { zh: (p) => `身份证号已在本中心登记：${p.name}（${p.card}）。`, en: (p) => `the ID number is already registered here: ${p.name} (${p.card}).` },
  duplicatePhoneInCentre: { zh: (p) => `已在本中心登记：${p.name}（${p.card}），姓名和手机号相同。`, en: (p) => `already registered here: ${p.name} (${p.card}), same name and phone.` },
  samePhoneInCentre: { zh: (p) => `手机号与本中心的 ${p.name}（${p.card}）相同：如是家人共用，可以导入。`, en: (p) => `the phone is the same as ${p.name}'s (${p.card}) here: fine if they share it.` },
  noHeader: {
    zh: (p) => `表头不对：前 10 行里找不到「姓名」和至少一个其他列（手机号、楼栋、房号、身份证号、出生日期、年龄段、标签）。第一行是：${p.found}`,
    en: (p) => `Wrong columns: no row among the first ten names 姓名 (name) and another column (手机号, 楼栋, 房号, 身份证号, 出生日期, 年龄段, 标签). The first row holds: ${p.found}`,
  },
  duplicateColumn: { zh: (p) => `表头里「${p.header}」出现了两次：请只留一列。`, en: (p) => `The header "${p.header}" appears twice: keep one column.` },
  emptySheet: { zh: () => '第一个工作表是空的。', en: () => 'The first sheet is empty.' },
};

/** A finding in words: "C 列：…" / "column C: …". */
export function issueText(issue: Pick<RowIssue, 'column' | 'key' | 'params'>, lang: Lang): string {
  const words = SHEET_WORDS[issue.key][lang](issue.params);
  if (!issue.column) return words;
  return lang === 'zh' ? `${issue.column} 列：${words}` : `column ${issue.column} ${words}`;
}
