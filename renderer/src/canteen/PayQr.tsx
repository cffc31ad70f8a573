import type { ReactNode } from 'react';
import { PAYMENT_CODE_ID, yuanText, type PaymentCode } from '../../../core/index.js';
import type { LinliDb } from '../store/db.js';
import { symbols } from './symbols.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

/** The centre's payment code as the till may show it: set, with a code (undefined while it is read). */
export function usePaymentCode(db: LinliDb): (PaymentCode & { code: string }) | null | undefined {
  return useReplicaQuery(db, async () => {
    const row = await db.paymentCodes.get(PAYMENT_CODE_ID);
    return row && row.code !== null ? { ...row, code: row.code } : null;
  }, [db], undefined);
}

/**
 * The centre's own payment code for the buyer's phone, with the sum in large figures and whom it
 * pays: the phone pays the centre directly, and staff confirm once they see the money arrive.
 */
export function PayQr({ code, amountFen }: { code: PaymentCode & { code: string }; amountFen: number }): ReactNode {
  const { w } = useCanteenWords();
  return (
    <div className="pay-qr" data-testid="pay-qr">
      <span role="img" aria-label={w.payCode} data-code={code.code} dangerouslySetInnerHTML={{ __html: symbols.qr(code.code) }} />
      <div>
        <p className="pay-sum">￥{yuanText(amountFen)}</p>
        <p>{w.payee(code.payee)}</p>
        <p>{w.scanToPay(yuanText(amountFen))}</p>
      </div>
    </div>
  );
}
