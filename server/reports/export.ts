import ExcelJS from 'exceljs';

/**
 * Reports as files: CSV (UTF-8 with a byte-order mark, so Excel and WPS open the Chinese right;
 * CRLF lines) and Excel (.xlsx through exceljs, a sheet per table, numbers as numbers). Shared by
 * every report of the admin app (points, stock, volunteering, exceptions, the audit trail, an
 * import's report).
 */

/** A table of a report: a name (the Excel sheet's), its column headings and its rows. */
export type ReportTable = { name: string; columns: readonly string[]; rows: readonly (readonly (string | number | null)[])[] };

/** A CSV field: quoted when it must be; text starting with = + - @ is defused so a spreadsheet never runs it. */
function field(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One table as CSV text (with the byte-order mark). */
export function toCsv(table: ReportTable): string {
  return `\ufeff${[table.columns, ...table.rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

/** Tables as an Excel workbook, one sheet each, the header row bold and frozen. */
export async function toXlsx(tables: readonly ReportTable[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linli 邻里';
  for (const t of tables) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ].
    const sheet = workbook.addWorksheet(t.name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow([...t.columns]).font = { bold: true };
    for (const r of t.rows) sheet.addRow(r.map((v) => (typeof v === 'string' && /^[=+\-@]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v)));
    sheet.columns.forEach((c, i) => {
      const widest = Math.max(...[t.columns[i] ?? '', ...t.rows.slice(0, 200).map((r) => String(r[i] ?? ''))].map((s) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0)));
      c.width = Math.min(60, Math.max(8, widest + 2));
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
