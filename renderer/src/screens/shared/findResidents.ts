import type { Resident } from '../../../../core/index.js';
// Not in core's index (yet): the search is only the counter's.
import { pinyinInitials, searchResidents, type Searchable } from '../../../../core/residents/search.js';

/** A resident with what a search compares, worked out once: pinyin initials, the address without 栋/单元/室. */
type Entry<R> = { r: R; initials: string; address: string };

/** The residents a search looks through, each with its search keys worked out once (not at every keystroke). */
export type ResidentIndex<R extends Searchable = Resident> = readonly Entry<R>[];

const squeeze = (text: string) => text.toLowerCase().replace(/[栋号楼单元室\-\s]/g, '');

export function indexResidents<R extends Searchable>(residents: readonly R[]): ResidentIndex<R> {
  return residents.map((r) => ({ r, initials: pinyinInitials(r.name), address: squeeze(`${r.building ?? ''}${r.room ?? ''}`) }));
}

/**
 * `core/`'s `searchResidents` over the residents that can match at all: the index leaves out, with
 * its keys worked out once, every resident none of the rules could match (phone tail, name,
 * initials, address), and `searchResidents` matches and orders the rest. The answer is the same as
 * over all of them; a keystroke no longer normalises 8,507 names and addresses.
 */
export function findResidents<R extends Searchable>(query: string, index: ResidentIndex<R>, limit = 8): R[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (q === '') return [];
  const name = query.trim();
  const phone = /^\d{4}$/.test(q);
  const letters = /^[a-z]+$/.test(q);
  const wanted = q.replace(/[栋号楼单元室-]/g, '');
  const address = /\d/.test(wanted);
  const candidates: R[] = [];
  for (const e of index) {
    if ((phone && e.r.phoneTail === q) || e.r.name === name || e.r.name.includes(q) || (letters && e.initials.startsWith(q)) || (address && e.address.length > 0 && e.address.includes(wanted))) {
      candidates.push(e.r);
    }
  }
  return searchResidents(query, candidates, limit);
}
