import { useEffect, useState, type ReactNode } from 'react';
import { formatShanghai } from '../../../core/index.js';
import { call, useT } from './api.js';
import { ErrorLine } from './App.js';

/**
 * Reports (报表) for a month or a year, the audit trail (审计) and the city view (街道/市级): the
 * server's figures as tables, a bar chart where a series reads better than numbers, and the same
 * as CSV and Excel files to take away.
 */
type Line = { category: string; points: number; entries: number };
type MonthFigures = {
  points: {
    issued: Line[]; spent: Line[]; totals: { issued: number; spent: number; entries: number; accounts: number }; series: { bucket: string; issued: number; spent: number }[];
    byGoods: { goodsId: string; name: string; category: string; quantity: number; points: number; redemptions: number }[];
  };
  stock: { goods: { goodsId: string; name: string; opening: number; received: number; donated: number; redeemed: number; counted: number; reversed: number; closing: number }[] };
  meals: { categories: { category: string; name: string; meals: number; subsidyFen: number; deliverySubsidyFen: number }[]; totals: { meals: number; subsidyFen: number; deliverySubsidyFen: number; noShows: number }; toCheck: number };
  volunteering: { teams: { team: string; volunteers: number; activities: number; minutes: number; points: number }[]; series: { bucket: string; minutes: number }[] };
  exceptions: { byKind: { kind: string; total: number; open: number; resolved: number }[]; list: { id: string; kind: string; at: string; resolution: string | null; resolvedBy: string | null }[] };
};
const CATEGORY: Record<string, [string, string]> = {
  governance: ['小区治理', 'Governance'], civility: ['文明帮创', 'Civility'], reuse: ['废旧利用', 'Reuse'], volunteering: ['志愿服务', 'Volunteering'], other: ['其他', 'Other'],
  redemption: ['兑换商品', 'Goods redeemed'], shop: ['爱心商铺', 'Partner shops'], correction: ['更正与冲正', 'Corrections'], none: ['未分类', 'No category'],
};
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** A bar chart of one or two series, in SVG (no library; the CSP allows inline SVG). */
export function Bars({ series, label }: { series: { bucket: string; a: number; b?: number }[]; label: string }): ReactNode {
  const max = Math.max(1, ...series.flatMap((s) => [s.a, s.b ?? 0]));
  const w = 900;
  const h = 160;
  const step = w / Math.max(1, series.length);
  const bar = Math.max(2, step / (series.some((s) => s.b !== undefined) ? 2.5 : 1.5));
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h + 16}`} width="100%" role="img" aria-label={label}>
      {series.map((s, i) => (
        <g key={s.bucket}>
          <rect x={i * step} y={h - (s.a / max) * h} width={bar} height={(s.a / max) * h}><title>{`${s.bucket}: ${s.a}`}</title></rect>
          {s.b !== undefined && <rect className="b" x={i * step + bar} y={h - (s.b / max) * h} width={bar} height={(s.b / max) * h}><title>{`${s.bucket}: ${s.b}`}</title></rect>}
          {(series.length <= 12 || i % 5 === 0) && <text x={i * step} y={h + 12}>{s.bucket.slice(5) || s.bucket}</text>}
        </g>
      ))}
    </svg>
  );
}

const thisMonth = () => formatShanghai(Date.now()).slice(0, 7);

export function ReportsScreen(): ReactNode {
  const t = useT();
  const [period, setPeriod] = useState(thisMonth);
  const [r, setR] = useState<MonthFigures | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setR(null);
    setError(null);
    if (/^\d{4}(-\d{2})?$/.test(period)) call<MonthFigures>('GET', `/api/admin/reports/month?period=${period}`).then(setR, setError);
  }, [period]);
  const cat = (c: string) => t(...(CATEGORY[c] ?? [c, c]));
  return (
    <section>
      <h1>{t('报表', 'Reports')}</h1>
      <div className="row">
        <label>{t('月份（如 2026-11）或年份（如 2026）', 'Month (2026-11) or year (2026)')}<input value={period} onChange={(e) => setPeriod(e.target.value.trim())} data-testid="report-period" /></label>
        <a href={`/api/admin/reports/month/file.csv?period=${period}`} download>{t('下载 CSV', 'Download CSV')}</a>
        <a href={`/api/admin/reports/month/file.xlsx?period=${period}`} download>{t('下载 Excel', 'Download Excel')}</a>
        {/^\d{4}-\d{2}$/.test(period) && <a href={`/api/admin/canteen/claim.xlsx?month=${period}`} download>{t('助餐补贴申领表', 'Meal subsidy claim')}</a>}
      </div>
      <ErrorLine error={error} />
      {r && (
        <>
          <h2>{t('积分发放与使用', 'Points issued and spent')}</h2>
          <p data-testid="points-totals">{t(`发放 ${r.points.totals.issued} 分，使用 ${r.points.totals.spent} 分，涉及 ${r.points.totals.accounts} 个账户。`, `${r.points.totals.issued} issued, ${r.points.totals.spent} spent, ${r.points.totals.accounts} accounts.`)}</p>
          <Bars label={t('每日积分：蓝为发放，橙为使用', 'Points by day: blue issued, orange spent')} series={r.points.series.map((s) => ({ bucket: s.bucket, a: s.issued, b: s.spent }))} />
          <table data-testid="points-by-category">
            <thead><tr><th>{t('类别', 'Category')}</th><th className="n">{t('发放', 'Issued')}</th><th className="n">{t('使用', 'Spent')}</th></tr></thead>
            <tbody>
              {[...new Set([...r.points.issued, ...r.points.spent].map((l) => l.category))].map((c) => (
                <tr key={c}><td>{cat(c)}</td><td className="n">{r.points.issued.find((l) => l.category === c)?.points ?? 0}</td><td className="n">{r.points.spent.find((l) => l.category === c)?.points ?? 0}</td></tr>
              ))}
            </tbody>
          </table>
          <h2>{t('兑换商品', 'Redemptions by goods')}</h2>
          <div className="scroll"><table>
            <thead><tr><th>{t('商品', 'Goods')}</th><th className="n">{t('数量', 'Quantity')}</th><th className="n">{t('积分', 'Points')}</th></tr></thead>
            <tbody>{r.points.byGoods.map((g) => <tr key={g.goodsId}><td>{g.name}</td><td className="n">{g.quantity}</td><td className="n">{g.points}</td></tr>)}</tbody>
          </table></div>
          <h2>{t('库存变动', 'Stock movements')}</h2>
          <div className="scroll"><table>
            <thead><tr><th>{t('商品', 'Goods')}</th><th className="n">{t('期初', 'Opening')}</th><th className="n">{t('入库', 'In')}</th><th className="n">{t('捐赠', 'Donated')}</th><th className="n">{t('兑换', 'Redeemed')}</th><th className="n">{t('盘点', 'Counts')}</th><th className="n">{t('期末', 'Closing')}</th></tr></thead>
            <tbody>{r.stock.goods.map((g) => <tr key={g.goodsId}><td>{g.name}</td><td className="n">{g.opening}</td><td className="n">{g.received}</td><td className="n">{g.donated}</td><td className="n">{g.redeemed}</td><td className="n">{g.counted}</td><td className="n">{g.closing}</td></tr>)}</tbody>
          </table></div>
          <h2>{t('助餐（按补贴类别）', 'Meals by subsidy category')}</h2>
          <table data-testid="meals">
            <thead><tr><th>{t('类别', 'Category')}</th><th className="n">{t('份数', 'Meals')}</th><th className="n">{t('助餐补贴(元)', 'Subsidy (yuan)')}</th><th className="n">{t('送餐补贴(元)', 'Delivery subsidy')}</th></tr></thead>
            <tbody>
              {r.meals.categories.map((c) => <tr key={c.category}><td>{c.name}</td><td className="n">{c.meals}</td><td className="n">{yuan(c.subsidyFen)}</td><td className="n">{yuan(c.deliverySubsidyFen)}</td></tr>)}
              <tr><th>{t('合计', 'Total')}</th><th className="n">{r.meals.totals.meals}</th><th className="n">{yuan(r.meals.totals.subsidyFen)}</th><th className="n">{yuan(r.meals.totals.deliverySubsidyFen)}</th></tr>
            </tbody>
          </table>
          {r.meals.toCheck > 0 && <p className="warn">{t(`有 ${r.meals.toCheck} 笔补贴需核对后再申领。`, `${r.meals.toCheck} subsidies to check before claiming.`)}</p>}
          <h2>{t('志愿服务时长（按队伍）', 'Volunteer hours by team')}</h2>
          <Bars label={t('每日服务时长（分钟）', 'Minutes of service by day')} series={r.volunteering.series.map((s) => ({ bucket: s.bucket, a: s.minutes }))} />
          <table>
            <thead><tr><th>{t('队伍', 'Team')}</th><th className="n">{t('志愿者', 'Volunteers')}</th><th className="n">{t('活动', 'Activities')}</th><th className="n">{t('小时', 'Hours')}</th></tr></thead>
            <tbody>{r.volunteering.teams.map((x) => <tr key={x.team}><td>{x.team || t('（未分队）', '(no team)')}</td><td className="n">{x.volunteers}</td><td className="n">{x.activities}</td><td className="n">{(x.minutes / 60).toFixed(1)}</td></tr>)}</tbody>
          </table>
          <h2>{t('异常及处理', 'Exceptions and how they were resolved')}</h2>
          <table>
            <thead><tr><th>{t('类型', 'Kind')}</th><th className="n">{t('总数', 'Total')}</th><th className="n">{t('待处理', 'Open')}</th><th className="n">{t('已处理', 'Resolved')}</th></tr></thead>
            <tbody>{r.exceptions.byKind.map((k) => <tr key={k.kind}><td>{k.kind}</td><td className="n">{k.total}</td><td className="n">{k.open}</td><td className="n">{k.resolved}</td></tr>)}</tbody>
          </table>
        </>
      )}
    </section>
  );
}

type AuditEntry = { at: string; staffName: string | null; staffId: string | null; source: 'event' | 'admin'; action: string; detail: Record<string, unknown> };

export function AuditScreen(): ReactNode {
  const t = useT();
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { call<AuditEntry[]>('GET', '/api/admin/audit/trail?limit=300').then(setRows, setError); }, []);
  return (
    <section>
      <h1>{t('审计：每一项管理操作', 'Audit: every admin change')}</h1>
      <p className="row">
        <a href="/api/admin/audit/file.csv" download>{t('导出 CSV', 'Export CSV')}</a>
        <a href="/api/admin/audit/file.xlsx" download>{t('导出 Excel', 'Export Excel')}</a>
      </p>
      <ErrorLine error={error} />
      <table data-testid="audit">
        <thead><tr><th>{t('时间（北京）', 'When (Beijing)')}</th><th>{t('工作人员', 'Staff')}</th><th>{t('操作', 'Action')}</th><th>{t('内容', 'What')}</th></tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}><td>{r.at}</td><td>{r.staffName ?? r.staffId ?? t('（系统）', '(system)')}</td><td>{r.action}</td><td><code>{JSON.stringify(r.detail).slice(0, 200)}</code></td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type CentreFigures = {
  centreId: string; name: string; residents: number; activeAccounts: number; issued: number; spent: number; redemptions: number; goodsOut: number;
  volunteers: number; volunteerMinutes: number; exceptions: number; exceptionsOpen: number;
};

export function CityScreen(): ReactNode {
  const t = useT();
  const [period, setPeriod] = useState(thisMonth);
  const [rows, setRows] = useState<CentreFigures[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    if (/^\d{4}(-\d{2})?$/.test(period)) call<{ centres: CentreFigures[] }>('GET', `/api/admin/city/figures?period=${period}`).then((r) => setRows(r.centres), setError);
  }, [period]);
  const cols: [keyof CentreFigures, string, string][] = [
    ['residents', '居民', 'Residents'], ['activeAccounts', '参与居民', 'Taking part'], ['issued', '发放积分', 'Issued'], ['spent', '使用积分', 'Spent'], ['redemptions', '兑换次数', 'Redemptions'],
    ['goodsOut', '兑出商品', 'Goods out'], ['volunteers', '志愿者', 'Volunteers'], ['volunteerMinutes', '服务分钟', 'Minutes'], ['exceptions', '异常', 'Exceptions'], ['exceptionsOpen', '待处理', 'Open'],
  ];
  return (
    <main>
      <h1>{t('各服务中心数据对比', 'Centres side by side')}</h1>
      <div className="row">
        <label>{t('月份或年份', 'Month or year')}<input value={period} onChange={(e) => setPeriod(e.target.value.trim())} /></label>
        <a href={`/api/admin/city/figures.csv?period=${period}`} download>{t('下载 CSV', 'Download CSV')}</a>
        <a href={`/api/admin/city/figures.xlsx?period=${period}`} download>{t('下载 Excel', 'Download Excel')}</a>
      </div>
      <ErrorLine error={error} />
      <Bars label={t('各中心发放（蓝）与使用（橙）的积分', 'Points issued (blue) and spent (orange) by centre')} series={rows.map((r) => ({ bucket: r.name, a: r.issued, b: r.spent }))} />
      <table data-testid="city">
        <thead><tr><th>{t('服务中心', 'Centre')}</th>{cols.map(([k, zh, en]) => <th key={k} className="n">{t(zh, en)}</th>)}</tr></thead>
        <tbody>{rows.map((r) => <tr key={r.centreId}><td>{r.name}</td>{cols.map(([k]) => <td key={k} className="n">{r[k]}</td>)}</tr>)}</tbody>
      </table>
    </main>
  );
}
