import { describe, expect, it } from 'vitest';
import { applyEvent } from '../events/registry.js';
import { decidePaymentCode, isPaymentCode, paymentCodeIssuer } from './paymentCodeSet.js';

/** The centre's collection code (收款码): what counts as one, and what setting it decides. */
describe('the payment code', () => {
  it('takes what a WeChat Pay or Alipay collection code says, and refuses what no phone could pay (what an https address leads to is not checked here)', () => {
    for (const code of ['wxp://f2f0ABCDEFGHIJKLMN', 'https://qr.alipay.com/fkx01234abcd', 'HTTPS://QR.95516.COM/00010000/01234567890123456789', 'https://payapp.weixin.qq.com/qr/AQH0abc?t=1']) {
      expect(isPaymentCode(code)).toBe(true);
    }
    // A plain http address, a Linli card, a ticket, spaces or a line break inside, Chinese text, a scheme alone, too long.
    for (const code of ['http://qr.alipay.com/fkx01234', 'LL0000000117', 'T1-20261125-l-7-AB', 'wxp://f2f0 ABCD', 'wxp://f2f0\nABCD', 'https://收款.cn/abc', 'wxp://', 'wxp://ab', `https://qr.alipay.com/${'x'.repeat(491)}`, '']) {
      expect(isPaymentCode(code)).toBe(false);
    }
  });

  it('says whose code it is by scheme or host, and nothing for another address', () => {
    expect(['wxp://f2f0ABCDEFG', 'https://payapp.weixin.qq.com/qr/AQH0abc', 'https://QR.ALIPAY.COM/fkx0123', 'https://qr.95516.com/00010000/0123', 'https://u.wechat.com/abcd', 'https://qr.alipay.com.evil.cn/x']
      .map(paymentCodeIssuer)).toEqual(['wechat', 'wechat', 'alipay', 'unionpay', null, null]);
  });

  it('decides a new code, a change and taking it away; refuses a code that is not one and a missing payee, naming the field', () => {
    expect(decidePaymentCode({ code: '  wxp://f2f0ABCDEFG \n', payee: ' 五洲观澜社区食堂 ' }, false)).toEqual({ ok: true, value: { isNew: true, code: 'wxp://f2f0ABCDEFG', payee: '五洲观澜社区食堂' } });
    expect(decidePaymentCode({ code: 'https://qr.alipay.com/fkx01234', payee: '食堂' }, true)).toEqual({ ok: true, value: { isNew: false, code: 'https://qr.alipay.com/fkx01234', payee: '食堂' } });
    // Null: QR payment off. A blank field is not a way to turn it off.
    expect(decidePaymentCode({ code: null, payee: '食堂' }, true)).toEqual({ ok: true, value: { isNew: false, code: null, payee: '食堂' } });
    expect(decidePaymentCode({ code: '  ', payee: '食堂' }, true)).toEqual({ ok: false, error: { key: 'paymentCodeInvalid', params: { field: 'code' } } });
    expect(decidePaymentCode({ code: 'http://example.com/pay', payee: '食堂' }, true)).toEqual({ ok: false, error: { key: 'paymentCodeInvalid', params: { field: 'code' } } });
    expect(decidePaymentCode({ code: 'wxp://f2f0ABCDEFG', payee: '  ' }, true)).toEqual({ ok: false, error: { key: 'paymentCodeInvalid', params: { field: 'payee' } } });
    expect(decidePaymentCode({ code: 'wxp://f2f0ABCDEFG', payee: '一'.repeat(31) }, true)).toEqual({ ok: false, error: { key: 'paymentCodeInvalid', params: { field: 'payee' } } });
  });

  it('writes the centre\'s one row: created the first time, changed after', () => {
    const body = (isNew: boolean, code: string | null) => ({ kind: 'paymentCodeSet', version: 1, payload: { isNew, code, payee: '食堂' } }) as const;
    const ctx = { eventId: 'e1', at: 0, staffId: 's1' };
    const view = { row: () => undefined } as never;
    expect(applyEvent(view, body(true, 'wxp://f2f0ABCDEFG'), ctx).effects).toEqual([{ type: 'record', table: 'paymentCodes', create: { id: 'centre', code: 'wxp://f2f0ABCDEFG', payee: '食堂' } }]);
    expect(applyEvent(view, body(false, null), ctx).effects).toEqual([{ type: 'record', table: 'paymentCodes', id: 'centre', patch: { code: null, payee: '食堂' } }]);
  });
});
