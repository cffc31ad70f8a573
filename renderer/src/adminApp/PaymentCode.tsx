import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { formatMessage, isPaymentCode, paymentCodeIssuer, type PaymentCode } from '../../../core/index.js';
import { symbols } from '../canteen/symbols.js';
import { readCodeInPicture } from '../scan/picture.js';
import { call, useT } from './api.js';
import { Outcome } from './Edit.js';

/** What went wrong in the page itself, before the server was asked. */
const UNREADABLE = 'unreadable';
const NOT_A_CODE = 'notACode';

/**
 * The centre's payment code (收款码): the admin gives a picture of the centre's own WeChat Pay or
 * Alipay collection code (or pastes what it says), and the name it pays; the canteen's tills then
 * show it for a meal paid by QR. Every change is asked about first: it says where buyers' money
 * goes. Taking it away turns QR payment off at the tills.
 */
export function PaymentCodeScreen(): ReactNode {
  const t = useT();
  const [current, setCurrent] = useState<PaymentCode | null | undefined>(undefined);
  const [code, setCode] = useState('');
  const [payee, setPayee] = useState('');
  const [reading, setReading] = useState(false);
  const [asking, setAsking] = useState<'set' | 'off' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const reload = useCallback(() => {
    call<{ paymentCode: PaymentCode | null }>('GET', '/api/admin/canteen/payment-code').then((r) => {
      setCurrent(r.paymentCode);
      setPayee((p) => p || r.paymentCode?.payee || '');
    }, setError);
  }, []);
  useEffect(reload, [reload]);

  const readPicture = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setNote(null);
    setReading(true);
    try {
      const text = await readCodeInPicture(file, isPaymentCode);
      if (text) {
        setCode(text);
        setNote(t('已从图片读出收款码，请核对收款方后保存。', 'The payment code was read from the picture; check the payee and save.'));
      } else {
        setError(new Error(UNREADABLE));
      }
    } catch {
      setError(new Error(UNREADABLE));
    } finally {
      setReading(false);
      // The same file picked again is read again.
      input.value = '';
    }
  };
  const ask = () => {
    if (!isPaymentCode(code.trim())) {
      setNote(null);
      setError(new Error(NOT_A_CODE));
      return;
    }
    setError(null);
    setAsking('set');
  };
  const save = async (off: boolean) => {
    setAsking(null);
    setError(null);
    setNote(null);
    try {
      await call('POST', '/api/admin/canteen/payment-code', { code: off ? null : code, payee: payee || current?.payee || '' });
      setNote(off ? t('已停用扫码支付。', 'QR payment is off.') : t('收款码已保存，各售餐机同步后生效。', 'Payment code saved; the tills show it once they sync.'));
      setCode('');
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const local = error instanceof Error && (error.message === UNREADABLE || error.message === NOT_A_CODE) ? error.message : null;
  const issuer = paymentCodeIssuer(code.trim());
  const host = /^https:\/\/([^/?#]+)/i.exec(code.trim())?.[1] ?? '';

  return (
    <section>
      <h1>{t('收款码', 'Payment code')}</h1>
      <p>{t('售餐机在「扫码支付」时显示本中心自己的微信或支付宝收款码，顾客付款直接到中心账户。', 'For a meal paid by QR the tills show the centre\'s own WeChat Pay or Alipay collection code; buyers pay the centre directly.')}</p>
      {local === UNREADABLE && <p role="alert" className="error">{t('图片里没有读到收款码：请用收款码的清晰照片或截图（微信 wxp:// 或 https:// 开头的码）。', 'No payment code could be read from the picture: use a clear photo or screenshot of the collection code (a wxp:// or https:// code).')}</p>}
      {local === NOT_A_CODE && <p role="alert" className="error">{formatMessage({ key: 'paymentCodeInvalid', params: { field: 'code' } }, t('zh', 'en') as 'zh' | 'en')}</p>}
      {local === null && <Outcome error={error} note={note} />}
      <div className="card" data-testid="payment-code-now">
        <h2>{t('现在的收款码', 'The code now')}</h2>
        {current === undefined ? null : current?.code ? (
          <div className="row">
            <span className="qr-preview" role="img" aria-label={t('收款码', 'Payment code')} dangerouslySetInnerHTML={{ __html: symbols.qr(current.code) }} />
            <div>
              <p>{t('收款方', 'Payee')}：<strong>{current.payee}</strong></p>
              <p className="code-text">{current.code}</p>
              <button type="button" onClick={() => setAsking('off')}>{t('停用扫码支付…', 'Turn QR payment off…')}</button>
            </div>
          </div>
        ) : <p>{t('未设置：售餐机不提供扫码支付。', 'None: the tills offer no QR payment.')}</p>}
      </div>
      {asking && (
        <div className="card row" role="alertdialog" aria-label={t('确认', 'Confirm')}>
          <strong>{asking === 'off'
            ? t('停用扫码支付？售餐机将不再显示收款码。', 'Turn QR payment off? The tills will no longer show a payment code.')
            : t(`从现在起，顾客扫码付款将付给「${payee}」（${code.trim()}）。确定保存？`, `From now on buyers paying by QR pay "${payee}" (${code.trim()}). Save?`)}
            {asking === 'set' && issuer === null && <span className="warn" data-testid="unknown-issuer">{t(
              ` 注意：${host} 不是微信、支付宝或银联的收款码地址，请确认它确实是本中心的收款码（例如银行的聚合码）。`,
              ` Note: ${host} is not a WeChat Pay, Alipay or UnionPay code address; make sure it really is the centre's collection code (a bank's aggregated code, say).`)}</span>}</strong>
          <button type="button" className="primary" onClick={() => void save(asking === 'off')}>{t('确定', 'Confirm')}</button>
          <button type="button" onClick={() => setAsking(null)}>{t('取消', 'Cancel')}</button>
        </div>
      )}
      <form className="card" aria-label={t('设置收款码', 'Set the payment code')} onSubmit={(e) => { e.preventDefault(); ask(); }}>
        <h2>{t('设置收款码', 'Set the payment code')}</h2>
        <div className="row">
          <label>{t('收款码图片（照片或截图）', 'Picture of the code (photo or screenshot)')}
            <input type="file" accept="image/*" onChange={(e) => void readPicture(e.currentTarget)} />
          </label>
          {reading && <span role="status">{t('正在读取图片…', 'Reading the picture…')}</span>}
        </div>
        <div className="row">
          <label>{t('收款码内容（可直接粘贴）', 'What the code says (may be pasted)')}<input name="code" value={code} size={48} maxLength={512} required onChange={(e) => setCode(e.target.value)} /></label>
          <label>{t('收款方名称（与扫码后手机上显示的名字一致）', 'Payee (as a phone shows it once the code is scanned)')}<input name="payee" value={payee} maxLength={30} required onChange={(e) => setPayee(e.target.value)} /></label>
          <button type="submit" className="primary">{t('保存…', 'Save…')}</button>
        </div>
      </form>
    </section>
  );
}
