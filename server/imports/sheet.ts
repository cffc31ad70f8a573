import ExcelJS from 'exceljs';
import type { SheetCell } from '../../core/index.js';
import { SyncRefusal } from '../sync/refusal.js';

/**
 * Reads the first worksheet of an .xlsx file into plain cells (`SheetCell`, see
 * core/residents/residentSheet.ts): what the cell holds, without exceljs's types, so the checks in
 * `core/` stay pure. A file that is not an .xlsx workbook (an old .xls, a CSV renamed, a cut
 * download) is refused whole with a message that says what to do.
 */

/** The largest sheet taken: a centre's 10,000 residents are well under 1 MB. */
export const MAX_SHEET_BYTES = 10 * 1_048_576;

/** The content type an .xlsx file is posted with. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The message for a file over the limit, with its size. */
export function tooLargeMessage(bytes: number): string {
  const mb = (bytes / 1_048_576).toFixed(1);
  return `文件有 ${mb} MB，超过 ${MAX_SHEET_BYTES / 1_048_576} MB 的上限。居民表一般不到 1 MB：请只保留居民这一个工作表，删去图片和其他工作表，另存后再导入。`
    + ` / The file is ${mb} MB, over the ${MAX_SHEET_BYTES / 1_048_576} MB limit. A resident sheet is usually under 1 MB: keep only the residents' sheet, remove pictures and other sheets, save it and import it again.`;
}

const toIso = (d: Date) => (Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10));

function cellOf(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return { t: 'empty' };
  if (typeof value === 'string') return value.trim() === '' ? { t: 'empty' } : { t: 'text', text: value };
  if (typeof value === 'number') return { t: 'number', value };
  if (typeof value === 'boolean') return { t: 'bool', value };
  if (value instanceof Date) return { t: 'date', iso: toIso(value) };
  if ('formula' in value || 'sharedFormula' in value) return { t: 'formula', formula: 'formula' in value ? String(value.formula) : String(value.sharedFormula) };
  if ('richText' in value) return cellOf(value.richText.map((r) => r.text).join(''));
  if ('error' in value) return { t: 'error', text: String(value.error) };
  if ('text' in value) return cellOf(typeof value.text === 'string' ? value.text : '');
  return { t: 'empty' };
}

/** The rows of the first worksheet, each an array of cells from column A; `rowNumbers` as the sheet numbers them. */
export async function readSheet(bytes: Buffer): Promise<{ rows: SheetCell[][]; rowNumbers: number[] }> {
  // An .xlsx file is a ZIP archive (PK…); an .xls is an OLE file (D0 CF 11 E0).
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new SyncRefusal('malformed', 422, '这是旧的 .xls 文件：请在 Excel 或 WPS 里「另存为」Excel 工作簿（.xlsx）后再导入。 / This is an old .xls file: save it as an Excel workbook (.xlsx) and import that.');
  }
  if (!bytes.subarray(0, 2).equals(Buffer.from('PK'))) {
    throw new SyncRefusal('malformed', 422, '这不是 Excel 工作簿（.xlsx）文件。 / This is not an Excel workbook (.xlsx).');
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new SyncRefusal('malformed', 422, '文件打不开：可能已损坏或没有下载完整，请重新保存后再导入。 / The file cannot be opened: it may be damaged or cut short; save it again and import it.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SyncRefusal('malformed', 422, '工作簿里没有工作表。 / The workbook has no sheet.');
  const rows: SheetCell[][] = [];
  const rowNumbers: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    const values = row.values as ExcelJS.CellValue[];
    // `values` starts at index 1 (column A).
    rows.push(Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellOf(values[i + 1])));
    rowNumbers.push(n);
  });
  return { rows, rowNumbers };
}
