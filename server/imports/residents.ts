import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  AGE_BANDS, cardSerialFor, checkSheetRow, columnLetter, findLayout, IMPORT_PART, issueText, makeCardCode, maskName, ResidentFlag, SHEET_WORDS, uuidv7,
  type EventBody, type ImportedResident, type Lang, type RowIssue,
} from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { pushAdminEvents, type Changer } from '../admin/changes.js';
import { SyncRefusal } from '../sync/refusal.js';
import { analyzeTables } from '../sync/rows.js';
import { keyedHash } from './idKey.js';
import { readSheet } from './sheet.js';

/**
 * Residents from a centre's Excel sheet, in three steps, nothing imported before the last:
 *
 * 1. `previewImport`: the sheet is read and every row checked (core/residents/residentSheet.ts:
 *    the GB 11643 check, phones, dates and formulas), then for duplicates, within the file and
 *    against the centre's residents, by keyed hashes of ID numbers and phones (idKey.ts). ID
 *    numbers are reduced at once to their mask and hash; the number itself is dropped with the
 *    file. The rows to import and the report wait in `resident_import`, state `previewed`.
 * 2. `commitImport`, when the admin confirms: the rows without errors become `residentsImported`
 *    events of the centre's server device (500 a part, new cards from the server's own block),
 *    all in one transaction; duplicates are looked for again first (another import or a counter
 *    may have registered someone since the preview).
 * 3. `undoImport`, later: `residentsRemoved` events for every resident of the import, marked
 *    removed, nothing deleted; refused while any of them has points moved on their account.
 *
 * Progress goes to `onProgress` (the routes stream it to the admin's progress bar).
 */

/** One row of the report: the sheet's row number, the name as read (masked), and what was found. */
export type ReportRow = { row: number; name: string; issues: RowIssue[] };
export type ImportCounts = { rows: number; ready: number; warnings: number; errors: number };
/** What the admin sees of a checked sheet. */
export type ImportPreview = { importId: string; fileName: string; state: ImportState; counts: ImportCounts; report: ReportRow[]; ignoredColumns: string[]; createdAt: string };
export type ImportState = 'previewed' | 'committed' | 'discarded' | 'undone';
export type Progress = (phase: 'reading' | 'checking' | 'importing' | 'undoing', done: number, total: number) => void;

/** A row waiting to be imported: the resident without the ids and card the commit gives. */
const StagedRow = z.object({
  row: z.number().int(),
  name: z.string(), phoneTail: z.string().nullable(), phoneHash: z.string().nullable(), building: z.string().nullable(), room: z.string().nullable(),
  birthDate: z.string().nullable(), ageBand: z.enum(AGE_BANDS).nullable(), flags: z.array(ResidentFlag), idMasked: z.string().nullable(), idHash: z.string().nullable(),
});
type StagedRow = z.infer<typeof StagedRow>;

const today = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Residents of the centre (not removed) holding any of these hashes, by hash. */
async function holders(db: Queryable, key: Buffer, centreId: string, idHashes: string[], phoneHashes: string[]): Promise<{ byId: Map<string, Holder>; byPhone: Map<string, Holder[]> }> {
  const rows = await db.query<Holder & { id_hash: string | null; phone_hash: string | null }>(
    `SELECT id, name, card_code AS "cardCode", id_hash, phone_hash FROM resident
     WHERE centre_id = $1 AND NOT coalesce(removed, false) AND (id_hash = ANY($2::text[]) OR phone_hash = ANY($3::text[]))`, [centreId, idHashes, phoneHashes]);
  // Residents registered at a counter brought their full phone in the event only: hashed here.
  const registered = await db.query<Holder & { phone: string }>(
    `SELECT r.id, r.name, r.card_code AS "cardCode", e.payload->>'phone' AS phone FROM event e
     JOIN resident r ON r.centre_id = e.centre_id AND r.id = e.payload->>'residentId'
     WHERE e.centre_id = $1 AND e.kind = 'residentRegistered' AND e.outcome = 'applied' AND e.payload->>'phone' IS NOT NULL AND r.phone_hash IS NULL AND NOT coalesce(r.removed, false)`, [centreId]);
  const byId = new Map<string, Holder>();
  const byPhone = new Map<string, Holder[]>();
  const addPhone = (hash: string, h: Holder) => byPhone.set(hash, [...(byPhone.get(hash) ?? []), h]);
  const wanted = new Set(phoneHashes);
  for (const r of rows) {
    if (r.id_hash) byId.set(r.id_hash, r);
    if (r.phone_hash && wanted.has(r.phone_hash)) addPhone(r.phone_hash, r);
  }
  for (const r of registered) {
    const hash = keyedHash(key, 'phone', r.phone);
    if (wanted.has(hash)) addPhone(hash, r);
  }
  return { byId, byPhone };
}
type Holder = { id: string; name: string; cardCode: string };

