import { describe, expect, it } from 'vitest';
import { goodsChanged, decideGoodsChange } from './goodsCatalogue.js';
import { makeEan } from './barcode.js';

const tissues = { id: 'g1', barcode: makeEan('690100000000') };
const form = { name: '抽纸（一提）', category: '日用品', pointPrice: 30, lowStock: 5 };

describe('goods changed', () => {
  it('corrects a barcode typed wrong: it must read and be on no other goods; blank or the same leaves it', () => {
    const right = makeEan('690100000001');
    expect(decideGoodsChange(tissues, { ...form, barcode: right })).toEqual({ ok: true, value: { goodsId: 'g1', ...form, barcode: right } });
    expect(decideGoodsChange(tissues, { ...form, barcode: '' })).toEqual({ ok: true, value: { goodsId: 'g1', ...form } });
    expect(decideGoodsChange(tissues, { ...form, barcode: tissues.barcode })).toEqual({ ok: true, value: { goodsId: 'g1', ...form } });
    expect(decideGoodsChange(tissues, { ...form, barcode: '6901234567890' })).toMatchObject({ ok: false, error: { key: 'malformedGoodsCode' } });
    expect(decideGoodsChange(tissues, { ...form, barcode: right }, (code) => code === right)).toEqual({ ok: false, error: { key: 'barcodeTaken', params: { code: right } } });
  });

  it('names a corrected barcode as one no goods may hold, so the server refuses a code already out', () => {
    const right = makeEan('690100000001');
    const held = (barcode?: string) => goodsChanged.refs({ kind: 'goodsChanged', version: 1, payload: { goodsId: 'g1', ...form, ...(barcode ? { barcode } : {}) } })
      .flatMap((r) => ('field' in r ? [[r.value, r.is]] : []));
    expect(held(right)).toEqual([[right, 'new']]);
    expect(held()).toEqual([]);
  });
});
