import { describe, expect, it } from 'vitest';
import { rowsView } from '../effects/effects.js';
import { overlay, type OverlaidEvent } from '../effects/overlay.js';
import type { EventBody } from '../events/registry.js';
import { formatMessage } from '../i18n/messages.js';
import { decideGoodsPhoto, MAX_PHOTO_CHARS } from './goodsPhoto.js';

const at = '2026-11-25T02:00:00.000Z';
const ev = (id: string, body: EventBody): OverlaidEvent => ({ ...body, id, at, clockOffset: 0, staffId: 's' });
const tissues = { id: 'g1', centreId: 'c', name: '抽纸', barcode: '69012345', pointPrice: 30, stock: 5, category: '', lowStock: 5, changeSeq: 1 };
const jpeg = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==';

describe('a photo of goods', () => {
  it('is set, replaced and taken away; the goods row itself is untouched', () => {
    const set = decideGoodsPhoto('g1', null, jpeg);
    expect(set).toEqual({ ok: true, value: { goodsId: 'g1', photo: jpeg } });
    const start = rowsView({ goods: [tissues] });
    const body = (photo: string | null): EventBody => ({ kind: 'goodsPhotoSet', version: 1, payload: { goodsId: 'g1', photo } });
    const first = overlay(start, 'c', [ev('e1', body(jpeg))]);
    expect(first.row('goodsPhotos', 'g1')).toMatchObject({ id: 'g1', photo: jpeg });
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const second = overlay(first, 'c', [ev('e2', body(png)), ev('e3', body(null))]);
    expect(second.row('goodsPhotos', 'g1')).toMatchObject({ photo: null });
    expect(second.row('goods', 'g1')).toEqual(tissues);
  });

  it('refuses what is not a picture the kiosk draws, a picture too large, no change, and taking away none', () => {
    for (const bad of ['https://example.com/a.jpg', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:image/jpeg;base64,<script>', `data:image/jpeg;base64,${'A'.repeat(MAX_PHOTO_CHARS)}`]) {
      expect(decideGoodsPhoto('g1', null, bad)).toEqual({ ok: false, error: { key: 'photoInvalid', params: {} } });
    }
    expect(decideGoodsPhoto('g1', jpeg, jpeg)).toMatchObject({ ok: false, error: { key: 'photoUnchanged' } });
    const none = decideGoodsPhoto('g1', null, null);
    expect(none).toMatchObject({ ok: false, error: { key: 'photoNone' } });
    if (!none.ok) expect(formatMessage(none.error, 'zh')).toBe('这个商品还没有照片。');
  });
});
