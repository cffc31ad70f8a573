import { z } from 'zod';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText } from '../text/text.js';
import { PAYMENT_CODE_ID } from './rows.js';

/**
 * The text of a collection code (收款码) as a phone's payment app reads it: WeChat Pay's own
 * `wxp://…`, or an https address (Alipay `https://qr.alipay.com/…`, UnionPay, a bank's aggregated
 * code). Printable ASCII without spaces, at most 512 characters. Anything else is not a code a
 * buyer's phone could pay: a plain http address, a Linli card, a word typed by mistake.
 */
export const PaymentCodeText = z.string().max(512).regex(/^(wxp:\/\/|https:\/\/)[\x21-\x7e]{4,}$/i);

/** Whether a text read from a picture or typed is a collection code (`PaymentCodeText`). */
export function isPaymentCode(text: string): boolean {
  return PaymentCodeText.safeParse(text).success;
}

/** Hosts of the payment apps' own collection codes. */
const ISSUERS: Readonly<Record<string, 'wechat' | 'alipay' | 'unionpay'>> = {
  'payapp.weixin.qq.com': 'wechat', 'wx.tenpay.com': 'wechat', 'qr.alipay.com': 'alipay', 'qr.95516.com': 'unionpay',
};

/**
 * Whose collection code a code is, by its scheme or host: WeChat Pay, Alipay or UnionPay; null for
 * any other https address. That may be a bank's aggregated code, and may be no payment code at
 * all (a WeChat contact card, a web page): the admin is asked to make sure before it is saved.
 */
export function paymentCodeIssuer(code: string): 'wechat' | 'alipay' | 'unionpay' | null {
  if (/^wxp:\/\//i.test(code)) return 'wechat';
  const host = /^https:\/\/([^/?#:]+)/i.exec(code)?.[1]?.toLowerCase();
  return (host !== undefined && ISSUERS[host]) || null;
}

/**
 * The centre's collection code set by an admin (设置收款码), or taken away (`code` null: the till
 * then offers no QR payment). Meals sold before keep how they were paid; only later sales show the
 * new code. Set through the admin app, which reads it from a picture of the code.
 */
export const PaymentCodeSetV1 = z.object({
  kind: z.literal('paymentCodeSet'),
  version: z.literal(1),
  payload: z.object({
    /** Whether the centre has no code row yet. */
    isNew: z.boolean(),
    code: PaymentCodeText.nullable(),
    payee: RequiredText(30),
  }),
});
export type PaymentCodeChange = z.infer<typeof PaymentCodeSetV1>['payload'];

export const paymentCodeSet = defineKind({
  versions: [PaymentCodeSetV1],
  refs: ({ payload: p }) => [{ table: 'paymentCodes', id: PAYMENT_CODE_ID, is: p.isNew ? 'new' : 'existing' }],
  // Admin only, and only through the server (the admin app): where the centre's money goes is
  // not for a till to change.
  roles: [],
  profiles: [],
  selfService: false,
  apply: (_view, { payload: p }) => ({
    effects: [p.isNew
      ? { type: 'record', table: 'paymentCodes', create: { id: PAYMENT_CODE_ID, code: p.code, payee: p.payee } }
      : { type: 'record', table: 'paymentCodes', id: PAYMENT_CODE_ID, patch: { code: p.code, payee: p.payee } }],
  }),
});

/**
 * Decides the centre's collection code from the admin's form: the code's text trimmed (null: no QR
 * payment) and the payee's name. Refused, naming the field: a text that is not a collection code
 * (an empty one too: QR payment is turned off by asking for that, not by a blank field), or no payee.
 */
export function decidePaymentCode(form: { code: string | null; payee: string }, hasRow: boolean): Decision<PaymentCodeChange> {
  const code = form.code === null ? null : form.code.trim();
  if (code !== null && !isPaymentCode(code)) return refuse('paymentCodeInvalid', { field: 'code' });
  const parsed = PaymentCodeSetV1.shape.payload.safeParse({ isNew: !hasRow, code, payee: form.payee });
  if (!parsed.success) return refuse('paymentCodeInvalid', { field: 'payee' });
  return accept(parsed.data);
}
