import type { Resident } from '../entities.js';

/**
 * Finding a resident who forgot the card: by name (汉字, or pinyin initials: `zsm` finds 张三明),
 * by the last four digits of the phone, by building and room (`3栋501`, `3-2-501`). Staff then see
 * the full name and the phone's last digits to confirm who stands there.
 *
 * Pinyin initials come from the collation of Chinese by pinyin (Intl.Collator 'zh-CN', in Node and
 * in Chromium alike): a character's initial is that of the last of these boundary characters at or
 * before it (阿 is the first A syllable, 八 the first B…). The surnames read otherwise than their
 * commonest reading (曾 zēng, 覃 qín…) are listed.
 *
 * Worked example: 张三明 → z s m; 曾小红 → z x h (not c x h).
 */
const BOUNDARIES = [...'阿八嚓哒妸发旮哈讥咔垃妈拏噢妑七呥仨他哇夕丫帀'].map((ch, i) => ['abcdefghjklmnopqrstwxyz'[i]!, ch] as const);
const SURNAME_READINGS: Readonly<Record<string, string>> = { 曾: 'z', 覃: 'q', 单: 's', 解: 'x', 仇: 'q', 区: 'o', 查: 'z', 朴: 'p', 乐: 'y', 盖: 'g', 翟: 'z', 尉: 'y', 缪: 'm', 召: 's', 员: 'y' };

let collator: Intl.Collator | null = null;
const initials = new Map<string, string>();

/** The pinyin initial of one character (a letter or digit stands for itself), or '' when it has none. */
export function pinyinInitial(ch: string): string {
  if (/^[a-z0-9]$/i.test(ch)) return ch.toLowerCase();
  const known = initials.get(ch);
  if (known !== undefined) return known;
  collator ??= new Intl.Collator('zh-CN');
  let found = '';
  if (/\p{Script=Han}/u.test(ch)) {
    for (const [letter, boundary] of BOUNDARIES) {
      if (collator.compare(ch, boundary) >= 0) found = letter;
      else break;
    }
  }
  initials.set(ch, found);
  return found;
}

/** The pinyin initials of a name: 张三明 → zsm. */
export function pinyinInitials(name: string): string {
  const chars = Array.from(name.trim());
  return chars.map((ch, i) => (i === 0 && SURNAME_READINGS[ch]) || pinyinInitial(ch)).join('');
}

/** What a resident search looks at. */
export type Searchable = Pick<Resident, 'id' | 'name' | 'phoneTail' | 'building' | 'room'>;

/** How well a resident matches a query: higher is better, 0 is no match. */
export function residentMatch(query: string, r: Searchable): number {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (q === '') return 0;
  if (/^\d{4}$/.test(q) && r.phoneTail === q) return 4;
  if (r.name === query.trim()) return 5;
  if (r.name.includes(q)) return 3;
  if (/^[a-z]+$/.test(q) && pinyinInitials(r.name).startsWith(q)) return 2;
  const address = `${r.building ?? ''}${r.room ?? ''}`.toLowerCase().replace(/[栋号楼单元室\-\s]/g, '');
  const wanted = q.replace(/[栋号楼单元室-]/g, '');
  if (/\d/.test(wanted) && address.length > 0 && address.includes(wanted)) return 1;
  return 0;
}

/** The residents that match a query, best first, at most `limit`. */
export function searchResidents<R extends Searchable>(query: string, residents: readonly R[], limit = 20): R[] {
  const scored: { r: R; score: number }[] = [];
  for (const r of residents) {
    const score = residentMatch(query, r);
    if (score > 0) scored.push({ r, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.r.name.localeCompare(b.r.name, 'zh')).slice(0, limit).map((x) => x.r);
}
