import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { addDays, DEFAULT_PLACES, fenOf, MEAL_NAMES, MealKind, PUBLISH_DAYS_AHEAD, ResidentFlag, yuanText, type MealSitting, type MenuMeal, type SubsidyRule } from '../../../core/index.js';
import {
  blankSubsidyForm, lineOf, mealOf, newLine, placesOf, subsidyFormOf, subsidyRuleOf, usualLine, USUAL_SITTINGS, type MenuFormLine, type SubsidyFormValues,
} from '../canteen/forms.js';
import { call, useT } from './api.js';
import { FLAGS, Outcome, useList } from './Edit.js';

/**
 * The canteen as the centre's admin keeps it (食堂菜单与名额, 补贴类别): the sittings of the next
 * three weeks (as far ahead as one may be published) with their menus and places, a sitting
 * published for a day or a run of days, a published menu changed, places set; the subsidy
 * categories. Money is typed in yuan and sent in
 * fen; the server decides with core's rules (the same as the canteen till's) and answers a clear
 * refusal, shown as it came.
 */

type Sitting = MealSitting & { capacity: number; used: number; meals: MenuMeal[] };

/** The meals of a menu as a form: a line each, new lines can go again, meals on a menu stay. */
function MenuLines({ lines, setLines }: { lines: MenuFormLine[]; setLines(lines: MenuFormLine[]): void }): ReactNode {
  const t = useT();
  const set = (key: number, patch: Partial<MenuFormLine>) => setLines(lines.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  return (
    <fieldset data-testid="menu-lines">
      {lines.map((l, i) => (
        <div className="row" key={l.key}>
          <label>{t(`菜品 ${i + 1}`, `Meal ${i + 1}`)}<input value={l.name} maxLength={40} onChange={(e) => set(l.key, { name: e.target.value })} /></label>
          <label>{t('菜式', 'Dishes')}<input value={l.dishes} maxLength={200} size={22} onChange={(e) => set(l.key, { dishes: e.target.value })} /></label>
          <label><input type="checkbox" checked={l.setMeal} onChange={(e) => set(l.key, { setMeal: e.target.checked })} />{t('套餐', 'Set meal')}</label>
          <label>{t('价格（元）', 'Price (yuan)')}<input value={l.price} size={5} inputMode="decimal" onChange={(e) => set(l.key, { price: e.target.value })} /></label>
          <label>{t('成本（元）', 'Cost (yuan)')}<input value={l.cost} size={5} inputMode="decimal" onChange={(e) => set(l.key, { cost: e.target.value })} /></label>
          {/* A meal on a published menu stays on it (sold meals name it): only new lines go. */}
          {l.id === null && lines.length > 1 && <button type="button" onClick={() => setLines(lines.filter((x) => x.key !== l.key))}>{t('删去此行', 'Remove line')}</button>}
        </div>
      ))}
      <button type="button" onClick={() => setLines([...lines, newLine()])}>{t('加一道菜', 'Add a meal')}</button>
    </fieldset>
  );
}

export function CanteenScreen(): ReactNode {
  const t = useT();
  const lang = t('zh', 'en') as 'zh' | 'en';
  const [data, setData] = useState<{ today: string; sittings: Sitting[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [places, setPlaces] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<{ sitting: Sitting; lines: MenuFormLine[] } | null>(null);
  const [form, setForm] = useState({ day: '', meal: 'lunch' as MealKind, ...USUAL_SITTINGS.lunch, fee: '3', capacity: String(DEFAULT_PLACES), days: 1 });
  const [lines, setLines] = useState<MenuFormLine[]>(() => [usualLine('lunch')]);
  const [confirming, setConfirming] = useState(false);
  const reload = useCallback(() => { call<{ today: string; sittings: Sitting[] }>('GET', '/api/admin/canteen/sittings').then(setData, setError); }, []);
  useEffect(reload, [reload]);
  if (!data) return <section><h1>{t('食堂菜单与名额', 'Canteen menus and places')}</h1><Outcome error={error} note={null} /></section>;
  const day = form.day || addDays(data.today, 1);
  const act = async (work: () => Promise<string>) => {
    setError(null);
    setNote(null);
    try {
      setNote(await work());
      reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const meal = (s: MealSitting) => `${s.day.slice(5)} ${MEAL_NAMES[s.meal][lang]}`;
  const chooseMeal = (m: MealKind) => {
    setForm({ ...form, meal: m, ...USUAL_SITTINGS[m] });
    setLines([usualLine(m)]);
  };
  const publish = () => act(async () => {
    // Asked once: refused or not, the form comes back to 发布… (a refusal says what to mend).
    setConfirming(false);
    const r = await call<{ published: string[]; skipped: string[] }>('POST', '/api/admin/canteen/sittings', {
      day, meal: form.meal, opensAt: form.opensAt, closesAt: form.closesAt, bookingCutoff: form.cutoff, deliveryFeeFen: fenOf(form.fee),
      capacity: placesOf(form.capacity), meals: lines.map(mealOf), days: form.days,
    });
    return t(`已发布 ${r.published.length} 个餐次：${r.published.join('、')}。`, `Published ${r.published.length}: ${r.published.join(', ')}.`)
      + (r.skipped.length ? t(`已发布过、未改动：${r.skipped.join('、')}。`, ` Published before, left as they were: ${r.skipped.join(', ')}.`) : '');
  });
  const saveMenu = (s: Sitting, edited: MenuFormLine[]) => act(async () => {
    const r = await call<{ added: number; changed: number }>('POST', `/api/admin/canteen/sittings/${s.id}/menu`, { meals: edited.map(mealOf) });
    setEditing(null);
    return t(`${meal(s)}的菜单已保存：新增 ${r.added} 道，修改 ${r.changed} 道。`, `Menu of ${meal(s)} saved: ${r.added} added, ${r.changed} changed.`);
  });
  const setCapacity = (s: Sitting) => act(async () => {
    const r = await call<{ capacity: number }>('POST', `/api/admin/canteen/sittings/${s.id}/places`, { capacity: placesOf(places[s.id] ?? '') });
    setPlaces({ ...places, [s.id]: '' });
    return t(`${meal(s)}的名额改为 ${r.capacity}。`, `${meal(s)} now has ${r.capacity} places.`);
  });
  const setOffered = (s: Sitting, m: Sitting['meals'][number]) => act(async () => {
    await call('POST', `/api/admin/canteen/sittings/${s.id}/meals/${encodeURIComponent(m.id)}/offered`, { offered: !m.offered });
    return m.offered ? t(`${meal(s)}的「${m.name}」已停售。`, `${m.name} of ${meal(s)} is off sale.`) : t(`${meal(s)}的「${m.name}」恢复供应。`, `${m.name} of ${meal(s)} is back on sale.`);
  });
  return (
    <section>
      <h1>{t('食堂菜单与名额', 'Canteen menus and places')}</h1>
      <Outcome error={error} note={note} />
      <div className="scroll">
        <table data-testid="sittings">
          <thead><tr><th className="nowrap">{t('餐次', 'Sitting')}</th><th>{t('时间', 'Hours')}</th><th>{t('菜单', 'Menu')}</th><th className="n nowrap">{t('已订/名额', 'Taken/places')}</th><th /></tr></thead>
          <tbody>
            {data.sittings.map((s) => (
              <tr key={s.id} data-sitting={s.id}>
                <td className="nowrap">{meal(s)}</td><td className="nowrap">{s.opensAt}–{s.closesAt}</td>
                <td>
                  {s.meals.map((m) => (
                    <span key={m.id} className="meal" data-meal={m.id}>
                      {`${m.name} ￥${yuanText(m.priceFen)}${m.offered ? '' : t('（已停售）', ' (off sale)')}`}
                      {s.day >= data.today && (
                        <button type="button" onClick={() => void setOffered(s, m)}>{m.offered ? t('停售', 'Take off sale') : t('恢复供应', 'Back on sale')}</button>
                      )}
                    </span>
                  ))}
                </td>
                <td className="n">{s.used}/{s.capacity}</td>
                <td>
                  <div className="row nowrap">
                    <input aria-label={t(`${meal(s)}的名额`, `Places of ${meal(s)}`)} size={4} inputMode="numeric" placeholder={String(s.capacity)} value={places[s.id] ?? ''}
                      onChange={(e) => setPlaces({ ...places, [s.id]: e.target.value.replace(/\D/g, '') })} />
                    <button type="button" disabled={!places[s.id]} onClick={() => void setCapacity(s)}>{t('设名额', 'Set places')}</button>
                    {/* One menu at a time: another's edits are saved or cancelled first, never dropped. */}
                    <button type="button" disabled={s.day < data.today || (editing !== null && editing.sitting.id !== s.id)} onClick={() => { setEditing({ sitting: s, lines: s.meals.map(lineOf) }); setNote(null); }}>{t('改菜单', 'Change menu')}</button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <form className="card" aria-label={t('修改菜单', 'Change the menu')} onSubmit={(e) => { e.preventDefault(); void saveMenu(editing.sitting, editing.lines); }}>
          <h2>{t(`修改 ${meal(editing.sitting)} 的菜单`, `Change the menu of ${meal(editing.sitting)}`)}</h2>
          <p>{t('已售出的餐按售出时的价格计；新价格只对以后的销售有效。', 'Meals sold keep the price they were sold at; a new price holds for later sales.')}</p>
          <MenuLines lines={editing.lines} setLines={(l) => setEditing({ ...editing, lines: l })} />
          <div className="row"><button type="submit" className="primary">{t('保存菜单', 'Save the menu')}</button><button type="button" onClick={() => setEditing(null)}>{t('取消', 'Cancel')}</button></div>
        </form>
      )}
      <form className="card" aria-label={t('发布餐次', 'Publish a sitting')} onSubmit={(e) => { e.preventDefault(); setConfirming(true); }}>
        <h2>{t('发布餐次', 'Publish a sitting')}</h2>
        <div className="row">
          <label>{t('日期', 'Day')}<input type="date" value={day} min={data.today} max={addDays(data.today, PUBLISH_DAYS_AHEAD - 1)} onChange={(e) => setForm({ ...form, day: e.target.value })} /></label>
          <label>{t('餐次', 'Meal')}<select value={form.meal} onChange={(e) => chooseMeal(MealKind.parse(e.target.value))}>{MealKind.options.map((m) => <option key={m} value={m}>{MEAL_NAMES[m][lang]}</option>)}</select></label>
          <label>{t('开餐', 'Opens')}<input type="time" value={form.opensAt} onChange={(e) => setForm({ ...form, opensAt: e.target.value })} /></label>
          <label>{t('结束', 'Closes')}<input type="time" value={form.closesAt} onChange={(e) => setForm({ ...form, closesAt: e.target.value })} /></label>
          <label>{t('预订截止', 'Bookings close')}<input type="time" value={form.cutoff} onChange={(e) => setForm({ ...form, cutoff: e.target.value })} /></label>
          <label>{t('名额', 'Places')}<input value={form.capacity} size={4} inputMode="numeric" onChange={(e) => setForm({ ...form, capacity: e.target.value.replace(/\D/g, '') })} /></label>
          <label>{t('送餐费（元）', 'Delivery fee (yuan)')}<input value={form.fee} size={4} inputMode="decimal" onChange={(e) => setForm({ ...form, fee: e.target.value })} /></label>
          <label>{t('连续发布', 'For')}<select value={form.days} onChange={(e) => setForm({ ...form, days: Number(e.target.value) })}>
            {[1, 2, 3, 4, 5, 6, 7].map((n) => <option key={n} value={n}>{t(`${n} 天`, `${n} day${n > 1 ? 's' : ''}`)}</option>)}</select></label>
        </div>
        <MenuLines lines={lines} setLines={setLines} />
        {confirming ? (
          <div className="row">
            <strong>{t(`发布 ${day}${form.days > 1 ? ` 起 ${form.days} 天` : ''}的${MEAL_NAMES[form.meal].zh}？发布后不能撤回，菜单可以再改。`, `Publish ${MEAL_NAMES[form.meal].en} of ${day}${form.days > 1 ? ` and ${form.days - 1} more days` : ''}? It cannot be withdrawn; the menu can be changed later.`)}</strong>
            <button type="button" className="primary" onClick={() => void publish()}>{t('确定发布', 'Publish')}</button>
            <button type="button" onClick={() => setConfirming(false)}>{t('取消', 'Cancel')}</button>
          </div>
        ) : <button type="submit" className="primary">{t('发布…', 'Publish…')}</button>}
      </form>
    </section>
  );
}

/** A category as it crosses to the server: what is not a number (NaN) as −1, which the rule refuses (JSON would make it null: "none"). */
const ruleBody = (f: SubsidyFormValues) => {
  const r = subsidyRuleOf(f);
  const n = (v: number | null) => (v !== null && Number.isNaN(v) ? -1 : v);
  return { ...r, isNew: f.isNew, minAge: n(r.minAge), maxAge: n(r.maxAge), minBillFen: n(r.minBillFen) };
};

export function SubsidyScreen(): ReactNode {
  const t = useT();
  const list = useList<SubsidyRule>('/api/admin/canteen/subsidy-rules');
  const [form, setForm] = useState<SubsidyFormValues>(blankSubsidyForm);
  // A change asked about first: it prices every meal sold from now on.
  const [asking, setAsking] = useState<{ values: SubsidyFormValues; question: string; done: string } | null>(null);
  const who = (r: SubsidyRule) => (r.basis === 'age' ? t(`${r.minAge ?? ''}${r.maxAge === null ? ' 岁以上' : `–${r.maxAge} 岁`}`, `aged ${r.minAge ?? ''}${r.maxAge === null ? '+' : `–${r.maxAge}`}`)
    : r.flags.map((f) => t(...FLAGS[f])).join('、'));
  const save = (values: SubsidyFormValues, done: string, fromForm: boolean) => list.act(async () => {
    setAsking(null);
    await call('POST', '/api/admin/canteen/subsidy-rules', ruleBody(values));
    if (fromForm) setForm(blankSubsidyForm);
  }, done);
  return (
    <section>
      <h1>{t('补贴类别', 'Subsidy categories')}</h1>
      <p>{t('改动从现在起对新的售餐有效；已售出的餐按售出时的补贴计。', 'A change holds for meals sold from now on; meals sold keep the subsidy they were sold with.')}</p>
      <Outcome error={list.error} note={list.note} />
      {asking && (
        <div className="card row" role="alertdialog" aria-label={t('确认', 'Confirm')}>
          <strong>{asking.question}</strong>
          <button type="button" className="primary" onClick={() => void save(asking.values, asking.done, asking.values === form)}>{t('确定', 'Confirm')}</button>
          <button type="button" onClick={() => setAsking(null)}>{t('取消', 'Cancel')}</button>
        </div>
      )}
      <table data-testid="subsidy-rules">
        <thead><tr><th>{t('类别', 'Category')}</th><th>{t('编号', 'Key')}</th><th>{t('对象', 'Who')}</th><th className="n">{t('每餐补贴', 'Per meal')}</th><th className="n">{t('每日封顶', 'Cap a day')}</th><th className="n">{t('起补金额', 'Least bill')}</th><th className="n">{t('送餐补贴', 'Delivery')}</th><th /></tr></thead>
        <tbody>
          {list.rows.map((r) => (
            <tr key={r.id} className={r.active ? '' : 'warn'}>
              <td>{r.name}{r.active ? '' : t('（停用）', ' (retired)')}</td><td>{r.id}</td><td>{who(r)}</td><td className="n">￥{yuanText(r.subsidyFen)}</td><td className="n">￥{yuanText(r.capPerDayFen)}</td>
              <td className="n">{r.minBillFen === null ? '' : `￥${yuanText(r.minBillFen)}`}</td><td className="n">￥{yuanText(r.deliverySubsidyFen)}</td>
              <td className="row">
                <button type="button" disabled={!form.isNew && form.id !== r.id} onClick={() => setForm(subsidyFormOf(r))}>{t('修改', 'Change')}</button>
                <button type="button" onClick={() => setAsking({
                  values: { ...subsidyFormOf(r), active: !r.active },
                  question: r.active ? t(`停用「${r.name}」？从现在起售出的餐不再按这一类别补贴。`, `Retire "${r.name}"? Meals sold from now on get no subsidy by it.`)
                    : t(`重新启用「${r.name}」？从现在起售出的餐按这一类别补贴。`, `Use "${r.name}" again? Meals sold from now on get its subsidy.`),
                  done: r.active ? t(`${r.name} 已停用。`, `${r.name} retired.`) : t(`${r.name} 已启用。`, `${r.name} in use again.`),
                })}>
                  {r.active ? t('停用', 'Retire') : t('启用', 'Use again')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card" aria-label={t('补贴类别', 'Subsidy category')} onSubmit={(e) => {
        e.preventDefault();
        if (form.isNew) void save(form, t(`已添加 ${form.name}。`, `${form.name} added.`), true);
        else setAsking({ values: form, question: t(`保存「${form.name}」的修改？从现在起售出的餐按新标准补贴。`, `Save the change of "${form.name}"? Meals sold from now on get the new subsidy.`), done: t(`${form.name} 已修改。`, `${form.name} changed.`) });
      }}>
        <h2>{form.isNew ? t('新的补贴类别', 'A new category') : t(`修改 ${form.name}`, `Change ${form.name}`)}</h2>
        <div className="row">
          <label>{t('名称', 'Name')}<input value={form.name} maxLength={30} required onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
          <label>{t('编号（小写字母和数字）', 'Key (a–z, 0–9)')}<input value={form.id} maxLength={20} required disabled={!form.isNew} onChange={(e) => setForm({ ...form, id: e.target.value })} /></label>
          <label>{t('依据', 'By')}<select value={form.basis} onChange={(e) => setForm({ ...form, basis: e.target.value === 'status' ? 'status' : 'age' })}>
            <option value="age">{t('年龄段', 'age band')}</option><option value="status">{t('身份（经审核）', 'status (approved)')}</option></select></label>
          {form.basis === 'age' ? (<>
            <label>{t('最小年龄', 'From age')}<input value={form.minAge} size={4} inputMode="numeric" onChange={(e) => setForm({ ...form, minAge: e.target.value })} /></label>
            <label>{t('最大年龄（空白为不限）', 'To age (blank: no limit)')}<input value={form.maxAge} size={4} inputMode="numeric" onChange={(e) => setForm({ ...form, maxAge: e.target.value })} /></label>
          </>) : (
            <fieldset className="row" aria-label={t('身份', 'Status')}>
              {ResidentFlag.options.map((f) => (
                <label key={f}><input type="checkbox" checked={form.flags.includes(f)} onChange={(e) => setForm({ ...form, flags: e.target.checked ? [...form.flags, f] : form.flags.filter((x) => x !== f) })} />{t(...FLAGS[f])}</label>
              ))}
            </fieldset>
          )}
        </div>
        <div className="row">
          <label>{t('每餐补贴（元）', 'Subsidy a meal (yuan)')}<input value={form.subsidy} size={5} inputMode="decimal" required onChange={(e) => setForm({ ...form, subsidy: e.target.value })} /></label>
          <label>{t('每日封顶（元）', 'Cap a day (yuan)')}<input value={form.cap} size={5} inputMode="decimal" required onChange={(e) => setForm({ ...form, cap: e.target.value })} /></label>
          <label>{t('起补金额（元，可空）', 'Least bill (yuan, optional)')}<input value={form.minBill} size={5} inputMode="decimal" onChange={(e) => setForm({ ...form, minBill: e.target.value })} /></label>
          <label>{t('送餐补贴（元）', 'Delivery subsidy (yuan)')}<input value={form.delivery} size={5} inputMode="decimal" onChange={(e) => setForm({ ...form, delivery: e.target.value })} /></label>
          <button type="submit" className="primary">{form.isNew ? t('添加类别', 'Add category') : t('保存修改…', 'Save…')}</button>
          {!form.isNew && <button type="button" onClick={() => setForm(blankSubsidyForm)}>{t('取消', 'Cancel')}</button>}
        </div>
      </form>
    </section>
  );
}
