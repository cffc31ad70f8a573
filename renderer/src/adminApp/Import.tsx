import { useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { issueText, type RowIssue } from '../../../core/index.js';
import { AdminError, call, LangContext, streamed, useT, type Progress } from './api.js';
import { ErrorLine } from './App.js';

/**
 * Residents from Excel (居民导入): the admin picks the centre's sheet; the server reads and checks
 * every row and keeps the result (nothing imported); the admin reads the report, row by row, and
 * confirms, or discards; the import runs with a progress bar; an import can later be undone as a
 * whole. ID numbers never come back from the server: the report names rows and masked names.
 */
type Counts = { rows: number; ready: number; warnings: number; errors: number };
type Preview = { importId: string; fileName: string; state: string; counts: Counts; report: { row: number; name: string; issues: RowIssue[] }[]; ignoredColumns: string[] };
type ImportItem = { importId: string; fileName: string; state: 'previewed' | 'committed' | 'discarded' | 'undone'; counts: Counts; createdAt: string };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The server's limit (server/imports/sheet.ts): a file over it is refused before it is sent. */
const MAX_SHEET_MB = 10;
const PHASES: Record<Progress['phase'], [string, string]> = {
  uploading: ['上传', 'Uploading'], reading: ['读取表格', 'Reading the sheet'], checking: ['逐行检查', 'Checking rows'], importing: ['导入', 'Importing'], undoing: ['撤销', 'Undoing'],
};

function ProgressBar({ progress }: { progress: Progress | null }): ReactNode {
  const t = useT();
  if (!progress) return null;
  const [zh, en] = PHASES[progress.phase];
  return (
    <div className="card" data-testid="import-progress">
      <div>{t(zh, en)}：{progress.done} / {progress.total}</div>
      <progress max={Math.max(1, progress.total)} value={progress.done} aria-label={t(zh, en)} />
    </div>
  );
}

export function ImportScreen(): ReactNode {
  const t = useT();
  const lang = useContext(LangContext);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [imports, setImports] = useState<ImportItem[]>([]);
  const [undoing, setUndoing] = useState<ImportItem | null>(null);
  const [reason, setReason] = useState('');
  const refresh = useCallback(() => { call<ImportItem[]>('GET', '/api/admin/residents/imports').then(setImports, setError); }, []);
  useEffect(refresh, [refresh]);

  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    setDone(null);
    try {
      return await work();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setProgress(null);
    }
  };
  const upload = async (file: File) => {
    setPreview(null);
    setConfirming(false);
    if (file.size > MAX_SHEET_MB * 1_048_576) {
      const mb = (file.size / 1_048_576).toFixed(1);
      setDone(null);
      setError(new AdminError(413, 'tooLarge', `文件有 ${mb} MB，超过 ${MAX_SHEET_MB} MB 的上限。居民表一般不到 1 MB：请只保留居民这一个工作表，删去图片和其他工作表，另存后再导入。 / The file is ${mb} MB, over the ${MAX_SHEET_MB} MB limit. A resident sheet is usually under 1 MB: keep only the residents' sheet, remove pictures and other sheets, save it and import it again.`));
      return;
    }
    setProgress({ phase: 'uploading', done: 0, total: 1 });
    const p = await run(() => streamed<Preview>(`/api/admin/residents/imports?name=${encodeURIComponent(file.name)}`, { body: file, contentType: XLSX }, setProgress));
    if (p) setPreview(p);
    refresh();
  };
  const commit = async () => {
    if (!preview) return;
    setConfirming(false);
    const r = await run(() => streamed<{ imported: number; firstCard: string | null; lastCard: string | null }>(`/api/admin/residents/imports/${preview.importId}/commit`, {}, setProgress));
    if (r) {
      setDone(t(`已导入 ${r.imported} 位居民，卡号 ${r.firstCard ?? ''} 至 ${r.lastCard ?? ''}。`, `${r.imported} residents imported, cards ${r.firstCard ?? ''} to ${r.lastCard ?? ''}.`));
      setPreview(null);
    }
    refresh();
  };
  const discard = async () => {
    if (!preview) return;
    if (await run(() => call('POST', `/api/admin/residents/imports/${preview.importId}/discard`))) {
      setPreview(null);
      setDone(t('已放弃，没有导入任何居民。', 'Discarded: no resident was imported.'));
    }
    refresh();
  };
  const undo = async () => {
    if (!undoing) return;
    const item = undoing;
    setUndoing(null);
    const r = await run(() => streamed<{ removed: number }>(`/api/admin/residents/imports/${item.importId}/undo`, { body: JSON.stringify({ reason }), contentType: 'application/json' }, setProgress));
    if (r) setDone(t(`已撤销导入：移除了 ${r.removed} 位居民。`, `Import undone: ${r.removed} residents removed.`));
    setReason('');
    refresh();
  };

  return (
    <section>
      <h1>{t('从 Excel 导入居民', 'Residents from Excel')}</h1>
      <p>{t('表头需有「姓名」，以及手机号、楼栋、房号、身份证号、出生日期或年龄段、标签（失能、独居、低保…）中的几列。先检查，确认后才导入。',
        'The header row names 姓名 (name) and some of: phone, building, room, ID number, birth date or age group, flags (失能, 独居, 低保…). The sheet is checked first; nothing is imported until you confirm.')}</p>
      <label className="card">{t('选择 .xlsx 文件', 'Choose an .xlsx file')}
        <input type="file" accept=".xlsx" data-testid="import-file" disabled={progress !== null}
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void upload(f); }} />
      </label>
      <ProgressBar progress={progress} />
      <ErrorLine error={error} />
      {done && <p className="ok" role="status">{done}</p>}
      {preview && (
        <div className="card" data-testid="import-preview">
          <h2>{t('检查结果', 'Check')}：{preview.fileName}</h2>
          <p data-testid="import-counts">
            {t(`共 ${preview.counts.rows} 行：可导入 ${preview.counts.ready} 行（其中 ${preview.counts.warnings} 行有提示），有错误 ${preview.counts.errors} 行（不导入）。`,
              `${preview.counts.rows} rows: ${preview.counts.ready} ready (${preview.counts.warnings} with warnings), ${preview.counts.errors} with errors (not imported).`)}
          </p>
          {preview.ignoredColumns.length > 0 && <p className="warn">{t('这些列不认识，不导入：', 'Columns not known, left out: ')}{preview.ignoredColumns.join('、')}</p>}
          {preview.report.length > 0 && (
            <div className="scroll">
              <table data-testid="import-report">
                <thead><tr><th className="n">{t('行', 'Row')}</th><th>{t('姓名', 'Name')}</th><th>{t('说明', 'Finding')}</th></tr></thead>
                <tbody>
                  {preview.report.flatMap((r) => r.issues.map((i, k) => (
                    <tr key={`${r.row}-${k}`} className={i.level === 'error' ? 'error' : 'warn'}>
                      <td className="n">{r.row}</td><td>{r.name}</td>
                      <td>{i.level === 'error' ? t('错误：', 'Error: ') : t('提示：', 'Warning: ')}{issueText(i, lang)}</td>
                    </tr>
                  )))}
                </tbody>
              </table>
            </div>
          )}
          <p className="row">
            <a href={`/api/admin/residents/imports/${preview.importId}/report.csv?lang=${lang}`} download>{t('下载检查报告 CSV', 'Report as CSV')}</a>
            <a href={`/api/admin/residents/imports/${preview.importId}/report.xlsx?lang=${lang}`} download>{t('下载检查报告 Excel', 'Report as Excel')}</a>
          </p>
          {confirming ? (
            <div className="row" role="group" aria-label={t('确认导入', 'Confirm the import')}>
              <strong>{t(`将导入 ${preview.counts.ready} 位居民并发卡，确定吗？`, `Import ${preview.counts.ready} residents and give them cards?`)}</strong>
              <button type="button" className="primary" onClick={() => void commit()}>{t('确定导入', 'Import them')}</button>
              <button type="button" onClick={() => setConfirming(false)}>{t('取消', 'Cancel')}</button>
            </div>
          ) : (
            <div className="row">
              <button type="button" className="primary" disabled={preview.counts.ready === 0 || progress !== null} onClick={() => setConfirming(true)}>
                {t(`导入 ${preview.counts.ready} 位居民`, `Import ${preview.counts.ready} residents`)}
              </button>
              <button type="button" onClick={() => void discard()}>{t('放弃', 'Discard')}</button>
            </div>
          )}
        </div>
      )}
      <h2>{t('导入记录', 'Imports')}</h2>
      <table data-testid="imports">
        <thead><tr><th>{t('时间', 'When')}</th><th>{t('文件', 'File')}</th><th>{t('状态', 'State')}</th><th className="n">{t('行', 'Rows')}</th><th className="n">{t('可导入', 'Ready')}</th><th /></tr></thead>
        <tbody>
          {imports.map((i) => (
            <tr key={i.importId}>
              <td>{i.createdAt.slice(0, 16)}</td><td>{i.fileName}</td>
              <td>{{ previewed: t('待确认', 'waiting'), committed: t('已导入', 'imported'), discarded: t('已放弃', 'discarded'), undone: t('已撤销', 'undone') }[i.state]}</td>
              <td className="n">{i.counts.rows}</td><td className="n">{i.counts.ready}</td>
              <td>{i.state === 'committed' && <button type="button" className="danger" onClick={() => setUndoing(i)}>{t('整体撤销', 'Undo all')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {undoing && (
        <form className="card" aria-label={t('撤销导入', 'Undo the import')} onSubmit={(e) => { e.preventDefault(); void undo(); }}>
          <p><strong>{t(`撤销「${undoing.fileName}」：这次导入的 ${undoing.counts.ready} 位居民将被移除，他们的卡停用。`, `Undo "${undoing.fileName}": its ${undoing.counts.ready} residents are removed and their cards stop working.`)}</strong></p>
          <label>{t('原因', 'Reason')}<input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={100} /></label>
          <div className="row">
            <button type="submit" className="danger">{t('确定撤销', 'Undo it')}</button>
            <button type="button" onClick={() => setUndoing(null)}>{t('取消', 'Cancel')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
