import { maskName } from '../residents/resident.js';
import { describe, expect, it } from 'vitest';
import { receiptNumber, renderReceiptHtml } from './receipt.js';

const receipt = {
  kind: 'redemption' as const, centreName: '五洲观澜社区党群服务中心', receiptNo: receiptNumber('K01', 42),
  at: Date.UTC(2026, 10, 25, 2, 5), residentName: maskName('张三明'),
  lines: [{ name: '抽纸 <大包>', quantity: 2, pointPrice: 30, points: 60 }], totalPoints: 60, balanceAfter: 40,
};

describe('renderReceiptHtml', () => {
  it('shows the receipt number, Beijing time, masked name, lines, total and balance', () => {
    const html = renderReceiptHtml(receipt, 'zh');
    expect(html).toContain('K01-000042');
    expect(html).toContain('2026-11-25 10:05');
    expect(html).toContain('张*明');
    expect(html).toContain('抽纸 &#60;大包&#62;');
    expect(html).toMatch(/class="n total">60</);
    expect(html).toMatch(/class="n balance">40</);
    expect(html).toContain('积分兑换小票');
  });

  it('names the clerk when the receipt carries one', () => {
    expect(renderReceiptHtml({ ...receipt, staffName: '李建国' }, 'zh')).toMatch(/<dt>经办<\/dt><dd class="staff">李建国<\/dd>/);
    expect(renderReceiptHtml(receipt, 'zh')).not.toContain('经办');
  });

  it('speaks English when asked', () => {
    expect(renderReceiptHtml(receipt, 'en')).toContain('Points Redemption Receipt');
  });
});