/** Marks rows that duplicate each other or the centre's residents. Errors keep a row out; a shared phone only warns. */
function findDuplicates(rows: { row: number; staged: StagedRow; issues: RowIssue[] }[], centre: Awaited<ReturnType<typeof holders>>, columns: { id: string; phone: string }): void {
  const firstById = new Map<string, number>();
  const firstByPhone = new Map<string, { row: number; name: string }>();
  for (const r of rows) {
    const { idHash, phoneHash, name } = r.staged;
    const error = (column: string, key: RowIssue['key'], params: RowIssue['params']) => r.issues.push({ level: 'error', column, key, params });
    const warn = (column: string, key: RowIssue['key'], params: RowIssue['params']) => r.issues.push({ level: 'warning', column, key, params });
    if (idHash) {
      const first = firstById.get(idHash);
      if (first !== undefined) error(columns.id, 'duplicateIdInFile', { row: first });
      else firstById.set(idHash, r.row);
      const there = centre.byId.get(idHash);
      if (there) error(columns.id, 'duplicateIdInCentre', { name: maskName(there.name), card: there.cardCode });
    }
    if (phoneHash) {
      const first = firstByPhone.get(phoneHash);
      if (first && first.name === name) error(columns.phone, 'duplicatePhoneInFile', { row: first.row });
      else if (first) warn(columns.phone, 'samePhoneInFile', { row: first.row, name: maskName(first.name) });
      else firstByPhone.set(phoneHash, { row: r.row, name });
      for (const there of centre.byPhone.get(phoneHash) ?? []) {
        if (there.name === name) error(columns.phone, 'duplicatePhoneInCentre', { name: maskName(there.name), card: there.cardCode });
        else warn(columns.phone, 'samePhoneInCentre', { name: maskName(there.name), card: there.cardCode });
      }
    }
  }
}

const countsOf = (rows: { issues: RowIssue[] }[]): ImportCounts => ({
  rows: rows.length,
  ready: rows.filter((r) => !r.issues.some((i) => i.level === 'error')).length,
  warnings: rows.filter((r) => r.issues.some((i) => i.level === 'warning') && !r.issues.some((i) => i.level === 'error')).length,
  errors: rows.filter((r) => r.issues.some((i) => i.level === 'error')).length,
});

