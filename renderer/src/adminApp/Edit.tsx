import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { AGE_BANDS, DEVICE_PROFILES, EarningCategory, ResidentFlag, StaffRole, type AgeBand, type DeviceProfile, type PartnerShop } from '../../../core/index.js';
import { call, useT } from './api.js';
import { ErrorLine } from './App.js';

/**
 * What a centre edits: residents (their details and ID number, a new card, removal), staff
 * (roles, counter PINs, admin passwords, where an admin works), devices (pairing codes,
 * revocation), goods and prices, earning rules, partner shops and the week's services (the
 * canteen's menus and subsidy categories: Canteen.tsx). Each form sends what the admin typed; the server
 * decides with core's rules and answers a clear refusal, shown as it came.
 */

/** Loads a list and keeps the last action's outcome: the shape every screen here shares. */
export function useList<T>(path: string): { rows: T[]; error: unknown; note: string | null; reload(): void; act(work: () => Promise<unknown>, note: string): Promise<boolean> } {
  const [rows, setRows] = useState<T[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const reload = useCallback(() => { call<T[]>('GET', path).then(setRows, setError); }, [path]);
  useEffect(reload, [reload]);
  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    setNote(null);
    try {
      await work();
      setNote(done);
      reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  return { rows, error, note, reload, act };
}

export function Outcome({ error, note }: { error: unknown; note: string | null }): ReactNode {
  return (<>{note && <p className="ok" role="status">{note}</p>}<ErrorLine error={error} /></>);
}

export const FLAGS: Record<ResidentFlag, [string, string]> = {
  livesAlone: ['独居', 'lives alone'], disabled: ['失能', 'disabled'], lowIncome: ['低保', 'low income'], extremeHardship: ['特困', 'hardship'], homeDelivery: ['送餐', 'delivery'],
};
type ResidentRow = {
  id: string; name: string; cardCode: string; phoneTail: string | null; building: string | null; room: string | null; birthDate: string | null; ageBand: AgeBand | null;
  flags: ResidentFlag[]; idMasked: string | null; balance: number;
};
const AGE_BAND_WORDS: Record<AgeBand, [string, string]> = { under60: ['60岁以下', 'under 60'], '60-69': ['60–69岁', '60–69'], '70-79': ['70–79岁', '70–79'], '80+': ['80岁以上', '80+'] };
/** A resident's fields as the edit form holds them; phone and ID number are typed anew (only their masks are kept). */
type ResidentEdit = { row: ResidentRow; name: string; phone: string; building: string; room: string; birthDate: string; ageBand: AgeBand | ''; flags: ResidentFlag[]; idNumber: string };
const editOf = (r: ResidentRow): ResidentEdit => ({ row: r, name: r.name, phone: '', building: r.building ?? '', room: r.room ?? '', birthDate: r.birthDate ?? '', ageBand: r.ageBand ?? '', flags: [...r.flags], idNumber: '' });

/** The form that changes a resident's fields (姓名、电话、住址、出生日期、标签), and adds an ID number later. */
function ResidentForm({ edit, setEdit, onSave }: { edit: ResidentEdit; setEdit(e: ResidentEdit | null): void; onSave(e: ResidentEdit): void }): ReactNode {
  const t = useT();
  const set = (patch: Partial<ResidentEdit>) => setEdit({ ...edit, ...patch });
  return (
    <form className="card" aria-label={t('修改居民信息', "Change a resident's details")} onSubmit={(e) => { e.preventDefault(); onSave(edit); }}>
      <h2>{t(`修改 ${edit.row.name}（${edit.row.cardCode}）`, `Change ${edit.row.name} (${edit.row.cardCode})`)}</h2>
      <div className="row">
        <label>{t('姓名', 'Name')}<input value={edit.name} maxLength={50} required onChange={(e) => set({ name: e.target.value })} /></label>
        <label>{t(`手机号（现尾号 ${edit.row.phoneTail ?? '无'}，空白不变）`, `Phone (now …${edit.row.phoneTail ?? 'none'}; blank keeps it)`)}<input value={edit.phone} inputMode="tel" maxLength={20} onChange={(e) => set({ phone: e.target.value })} /></label>
        <label>{t('楼栋', 'Building')}<input value={edit.building} size={8} maxLength={20} onChange={(e) => set({ building: e.target.value })} /></label>
        <label>{t('房号', 'Room')}<input value={edit.room} size={10} maxLength={20} onChange={(e) => set({ room: e.target.value })} /></label>
      </div>
      <div className="row">
        <label>{t('出生日期', 'Birth date')}<input type="date" value={edit.birthDate} onChange={(e) => set({ birthDate: e.target.value })} /></label>
        <label>{t('年龄段（不知出生日期时）', 'Age band (without a birth date)')}<select value={edit.ageBand} onChange={(e) => set({ ageBand: (AGE_BANDS as readonly string[]).includes(e.target.value) ? (e.target.value as AgeBand) : '' })}>
          <option value="">—</option>{AGE_BANDS.map((b) => <option key={b} value={b}>{t(...AGE_BAND_WORDS[b])}</option>)}</select></label>
        <label>{t(`身份证号（${edit.row.idMasked ? `现为 ${edit.row.idMasked}，` : '未登记，'}空白不变）`, `ID number (${edit.row.idMasked ? `now ${edit.row.idMasked}` : 'none yet'}; blank keeps it)`)}
          <input value={edit.idNumber} maxLength={18} autoComplete="off" onChange={(e) => set({ idNumber: e.target.value })} /></label>
      </div>
      <fieldset className="row" aria-label={t('标签', 'Flags')}>
        {ResidentFlag.options.map((f) => (
          <label key={f}><input type="checkbox" checked={edit.flags.includes(f)} onChange={(e) => set({ flags: e.target.checked ? [...edit.flags, f] : edit.flags.filter((x) => x !== f) })} />{t(...FLAGS[f])}</label>
        ))}
      </fieldset>
      <div className="row"><button type="submit" className="primary">{t('保存', 'Save')}</button><button type="button" onClick={() => setEdit(null)}>{t('取消', 'Cancel')}</button></div>
    </form>
  );
}

export function ResidentsScreen(): ReactNode {
  const t = useT();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ total: number; residents: ResidentRow[] }>({ total: 0, residents: [] });
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ResidentRow | null>(null);
  const [reason, setReason] = useState('');
  const [editing, setEditing] = useState<ResidentEdit | null>(null);
  const save = (e: ResidentEdit) => void act(async () => {
    await call('POST', `/api/admin/residents/${e.row.id}`, {
      name: e.name, building: e.building, room: e.room, birthDate: e.birthDate, ageBand: e.ageBand, flags: e.flags,
      ...(e.phone.trim() ? { phone: e.phone } : {}), ...(e.idNumber.trim() ? { idNumber: e.idNumber.trim() } : {}),
    });
    setEditing(null);
    return t(`${e.name} 的信息已保存。`, `${e.name}'s details saved.`);
  });
  const search = useCallback(() => { call<typeof found>('GET', `/api/admin/residents?q=${encodeURIComponent(q)}`).then(setFound, setError); }, [q]);
  useEffect(search, [search]);
  const act = async (work: () => Promise<string>) => {
    setError(null);
    try {
      setNote(await work());
      search();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h1>{t('居民', 'Residents')}</h1>
      <label>{t('姓名、卡号、手机尾号、楼栋或身份证号', 'Name, card, phone tail, building or ID number')}<input value={q} onChange={(e) => setQ(e.target.value)} /></label>
      <Outcome error={error} note={note} />
      <p>{t(`共 ${found.total} 位`, `${found.total} residents`)}</p>
      {/* Above the list, so the form is in sight however long the list is. */}
      {editing && <ResidentForm edit={editing} setEdit={setEditing} onSave={save} />}
      {removing && (
        <form className="card" onSubmit={(e) => { e.preventDefault(); const r = removing; setRemoving(null); void act(async () => { await call('POST', `/api/admin/residents/${r.id}/remove`, { reason }); return t(`已移除 ${r.name}。`, `${r.name} removed.`); }); }}>
          <p><strong>{t(`移除 ${removing.name}（${removing.cardCode}）：卡将停用。`, `Remove ${removing.name} (${removing.cardCode}): the card stops working.`)}</strong></p>
          <label>{t('原因', 'Reason')}<input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={100} /></label>
          <div className="row"><button type="submit" className="danger">{t('确定移除', 'Remove')}</button><button type="button" onClick={() => setRemoving(null)}>{t('取消', 'Cancel')}</button></div>
        </form>
      )}
      <table data-testid="residents">
        <thead><tr><th>{t('姓名', 'Name')}</th><th>{t('卡号', 'Card')}</th><th>{t('楼栋房号', 'Home')}</th><th>{t('手机尾号', 'Phone')}</th><th>{t('身份证', 'ID')}</th><th>{t('标签', 'Flags')}</th><th className="n">{t('积分', 'Points')}</th><th /></tr></thead>
        <tbody>
          {found.residents.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td><td>{r.cardCode}</td><td>{[r.building, r.room].filter(Boolean).join('-')}</td><td>{r.phoneTail ?? ''}</td><td>{r.idMasked ?? ''}</td>
              <td>{r.flags.map((f) => t(...FLAGS[f])).join('、')}</td><td className="n">{r.balance}</td>
              <td className="row">
                {/* One resident at a time: another's edits are saved or cancelled first, never dropped. */}
                <button type="button" disabled={editing !== null && editing.row.id !== r.id} onClick={() => { setEditing(editOf(r)); setNote(null); }}>{t('修改', 'Change')}</button>
                <button type="button" onClick={() => void act(async () => {
                  const c = await call<{ oldCardCode: string; cardCode: string }>('POST', `/api/admin/residents/${r.id}/card`);
                  return t(`已补卡：新卡 ${c.cardCode}，旧卡 ${c.oldCardCode} 停用。`, `New card ${c.cardCode}; the old card ${c.oldCardCode} stops working.`);
                })}>{t('补卡', 'New card')}</button>
                <button type="button" className="danger" onClick={() => setRemoving(r)}>{t('移除', 'Remove')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type StaffRow = { id: string; name: string; role: StaffRole; cardCode: string; active: boolean; hasPin: boolean; hasPassword: boolean; worksAt: string[] | null };
const ROLES: Record<StaffRole, [string, string]> = { clerk: ['柜台', 'clerk'], canteen: ['食堂', 'canteen'], admin: ['管理员', 'admin'] };

export function StaffScreen({ me }: { me: { staffId: string } }): ReactNode {
  const t = useT();
  const list = useList<StaffRow>('/api/admin/staff');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('clerk');
  const [pin, setPin] = useState('');
  const [editing, setEditing] = useState<StaffRow | null>(null);
  const [secret, setSecret] = useState('');
  const [worksAt, setWorksAt] = useState('');
  const add = async () => {
    const made = await call<{ cardCode: string }>('POST', '/api/admin/staff', { name, role, ...(pin ? { pin } : {}) });
    setName('');
    setPin('');
    return made;
  };
  return (
    <section>
      <h1>{t('工作人员', 'Staff')}</h1>
      <Outcome error={list.error} note={list.note} />
      <table data-testid="staff">
        <thead><tr><th>{t('姓名', 'Name')}</th><th>{t('工作证', 'Card')}</th><th>{t('角色', 'Role')}</th><th>{t('柜台密码', 'PIN')}</th><th>{t('后台密码', 'Password')}</th><th>{t('工作的设备', 'Works at')}</th><th /></tr></thead>
        <tbody>
          {list.rows.map((s) => (
            <tr key={s.id} className={s.active ? '' : 'warn'}>
              <td>{s.name}{s.active ? '' : t('（停用）', ' (disabled)')}</td><td>{s.cardCode}</td><td>{t(...ROLES[s.role])}</td>
              <td>{s.hasPin ? '✓' : ''}</td><td>{s.hasPassword ? '✓' : ''}</td><td>{s.worksAt === null ? t('所有设备', 'every device') : s.worksAt.join(', ') || t('仅浏览器', 'browser only')}</td>
              <td className="row">
                <button type="button" onClick={() => { setEditing(s); setSecret(''); setWorksAt(s.worksAt?.join(',') ?? ''); }}>{t('修改', 'Change')}</button>
                {s.id !== me.staffId && (
                  <button type="button" className={s.active ? 'danger' : ''} onClick={() => void list.act(() => call('POST', `/api/admin/staff/${s.cardCode}`, { active: !s.active }), s.active ? t('已停用，该人员的登录已结束。', 'Disabled: their sessions ended.') : t('已启用。', 'Enabled.'))}>
                    {s.active ? t('停用', 'Disable') : t('启用', 'Enable')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <div className="card" aria-label={t('修改工作人员', 'Change a member')}>
          <h2>{editing.name}（{editing.cardCode}）</h2>
          <label>{t('新的柜台密码（6–12 位数字）或管理后台密码（至少 10 个字符）', 'New counter PIN (6–12 digits) or admin password (10 characters or more)')}
            <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" /></label>
          <div className="row">
            <button type="button" disabled={!/^\d{6,12}$/.test(secret)} onClick={() => void list.act(() => call('POST', `/api/admin/staff/${editing.cardCode}`, { pin: secret }), t('柜台密码已更改。', 'PIN changed.'))}>{t('设为柜台密码', 'Set as PIN')}</button>
            {editing.role === 'admin' && <button type="button" disabled={secret.length < 10} onClick={() => void list.act(() => call('POST', `/api/admin/staff/${editing.cardCode}`, { password: secret }), t('后台密码已更改，其他登录已结束。', 'Password changed; other sessions ended.'))}>{t('设为后台密码', 'Set as admin password')}</button>}
          </div>
          {editing.role === 'admin' && (
            <label>{t('在哪些设备上工作（设备编号或 counter、canteen，用逗号分开；空白为仅浏览器）', 'Works at (device codes or counter, canteen, comma-separated; empty: browser only)')}
              <span className="row"><input value={worksAt} onChange={(e) => setWorksAt(e.target.value)} />
                <button type="button" onClick={() => void list.act(() => call('POST', `/api/admin/staff/${editing.cardCode}`, { worksAt: worksAt.split(/[,，\s]+/).filter(Boolean) }), t('已更改。管理员的柜台密码只发到这些设备。', "Changed: the admin's PIN goes to these devices only."))}>{t('保存', 'Save')}</button></span>
            </label>
          )}
          <button type="button" onClick={() => setEditing(null)}>{t('关闭', 'Close')}</button>
        </div>
      )}
      <form className="card row" onSubmit={(e) => { e.preventDefault(); void list.act(add, t('已添加。', 'Added.')); }}>
        <label>{t('姓名', 'Name')}<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={50} /></label>
        <label>{t('角色', 'Role')}<select value={role} onChange={(e) => setRole(StaffRole.parse(e.target.value))}>{StaffRole.options.map((r) => <option key={r} value={r}>{t(...ROLES[r])}</option>)}</select></label>
        <label>{t('柜台密码（可选）', 'PIN (optional)')}<input type="password" value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" autoComplete="new-password" /></label>
        <button type="submit" className="primary">{t('添加工作人员', 'Add member')}</button>
      </form>
    </section>
  );
}

type DeviceRow = { code: string; profile: DeviceProfile | 'server'; lastSeq: number; createdAt: string; revokedAt: string | null; revokedReason: string | null };
const PROFILES: Record<DeviceProfile, [string, string]> = { counter: ['柜台', 'counter'], canteen: ['食堂', 'canteen'], selfService: ['自助机', 'self-service'] };

export function DevicesScreen(): ReactNode {
  const t = useT();
  const list = useList<DeviceRow>('/api/admin/devices');
  const [code, setCode] = useState<{ code: string; expiresAt: string } | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  return (
    <section>
      <h1>{t('设备', 'Devices')}</h1>
      <Outcome error={list.error} note={list.note} />
      <div className="row card">
        {DEVICE_PROFILES.map((p) => (
          <button key={p} type="button" onClick={() => void list.act(async () => setCode(await call('POST', '/api/admin/pairing-codes', { profile: p })), t('配对码已生成。', 'Pairing code made.'))}>
            {t(`生成${PROFILES[p][0]}配对码`, `Pairing code for a ${PROFILES[p][1]}`)}
          </button>
        ))}
        {code && <strong data-testid="pairing-code">{code.code}</strong>}
      </div>
      <table>
        <thead><tr><th>{t('编号', 'Code')}</th><th>{t('类型', 'Profile')}</th><th>{t('配对时间', 'Paired')}</th><th>{t('状态', 'State')}</th><th /></tr></thead>
        <tbody>
          {list.rows.filter((d) => d.profile !== 'server').map((d) => (
            <tr key={d.code}>
              <td>{d.code}</td><td>{d.profile === 'server' ? '' : t(...PROFILES[d.profile])}</td><td>{d.createdAt.slice(0, 16)}</td>
              <td>{d.revokedAt ? t(`已吊销：${d.revokedReason ?? ''}`, `revoked: ${d.revokedReason ?? ''}`) : t('使用中', 'in use')}</td>
              <td>{!d.revokedAt && <button type="button" className="danger" onClick={() => setRevoking(d.code)}>{t('吊销', 'Revoke')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoking && (
        <form className="card" onSubmit={(e) => { e.preventDefault(); const c = revoking; setRevoking(null); void list.act(() => call('POST', `/api/admin/devices/${c}/revoke`, { reason }), t(`${c} 已吊销，不能再同步。`, `${c} revoked: it cannot sync any more.`)); }}>
          <p><strong>{t(`吊销 ${revoking}：这台设备将不能再同步，无法撤回。`, `Revoke ${revoking}: it will never sync again. This cannot be undone.`)}</strong></p>
          <label>{t('原因', 'Reason')}<input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={200} /></label>
          <div className="row"><button type="submit" className="danger">{t('确定吊销', 'Revoke')}</button><button type="button" onClick={() => setRevoking(null)}>{t('取消', 'Cancel')}</button></div>
        </form>
      )}
    </section>
  );
}

type GoodsRow = { id: string; name: string; category: string; pointPrice: number; stock: number; lowStock: number; barcode: string };

export function GoodsScreen(): ReactNode {
  const t = useT();
  const list = useList<GoodsRow>('/api/admin/goods');
  const [form, setForm] = useState({ name: '', category: '', pointPrice: '', lowStock: '5' });
  const [prices, setPrices] = useState<Record<string, string>>({});
  return (
    <section>
      <h1>{t('商品与积分价格', 'Goods and prices')}</h1>
      <Outcome error={list.error} note={list.note} />
      <table data-testid="goods">
        <thead><tr><th>{t('商品', 'Goods')}</th><th>{t('类别', 'Category')}</th><th>{t('条码', 'Barcode')}</th><th className="n">{t('库存', 'Stock')}</th><th>{t('积分价', 'Price (points)')}</th></tr></thead>
        <tbody>
          {list.rows.map((g) => (
            <tr key={g.id}>
              <td>{g.name}</td><td>{g.category}</td><td>{g.barcode}</td><td className="n">{g.stock}</td>
              <td className="row">
                <input aria-label={t(`${g.name}的积分价`, `Price of ${g.name}`)} size={5} value={prices[g.id] ?? String(g.pointPrice)} onChange={(e) => setPrices({ ...prices, [g.id]: e.target.value })} />
                <button type="button" disabled={(prices[g.id] ?? String(g.pointPrice)) === String(g.pointPrice)}
                  onClick={() => void list.act(() => call('POST', `/api/admin/goods/${g.id}`, { name: g.name, category: g.category, lowStock: g.lowStock, pointPrice: Number(prices[g.id]) }), t('价格已更改。', 'Price changed.'))}>{t('保存', 'Save')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card row" onSubmit={(e) => { e.preventDefault(); void list.act(() => call('POST', '/api/admin/goods', { ...form, pointPrice: Number(form.pointPrice), lowStock: Number(form.lowStock) }), t('已添加。', 'Added.')); }}>
        <label>{t('名称', 'Name')}<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required /></label>
        <label>{t('类别', 'Category')}<input value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })} required /></label>
        <label>{t('积分价', 'Price')}<input value={form.pointPrice} onChange={(e) => setForm({ ...form, pointPrice: e.target.value })} required size={5} /></label>
        <label>{t('低库存提醒', 'Low stock at')}<input value={form.lowStock} onChange={(e) => setForm({ ...form, lowStock: e.target.value })} size={4} /></label>
        <button type="submit" className="primary">{t('添加商品', 'Add goods')}</button>
      </form>
    </section>
  );
}

type RuleRow = { id: string; name: string; category: EarningCategory; unit: 'act' | 'hour'; points: number; capPerDay: number | null; capPerMonth: number | null; active: boolean };
const CATEGORIES: Record<EarningCategory, [string, string]> = { governance: ['小区治理', 'governance'], civility: ['文明帮创', 'civility'], reuse: ['废旧利用', 'reuse'], volunteering: ['志愿服务', 'volunteering'], other: ['其他', 'other'] };

export function RulesScreen(): ReactNode {
  const t = useT();
  const list = useList<RuleRow>('/api/admin/rules');
  const [form, setForm] = useState({ name: '', category: 'governance' as EarningCategory, unit: 'act' as 'act' | 'hour', points: '', capPerDay: '' });
  const save = (r: Omit<RuleRow, 'id'> & { ruleId?: string }) => call('POST', '/api/admin/rules', r);
  return (
    <section>
      <h1>{t('积分规则', 'Earning rules')}</h1>
      <Outcome error={list.error} note={list.note} />
      <table data-testid="rules">
        <thead><tr><th>{t('名称', 'Name')}</th><th>{t('类别', 'Category')}</th><th className="n">{t('积分', 'Points')}</th><th>{t('单位', 'Per')}</th><th className="n">{t('每日上限', 'Cap a day')}</th><th /></tr></thead>
        <tbody>
          {list.rows.map((r) => (
            <tr key={r.id} className={r.active ? '' : 'warn'}>
              <td>{r.name}</td><td>{t(...CATEGORIES[r.category])}</td><td className="n">{r.points}</td><td>{r.unit === 'hour' ? t('每小时', 'hour') : t('每次', 'act')}</td><td className="n">{r.capPerDay ?? ''}</td>
              <td><button type="button" onClick={() => void list.act(() => save({ ruleId: r.id, name: r.name, category: r.category, unit: r.unit, points: r.points, capPerDay: r.capPerDay, capPerMonth: r.capPerMonth, active: !r.active }), t('已更改。', 'Changed.'))}>{r.active ? t('停用', 'Retire') : t('启用', 'Use again')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card row" onSubmit={(e) => { e.preventDefault(); void list.act(() => save({ name: form.name, category: form.category, unit: form.unit, points: Number(form.points), capPerDay: form.capPerDay ? Number(form.capPerDay) : null, capPerMonth: null, active: true }), t('已添加。', 'Added.')); }}>
        <label>{t('名称', 'Name')}<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required /></label>
        <label>{t('类别', 'Category')}<select value={form.category} onChange={(e) => setForm({ ...form, category: EarningCategory.parse(e.target.value) })}>{EarningCategory.options.map((c) => <option key={c} value={c}>{t(...CATEGORIES[c])}</option>)}</select></label>
        <label>{t('单位', 'Per')}<select value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value === 'hour' ? 'hour' : 'act' })}><option value="act">{t('每次', 'act')}</option><option value="hour">{t('每小时', 'hour')}</option></select></label>
        <label>{t('积分', 'Points')}<input value={form.points} onChange={(e) => setForm({ ...form, points: e.target.value })} required size={4} /></label>
        <label>{t('每日上限', 'Cap a day')}<input value={form.capPerDay} onChange={(e) => setForm({ ...form, capPerDay: e.target.value })} size={4} /></label>
        <button type="submit" className="primary">{t('添加规则', 'Add rule')}</button>
      </form>
    </section>
  );
}

type ServiceRow = { id: string; name: string; team: string; weekday: number; nthWeek: number | null; startTime: string; endTime: string; place: string; note: string; active: boolean };
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

export function ServicesScreen(): ReactNode {
  const t = useT();
  const list = useList<ServiceRow>('/api/admin/services');
  const [form, setForm] = useState({ name: '', team: '', weekday: 2, startTime: '09:00', endTime: '11:00', place: '' });
  const save = (s: Omit<ServiceRow, 'id'> & { serviceId?: string }) => call('POST', '/api/admin/services', s);
  return (
    <section>
      <h1>{t('每周服务时间表', "The week's services")}</h1>
      <Outcome error={list.error} note={list.note} />
      <table data-testid="services">
        <thead><tr><th>{t('服务', 'Service')}</th><th>{t('队伍', 'Team')}</th><th>{t('时间', 'When')}</th><th>{t('地点', 'Place')}</th><th /></tr></thead>
        <tbody>
          {list.rows.map((s) => (
            <tr key={s.id} className={s.active ? '' : 'warn'}>
              <td>{s.name}</td><td>{s.team}</td><td>{t(`${s.nthWeek ? `每月第${s.nthWeek}个` : '每'}星期${WEEKDAYS[s.weekday - 1]}`, `${s.nthWeek ? `week ${s.nthWeek}, ` : ''}day ${s.weekday}`)} {s.startTime}–{s.endTime}</td><td>{s.place}</td>
              <td><button type="button" onClick={() => void list.act(() => save({ ...s, serviceId: s.id, active: !s.active }), t('已更改。', 'Changed.'))}>{s.active ? t('停用', 'Stop') : t('启用', 'Resume')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card row" onSubmit={(e) => { e.preventDefault(); void list.act(() => save({ ...form, nthWeek: null, note: '', active: true }), t('已添加。', 'Added.')); }}>
        <label>{t('服务', 'Service')}<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required /></label>
        <label>{t('队伍', 'Team')}<input value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} /></label>
        <label>{t('星期', 'Weekday')}<select value={form.weekday} onChange={(e) => setForm({ ...form, weekday: Number(e.target.value) })}>{WEEKDAYS.map((w, i) => <option key={w} value={i + 1}>{t(`星期${w}`, `day ${i + 1}`)}</option>)}</select></label>
        <label>{t('开始', 'Start')}<input type="time" value={form.startTime} onChange={(e) => setForm({ ...form, startTime: e.target.value })} /></label>
        <label>{t('结束', 'End')}<input type="time" value={form.endTime} onChange={(e) => setForm({ ...form, endTime: e.target.value })} /></label>
        <label>{t('地点', 'Place')}<input value={form.place} onChange={(e) => setForm({ ...form, place: e.target.value })} /></label>
        <button type="submit" className="primary">{t('添加服务', 'Add service')}</button>
      </form>
    </section>
  );
}

/** Partner shops (爱心商铺): each joins with its own points account; what it offers, one line each. */
export function ShopsScreen(): ReactNode {
  const t = useT();
  const list = useList<PartnerShop>('/api/admin/shops');
  const [form, setForm] = useState<{ shopId: string | null; name: string; offers: string }>({ shopId: null, name: '', offers: '' });
  // Only the form that was saved is emptied: a shop left or joined again keeps what is typed below.
  const save = (shop: { shopId: string | null; name: string; offers: string[]; active: boolean }, done: string, fromForm: boolean) => list.act(async () => {
    await call('POST', '/api/admin/shops', { ...(shop.shopId ? { shopId: shop.shopId } : {}), name: shop.name, offers: shop.offers, active: shop.active });
    if (fromForm) setForm({ shopId: null, name: '', offers: '' });
  }, done);
  const editing = list.rows.find((s) => s.id === form.shopId);
  return (
    <section>
      <h1>{t('爱心商铺', 'Partner shops')}</h1>
      <Outcome error={list.error} note={list.note} />
      <table data-testid="shops">
        <thead><tr><th>{t('商铺', 'Shop')}</th><th>{t('积分服务', 'Offers for points')}</th><th /></tr></thead>
        <tbody>
          {list.rows.map((s) => (
            <tr key={s.id} className={s.active ? '' : 'warn'}>
              <td>{s.name}{s.active ? '' : t('（已退出）', ' (left)')}</td><td>{s.offers.join('；')}</td>
              <td className="row">
                <button type="button" disabled={form.shopId !== null && form.shopId !== s.id} onClick={() => setForm({ shopId: s.id, name: s.name, offers: s.offers.join('\n') })}>{t('修改', 'Change')}</button>
                <button type="button" onClick={() => void save({ shopId: s.id, name: s.name, offers: s.offers, active: !s.active }, s.active ? t(`${s.name} 已退出，柜台不能再为它兑换。`, `${s.name} left: the counter no longer redeems for it.`) : t(`${s.name} 已重新加入。`, `${s.name} joined again.`), false)}>
                  {s.active ? t('退出', 'Leave') : t('重新加入', 'Join again')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card" aria-label={t('商铺', 'Shop')} onSubmit={(e) => {
        e.preventDefault();
        void save({ shopId: form.shopId, name: form.name, offers: form.offers.split(/\n/).map((x) => x.trim()).filter(Boolean), active: editing?.active ?? true },
          editing ? t(`${form.name} 已修改。`, `${form.name} changed.`) : t(`${form.name} 已加入。`, `${form.name} joined.`), true);
      }}>
        <h2>{editing ? t(`修改 ${editing.name}`, `Change ${editing.name}`) : t('加入一家商铺', 'A shop joins')}</h2>
        <div className="row">
          <label>{t('商铺名称', 'Name')}<input value={form.name} maxLength={50} required onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
          <label>{t('积分服务（每行一项，如「理发 50 分」）', 'Offers (one a line, e.g. "haircut 50 points")')}<textarea rows={3} cols={40} value={form.offers} onChange={(e) => setForm({ ...form, offers: e.target.value })} /></label>
          <button type="submit" className="primary">{editing ? t('保存', 'Save') : t('加入', 'Join')}</button>
          {editing && <button type="button" onClick={() => setForm({ shopId: null, name: '', offers: '' })}>{t('取消', 'Cancel')}</button>}
        </div>
      </form>
    </section>
  );
}
