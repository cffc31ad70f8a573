import { describe, expect, it } from 'vitest';
import { charColumns, spreadLines, textColumns, wrapColumns } from './width.js';

describe('columns as a printer in Chinese mode counts them', () => {
  it('gives printable ASCII one column and every other character two, × · — é ￥ included', () => {
    expect(Array.from('a1 -~').map(charColumns)).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from('中×·—é￥（𠀾').map(charColumns)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(textColumns('2 × 30')).toBe(7);
  });
});

describe('wrapColumns', () => {
  it('breaks English at spaces and Chinese anywhere, every line within the width', () => {
    expect(wrapColumns('Collect your meal when your number is called', 32)).toEqual(['Collect your meal when your', 'number is called']);
    expect(wrapColumns('特别长的商品名称', 10)).toEqual(['特别长的商', '品名称']);
    expect(wrapColumns('Supercalifragilistic', 8)).toEqual(['Supercal', 'ifragili', 'stic']);
    expect(wrapColumns('', 8)).toEqual(['']);
  });

  it('never starts a line with closing punctuation', () => {
    expect(wrapColumns('押金仅为保证归还，归还时全额退还。', 32)).toEqual(['押金仅为保证归还，归还时全额退', '还。']);
    expect(wrapColumns('抽纸一提（大包）', 14)).toEqual(['抽纸一提（大', '包）']);
  });
});

describe('spreadLines', () => {
  it('puts the label at the start and the value at the end of one line when both fit', () => {
    expect(spreadLines('合计', '80', 12)).toEqual(['合计      80']);
  });

  it('wraps the label and keeps the value whole when both do not fit, nothing cut', () => {
    expect(spreadLines('特别长的商品名称', '× 3', 12)).toEqual(['特别长的商品', '名称    × 3']);
    expect(spreadLines('居民', 'Muhammad*******Smith', 16)).toEqual(['居民', 'Muhammad*******S', '            mith']);
  });
});
