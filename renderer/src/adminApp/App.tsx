import { useEffect, useState, type ReactNode } from 'react';
import { AdminError, call, half, LangContext, useT, type AdminLang } from './api.js';
import { ImportScreen } from './Import.js';
import { AuditScreen, CityScreen, ReportsScreen } from './Reports.js';
import { CanteenScreen, SubsidyScreen } from './Canteen.js';
import { PaymentCodeScreen } from './PaymentCode.js';
import { DevicesScreen, GoodsScreen, ResidentsScreen, RulesScreen, ServicesScreen, ShopsScreen, StaffScreen } from './Edit.js';

/**
 * The admin app (管理后台), served by the server at /admin to a browser: a centre's admin signs in
 * with a staff card and the admin password (not the counter PIN); a street office's or city's
 * admin signs in with a login and sees the centres' figures side by side. Every change goes to
 * the server's admin API, which makes it an event of the centre's server device; nothing here
 * decides a rule.
 */
type Me = { staffId: string; centreId: string; name: string; cardCode: string; centreName: string };
type CityMe = { name: string; centres: string[] | null };

const TABS = [
  ['import', '居民导入', 'Import residents'], ['residents', '居民', 'Residents'], ['staff', '工作人员', 'Staff'], ['devices', '设备', 'Devices'],
  ['goods', '商品', 'Goods'], ['rules', '积分规则', 'Earning rules'], ['shops', '爱心商铺', 'Partner shops'], ['canteen', '食堂菜单', 'Canteen menus'],
  ['subsidies', '补贴类别', 'Subsidy categories'], ['payment', '收款码', 'Payment code'], ['services', '服务时间表', 'Services'], ['reports', '报表', 'Reports'], ['audit', '审计', 'Audit'],
] as const;
type Tab = (typeof TABS)[number][0];

/** A refusal or failure as the admin reads it. */
export function ErrorLine({ error }: { error: unknown }): ReactNode {
  const t = useT();
  if (!error) return null;
  const lang: AdminLang = t('zh', 'en') as AdminLang;
  const text = error instanceof AdminError ? half(error.message, lang) : t('连接服务器失败，请再试一次。', 'Could not reach the server; try again.');
  return <p role="alert" className="error">{text}</p>;
}

export function App(): ReactNode {
  const [lang, setLang] = useState<AdminLang>(() => (localStorage.getItem('linli-admin-lang') === 'en' ? 'en' : 'zh'));
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [city, setCity] = useState<CityMe | null>(null);
  const [tab, setTab] = useState<Tab>('import');
  useEffect(() => {
    call<Me>('GET', '/api/admin/me').then(setMe, () => {
      call<CityMe>('GET', '/api/admin/city/me').then((c) => { setCity(c); setMe(null); }, () => setMe(null));
    });
  }, []);
  const switchLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('linli-admin-lang', next);
    setLang(next);
  };
  const signOut = async () => {
    await call('DELETE', city ? '/api/admin/city/session' : '/api/admin/session').catch(() => undefined);
    setMe(null);
    setCity(null);
  };
  const tr = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  return (
    <LangContext.Provider value={lang}>
      <header className="bar">
        <strong>{tr('邻里 · 管理后台', 'Linli · Admin')}</strong>
        {me && <span>{me.centreName} · {me.name}（{me.cardCode}）</span>}
        {city && <span>{city.name}</span>}
        <span className="spacer" />
        <button type="button" onClick={switchLang}>{tr('English', '中文')}</button>
        {(me || city) && <button type="button" onClick={() => void signOut()}>{tr('退出登录', 'Sign out')}</button>}
      </header>
      {me === undefined ? <p>{tr('正在加载…', 'Loading…')}</p>
        : city ? <CityScreen />
        : me === null ? <SignIn onCentre={setMe} onCity={setCity} />
        : (
          <div className="layout">
            <nav aria-label={tr('功能', 'Sections')}>
              {TABS.map(([key, zh, en]) => (
                <button key={key} type="button" aria-current={tab === key ? 'page' : undefined} onClick={() => setTab(key)}>{tr(zh, en)}</button>
              ))}
            </nav>
            <main>
              {tab === 'import' && <ImportScreen />}
              {tab === 'residents' && <ResidentsScreen />}
              {tab === 'staff' && <StaffScreen me={me} />}
              {tab === 'devices' && <DevicesScreen />}
              {tab === 'goods' && <GoodsScreen />}
              {tab === 'rules' && <RulesScreen />}
              {tab === 'shops' && <ShopsScreen />}
              {tab === 'canteen' && <CanteenScreen />}
              {tab === 'subsidies' && <SubsidyScreen />}
              {tab === 'payment' && <PaymentCodeScreen />}
              {tab === 'services' && <ServicesScreen />}
              {tab === 'reports' && <ReportsScreen />}
              {tab === 'audit' && <AuditScreen />}
            </main>
          </div>
        )}
    </LangContext.Provider>
  );
}

function SignIn({ onCentre, onCity }: { onCentre(me: Me): void; onCity(c: CityMe): void }): ReactNode {
  const t = useT();
  const [as, setAs] = useState<'centre' | 'city'>('centre');
  const [centreId, setCentreId] = useState('');
  const [card, setCard] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call<{ centreId: string | null }>('GET', '/api/admin/centre-hint').then((h) => setCentreId((c) => c || (h.centreId ?? '')), () => undefined);
  }, []);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (as === 'centre') {
        await call('POST', '/api/admin/session', { centreId: centreId.trim(), cardCode: card.trim().toUpperCase(), password });
        onCentre(await call<Me>('GET', '/api/admin/me'));
      } else {
        await call('POST', '/api/admin/city/session', { login: card.trim(), password });
        onCity(await call<CityMe>('GET', '/api/admin/city/me'));
      }
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h1>{t('管理员登录', 'Admin sign-in')}</h1>
      <fieldset className="row">
        <label><input type="radio" name="as" checked={as === 'centre'} onChange={() => setAs('centre')} />{t('服务中心管理员', 'Centre admin')}</label>
        <label><input type="radio" name="as" checked={as === 'city'} onChange={() => setAs('city')} />{t('街道/市级', 'Street office / city')}</label>
      </fieldset>
      {as === 'centre' && <label>{t('服务中心编号', 'Centre')}<input value={centreId} onChange={(e) => setCentreId(e.target.value)} required /></label>}
      <label>{as === 'centre' ? t('工作证号', 'Staff card') : t('登录名', 'Login')}<input value={card} onChange={(e) => setCard(e.target.value)} required autoFocus /></label>
      <label>{t('管理后台密码（不是柜台密码）', 'Admin password (not the counter PIN)')}<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" /></label>
      <ErrorLine error={error} />
      <button type="submit" className="primary" disabled={busy}>{t('登录', 'Sign in')}</button>
    </form>
  );
}
