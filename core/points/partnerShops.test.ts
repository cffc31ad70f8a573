import { describe, expect, it } from 'vitest';
import type { RedemptionReceipt } from '../receipt/receipt.js';
import { maskName } from '../residents/resident.js';
import { shopNameForPrint } from './partnerShops.js';

describe('a partner shop\'s name on a receipt', () => {
  it('prints whole, and a receipt takes only a masked name or a shop\'s', () => {
    const shop: RedemptionReceipt['residentName'] = shopNameForPrint({ name: '老王理发店' });
    const resident: RedemptionReceipt['residentName'] = maskName('张三明');
    expect([shop, resident]).toEqual(['老王理发店', '张*明']);
    // @ts-expect-error a plain string (a full name typed in) is neither masked nor a shop's public name
    const plain: RedemptionReceipt['residentName'] = '张三明';
    expect(plain).toBe('张三明');
  });
});
