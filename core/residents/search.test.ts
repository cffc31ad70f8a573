import { describe, expect, it } from 'vitest';
import { pinyinInitials, searchResidents } from './search.js';

const r = (id: string, name: string, phoneTail: string | null = null, building: string | null = null, room: string | null = null) => ({ id, name, phoneTail, building, room });
const people = [r('1', '张三明', '5678', '3栋', '2单元501'), r('2', '王秀英', '1234', '12栋', '1单元1203'), r('3', '李建国', '0001'), r('4', '曾小红'), r('5', '张珊', '9999', '3栋', '1单元101')];

describe('finding a resident without the card', () => {
  it('reads pinyin initials, the surnames read otherwise too', () => {
    expect(pinyinInitials('张三明')).toBe('zsm');
    expect(pinyinInitials('王秀英')).toBe('wxy');
    expect(pinyinInitials('李建国')).toBe('ljg');
    expect(pinyinInitials('刘罗吕卢陆龙')).toBe('llllll');
    expect(pinyinInitials('曾小红')).toBe('zxh');
    expect(pinyinInitials('欧阳')).toBe('oy');
  });

  it('finds by initials, by name, by the phone\'s last four, by building and room', () => {
    expect(searchResidents('zsm', people).map((x) => x.id)).toEqual(['1']);
    expect(searchResidents('zs', people).map((x) => x.id).sort()).toEqual(['1', '5']);
    expect(searchResidents('张', people).map((x) => x.id).sort()).toEqual(['1', '5']);
    expect(searchResidents('1234', people).map((x) => x.id)).toEqual(['2']);
    expect(searchResidents('3栋2单元501', people).map((x) => x.id)).toEqual(['1']);
    expect(searchResidents('1203', people).map((x) => x.id)).toEqual(['2']);
    expect(searchResidents('zxh', people).map((x) => x.id)).toEqual(['4']);
    expect(searchResidents('', people)).toEqual([]);
    expect(searchResidents('赵', people)).toEqual([]);
  });
});
