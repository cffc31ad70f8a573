import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { monthReport } from '../server/admin/routes.js';
import { migrate } from '../server/db/migrate.js';
import { WUZHOU_GUANLAN } from '../server/demo/generate.js';
import { seedDemoCentre } from '../server/demo/seed.js';
import { commitImport, previewImport } from '../server/imports/residents.js';
import { parsePeriod } from '../server/reports/period.js';
import { seedSmallCentre } from '../test/support/centre.js';
import { scratchDb } from '../test/support/db.js';
import { residentsXlsx } from '../test/support/sheets.js';
import { percentile, round } from './stats.js';

type Figure = (name: string, value: number, unit: string) => void;
type Say = (text: string) => void;

/**
 * Administration's figures, on PGlite as a centre's server runs it:
 * - `import_rows_per_s`: 10,000 residents from an .xlsx, read, checked row by row and for
 *   duplicates (keyed hashes), then committed as the server device's events, over the whole time.
 * - `report_month_ms`: the monthly report of the full demo centre (8,507 residents, a year of
 *   history, the canteen): points, stock, meals with the settlement list, hours, exceptions, as
 *   the admin app asks for it (figures and tables; not the Excel file, written on download);
 *   the median of 5 after one warm-up.
 */
export async function adminFigures(figure: Figure, say: Say): Promise<void> {
  const IMPORTED = 10_000;
  say(`admin: ${IMPORTED} residents from an xlsx…`);
  const small = await scratchDb('pglite');
  try {
    await seedSmallCentre(small);
    const bytes = await residentsXlsx(IMPORTED);
    const key = randomBytes(32);
    const who = { centreId: 'wzgl', staffId: 'wzgl-s1' };
    const started = performance.now();
    const preview = await previewImport(small, key, who, 'residents.xlsx', bytes, new Date());
    if (preview.counts.ready !== IMPORTED) throw new Error(`import bench: ${preview.counts.ready} of ${IMPORTED} rows ready`);
    await commitImport(small, key, who, preview.importId, new Date());
    const seconds = (performance.now() - started) / 1000;
    figure('import_rows_per_s', IMPORTED / seconds, 'rows/s');
  } finally {
    await small.drop();
  }

  say('admin: seeding the full demo centre for the monthly report…');
  const db = await scratchDb('pglite');
  try {
    await migrate(db);
    const until = new Date();
    await seedDemoCentre(db, { ...WUZHOU_GUANLAN, until, canteen: true });
    const period = parsePeriod(new Date(until.getTime() - 20 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 7));
    const samples: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      await monthReport(db, 'wzgl', period, until);
      if (i > 0) samples.push(performance.now() - t0);
    }
    figure('report_month_ms', percentile(samples, 50), 'ms');
  } finally {
    await db.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await adminFigures(
    (name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value: round(value), unit })}\n`),
    (text) => process.stderr.write(`bench: ${text}\n`),
  );
}
