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
 * Decides the centre's collection code from the admin's form: the code's text trimmed (null or
 * empty: no QR payment) and the payee's name. Refused, naming the field: a text that is not a
 * collection code, or no payee for a code.
 */
export function decidePaymentCode(form: { code: string | null; payee: string }, hasRow: boolean): Decision<PaymentCodeChange> {
  const code = form.code?.trim() || null;
  if (code !== null && !isPaymentCode(code)) return refuse('paymentCodeInvalid', { field: 'code' });
  const parsed = PaymentCodeSetV1.shape.payload.safeParse({ isNew: !hasRow, code, payee: form.payee });
  if (!parsed.success) return refuse('paymentCodeInvalid', { field: 'payee' });
  return accept(parsed.data);
}