/** Reads and checks a sheet, and keeps it for the admin to confirm. Nothing is imported. */
export async function previewImport(db: Db, key: Buffer, who: { centreId: string; staffId: string }, fileName: string, bytes: Buffer, now: Date, onProgress: Progress = () => {}): Promise<ImportPreview> {
  onProgress('reading', 0, 1);
  const sheet = await readSheet(bytes);
  const found = findLayout(sheet.rows);
  if (!found.ok) {
    const r = found.refusal;
    throw new SyncRefusal('malformed', 422, `${SHEET_WORDS[r.key].zh(r.params)} / ${SHEET_WORDS[r.key].en(r.params)}`);
  }
  const { layout } = found;
  const day = today(now);
  const checked: { row: number; staged: StagedRow; issues: RowIssue[] }[] = [];
  const data = sheet.rows.slice(layout.headerRow + 1);
  onProgress('checking', 0, data.length);
  data.forEach((cells, i) => {
    const result = checkSheetRow(cells, layout, day);
    if (result) {
      const { row: r, issues } = result;
      checked.push({
        row: sheet.rowNumbers[layout.headerRow + 1 + i]!, issues,
        staged: {
          row: sheet.rowNumbers[layout.headerRow + 1 + i]!, name: r.name, phoneTail: r.phone ? r.phone.slice(-4) : null, phoneHash: r.phone ? keyedHash(key, 'phone', r.phone) : null,
          building: r.building, room: r.room, birthDate: r.birthDate, ageBand: r.ageBand, flags: r.flags,
          // The ID number goes no further than here: its mask and keyed hash are kept.
          idMasked: r.idNumber?.masked ?? null, idHash: r.idNumber ? keyedHash(key, 'id', r.idNumber.number) : null,
        },
      });
    }
    if ((i + 1) % 1_000 === 0) onProgress('checking', i + 1, data.length);
  });
  onProgress('checking', data.length, data.length);
  const centre = await holders(db, key, who.centreId, checked.flatMap((c) => (c.staged.idHash ? [c.staged.idHash] : [])), checked.flatMap((c) => (c.staged.phoneHash ? [c.staged.phoneHash] : [])));
  const letter = (i: number | undefined) => (i === undefined ? '' : columnLetter(i));
  findDuplicates(checked, centre, { id: letter(layout.columns.idNumber), phone: letter(layout.columns.phone) });

  const importId = uuidv7(now.getTime(), randomBytes(16));
  const counts = countsOf(checked);
  const report: ReportRow[] = checked.filter((c) => c.issues.length > 0).map((c) => ({ row: c.row, name: c.staged.name ? maskName(c.staged.name) : '', issues: c.issues }));
  const ready = checked.filter((c) => !c.issues.some((i) => i.level === 'error')).map((c) => c.staged);
  await db.query(
    `INSERT INTO resident_import (id, centre_id, staff_id, file_name, state, rows, report, counts, created_at) VALUES ($1, $2, $3, $4, 'previewed', $5, $6, $7, $8)`,
    [importId, who.centreId, who.staffId, fileName.slice(0, 200), JSON.stringify(ready), JSON.stringify({ report, ignored: layout.ignored }), JSON.stringify(counts), now],
  );
  return { importId, fileName: fileName.slice(0, 200), state: 'previewed', counts, report, ignoredColumns: layout.ignored, createdAt: now.toISOString() };
}

type ImportRow = { id: string; file_name: string; state: ImportState; rows: unknown; report: { report: ReportRow[]; ignored: string[] }; counts: ImportCounts; created_at: string; staff_id: string };

