import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { idNumberCheck } from '../../core/index.js';

const run = promisify(execFile);

/** A valid 18-character ID number (GB 11643 check character) for a birth date and a serial. */
export function idNumber(birthDate: string, serial: number, area = '110101'): string {
  const first17 = `${area}${birthDate.replaceAll('-', '')}${String(serial).padStart(3, '0')}`;
  return first17 + idNumberCheck(first17);
}

/** The same with a wrong check character. */
export function badIdNumber(birthDate: string, serial: number): string {
  const good = idNumber(birthDate, serial);
  return good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
}

/**
 * An .xlsx made by LibreOffice from CSV text, as a centre's sheet made by another program than
 * ours: `soffice --headless --convert-to xlsx`. Quoted fields stay text (a quoted ID number keeps
 * its 18 characters; an unquoted one becomes a number, as when typed into Excel); unquoted dates
 * and `=…` become dates and formulas.
 */
export async function libreOfficeXlsx(csv: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'linli-sheet-'));
  try {
    await writeFile(path.join(dir, 'residents.csv'), csv);
    // A profile of its own: parallel runs (and a user's open LibreOffice) do not lock each other out.
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--infilter=CSV:44,34,76,1,,2052,true,true', '--convert-to', 'xlsx', '--outdir', dir, path.join(dir, 'residents.csv')], { timeout: 180_000 });
    return await readFile(path.join(dir, 'residents.xlsx'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A sheet of `n` good residents, as exceljs writes it (fast, for figures). */
export async function residentsXlsx(n: number, o: { phoneBase?: number } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('居民');
  sheet.addRow(['姓名', '手机号', '楼栋', '房号', '身份证号', '出生日期', '标签']);
  const surnames = '王李张刘陈杨黄赵周吴';
  const given = ['秀英', '建国', '桂兰', '志强', '玉梅', '国华', '淑珍', '德明', '丽华', '文斌'];
  for (let i = 0; i < n; i++) {
    const year = 1930 + (i % 40);
    const birth = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    sheet.addRow([`${surnames[i % 10]}${given[Math.floor(i / 10) % 10]}${i >= 100 ? String(i) : ''}`, String((o.phoneBase ?? 13_100_000_000) + i), `${(i % 30) + 1}`, `${(i % 6) + 1}0${(i % 4) + 1}`,
      idNumber(birth, i % 1000, String(110101 + Math.floor(i / 1000))), new Date(`${birth}T00:00:00Z`), i % 7 === 0 ? '独居' : i % 11 === 0 ? '低保,失能' : '']);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