async function loadImport(db: Queryable, centreId: string, importId: string, lock = false): Promise<ImportRow> {
  const [row] = await db.query<ImportRow>(
    `SELECT id, file_name, state, rows, report, counts, created_at::text AS created_at, staff_id FROM resident_import WHERE centre_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [centreId, importId]);
  if (!row) throw new SyncRefusal('malformed', 404, `没有这次导入 / no import ${importId.slice(0, 40)} in this centre`);
  return row;
}

/** A kept import, as the admin sees it again. */
export async function getImport(db: Queryable, centreId: string, importId: string): Promise<ImportPreview> {
  const r = await loadImport(db, centreId, importId);
  return { importId: r.id, fileName: r.file_name, state: r.state, counts: r.counts, report: r.report.report, ignoredColumns: r.report.ignored, createdAt: r.created_at };
}

/** The centre's imports, newest first. */
export async function listImports(db: Queryable, centreId: string): Promise<{ importId: string; fileName: string; state: ImportState; counts: ImportCounts; createdAt: string; staffId: string }[]> {
  return db.query(
    `SELECT id AS "importId", file_name AS "fileName", state, counts, created_at::text AS "createdAt", staff_id AS "staffId" FROM resident_import WHERE centre_id = $1 ORDER BY created_at DESC LIMIT 100`, [centreId]);
}

/** The report as rows for a CSV or Excel file, in the language asked. */
export function reportLines(preview: ImportPreview, lang: Lang): string[][] {
  const level = { error: lang === 'zh' ? '错误（不导入）' : 'error (not imported)', warning: lang === 'zh' ? '提示（照常导入）' : 'warning (imported)' };
  return preview.report.flatMap((r) => r.issues.map((i) => [String(r.row), r.name, level[i.level], issueText(i, lang)]));
}

/** The serial of the next card of the centre's server block (see `cardSerialFor`). */
async function nextServerCard(tx: Queryable, centreId: string): Promise<number> {
  const [row] = await tx.query<{ n: number | null }>(
    `SELECT max(substring(card_code from 3 for 8)::int) AS n FROM resident WHERE centre_id = $1 AND card_code ~ '^LL9[0-9]{9}$'`, [centreId]);
  return row?.n ? row.n - cardSerialFor('IMPORT', 1)! + 2 : 1;
}

/**
 * Imports the rows of a previewed sheet that had no error, as the admin confirmed: events of the
 * server device, all in one transaction. Answers how many residents came in and their cards.
 */
export async function commitImport(db: Db, key: Buffer, who: Changer & { staffId: string }, importId: string, now: Date, onProgress: Progress = () => {}): Promise<{ imported: number; firstCard: string | null; lastCard: string | null }> {
  const staged = await loadImport(db, who.centreId, importId);
  if (staged.state !== 'previewed') throw new SyncRefusal('malformed', 409, `这次导入已经${stateWord[staged.state]}，不能再确认 / this import was ${staged.state} already`);
  const rows = z.array(StagedRow).parse(staged.rows);
  if (rows.length === 0) throw new SyncRefusal('malformed', 409, '没有可以导入的行：请改正表里的错误后重新导入 / no row can be imported: correct the sheet and import it again');
  // Someone may have come in since the preview (a counter, another import): looked for again.
  const centre = await holders(db, key, who.centreId, rows.flatMap((r) => (r.idHash ? [r.idHash] : [])), rows.flatMap((r) => (r.phoneHash ? [r.phoneHash] : [])));
  const since = rows.filter((r) => (r.idHash && centre.byId.has(r.idHash)) || (r.phoneHash && (centre.byPhone.get(r.phoneHash) ?? []).some((h) => h.name === r.name)));
  if (since.length > 0) {
    throw new SyncRefusal('malformed', 409, `预览之后，第 ${since.slice(0, 10).map((r) => r.row).join('、')} 行的居民已在本中心登记：请重新导入这个文件，再次预览 / since the preview, rows ${since.slice(0, 10).map((r) => r.row).join(', ')} were registered here: import the file again to preview it anew`);
  }
  let made: ImportedResident[] = [];
  onProgress('importing', 0, rows.length);
  await pushAdminEvents(db, who, async (tx) => {
    // The staging row is locked with the server device: a second confirmation waits, then sees it committed.
    const again = await loadImport(tx, who.centreId, importId, true);
    if (again.state !== 'previewed') throw new SyncRefusal('malformed', 409, `这次导入已经${stateWord[again.state]} / this import was ${again.state} already`);
    const first = await nextServerCard(tx, who.centreId);
    if (first + rows.length - 1 > 99_999) throw new SyncRefusal('malformed', 409, '服务器的卡号段已用完 / the server\'s block of card numbers is used up');
    made = rows.map((r, i) => ({
      residentId: uuidv7(now.getTime(), randomBytes(16)), accountId: uuidv7(now.getTime(), randomBytes(16)), cardCode: makeCardCode(cardSerialFor('IMPORT', first + i)!, 1),
      name: r.name, phoneTail: r.phoneTail, phoneHash: r.phoneHash, building: r.building, room: r.room, birthDate: r.birthDate, ageBand: r.ageBand, flags: r.flags,
      idMasked: r.idMasked, idHash: r.idHash,
    }));
    const parts = Math.ceil(made.length / IMPORT_PART);
    return Array.from({ length: parts }, (_, p): EventBody => ({
      kind: 'residentsImported', version: 1, payload: { importId, part: p + 1, parts, residents: made.slice(p * IMPORT_PART, (p + 1) * IMPORT_PART) },
    }));
  }, now, {
    batch: 2,
    onBatch: (done, total) => onProgress('importing', Math.min(rows.length, Math.round((done / total) * rows.length)), rows.length),
    inTx: async (tx) => {
      await tx.query(`UPDATE resident_import SET state = 'committed', committed_at = $3 WHERE centre_id = $1 AND id = $2`, [who.centreId, importId, now]);
    },
  });
  // Thousands of residents at once: the planner is told (PGlite runs no autovacuum). The import is
  // committed by now: statistics that could not be refreshed must not make it look failed.
  await analyzeTables(db).catch(() => undefined);
  return { imported: made.length, firstCard: made[0]?.cardCode ?? null, lastCard: made.at(-1)?.cardCode ?? null };
}

const stateWord: Record<ImportState, string> = { previewed: '预览', committed: '导入', discarded: '放弃', undone: '撤销' };

/** Drops a previewed sheet the admin does not want: nothing was imported, nothing is. */
export async function discardImport(db: Queryable, centreId: string, importId: string): Promise<void> {
  const staged = await loadImport(db, centreId, importId);
  if (staged.state !== 'previewed') throw new SyncRefusal('malformed', 409, `这次导入已经${stateWord[staged.state]} / this import was ${staged.state} already`);
  await db.query(`UPDATE resident_import SET state = 'discarded', rows = '[]' WHERE centre_id = $1 AND id = $2 AND state = 'previewed'`, [centreId, importId]);
}

/**
 * Undoes a committed import as a whole: every resident it brought is removed (marked, with the
 * reason; nothing deleted). Refused, naming them, while any of them has points moved on their
 * account: their ledger would be left without a resident at the counter.
 */
export async function undoImport(db: Db, who: Changer & { staffId: string }, importId: string, reason: string, now: Date, onProgress: Progress = () => {}): Promise<{ removed: number }> {
  const staged = await loadImport(db, who.centreId, importId);
  if (staged.state !== 'committed') throw new SyncRefusal('malformed', 409, `只能撤销已导入的 / only an import that was committed can be undone (this one: ${staged.state})`);
  const used = await db.query<{ name: string; card_code: string; entries: number }>(
    `SELECT r.name, r.card_code, count(l.id)::int AS entries FROM resident r JOIN ledger_entry l ON l.centre_id = r.centre_id AND l.account_id = r.account_id
     WHERE r.centre_id = $1 AND r.import_id = $2 GROUP BY r.name, r.card_code ORDER BY r.card_code LIMIT 20`, [who.centreId, importId]);
  if (used.length > 0) {
    const list = used.map((u) => `${maskName(u.name)}（${u.card_code}）`).join('、');
    throw new SyncRefusal('malformed', 409, `不能整体撤销：这些居民导入后已有积分记录：${list}。可以在居民页逐个修改。 / Cannot undo the whole import: these residents have ledger entries since: ${list}. Change them one by one on the residents page.`);
  }
  const ids = (await db.query<{ id: string }>(`SELECT id FROM resident WHERE centre_id = $1 AND import_id = $2 AND NOT coalesce(removed, false) ORDER BY id`, [who.centreId, importId])).map((r) => r.id);
  onProgress('undoing', 0, ids.length);
  const bodies: EventBody[] = [];
  for (let i = 0; i < ids.length; i += IMPORT_PART) {
    bodies.push({ kind: 'residentsRemoved', version: 1, payload: { importId, residentIds: ids.slice(i, i + IMPORT_PART), reason } });
  }
  await pushAdminEvents(db, who, bodies, now, {
    batch: 2,
    onBatch: (done, total) => onProgress('undoing', Math.round((done / total) * ids.length), ids.length),
    inTx: async (tx) => {
      await tx.query(`UPDATE resident_import SET state = 'undone', undone_at = $3 WHERE centre_id = $1 AND id = $2`, [who.centreId, importId, now]);
    },
  });
  return { removed: ids.length };
}
