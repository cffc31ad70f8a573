import { useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Resident } from '../../../../core/index.js';
import { useLocalWords } from '../../i18n.js';
import type { LinliDb } from '../../store/db.js';
import { pendingResidents } from '../../store/screensSupport.js';
import { findResidents, indexResidents } from './findResidents.js';
import { sharedWords } from './words.js';

/**
 * The residents a search looks through, loaded once and kept live, searched in memory with
 * `core/`'s `searchResidents` at each keystroke. The replica's are read again only when a sync
 * changes residents (not at every commit: a centre has thousands); this kiosk's pending
 * registrations and card replacements are laid over them.
 */
export function useSearchableResidents(db: LinliDb): Resident[] {
  const replica = useLiveQuery(() => db.residents.toArray(), [db], [] as Resident[]);
  const pending = useLiveQuery(() => pendingResidents(db), [db], [] as Resident[]);
  return useMemo(() => {
    if (pending.length === 0) return replica;
    const byId = new Map(replica.map((r) => [r.id, r]));
    for (const r of pending) byId.set(r.id, r);
    return [...byId.values()];
  }, [replica, pending]);
}

/** Where a resident lives, as staff say it: 3栋2单元501. */
export const addressOf = (r: Pick<Resident, 'building' | 'room'>) => `${r.building ?? ''}${r.room ?? ''}`;

/**
 * Finding a resident who forgot the card: by name, pinyin initials (zsm), the phone's last four
 * digits, or building and room, with `core/`'s search (see `findResidents`). Each result shows the full name, the phone's tail and the address,
 * so staff confirm who stands there before they pick.
 */
export function ResidentSearch({ residents, onPick, exclude = [] }: { residents: readonly Resident[]; onPick(r: Resident): void; exclude?: readonly string[] }) {
  const w = useLocalWords(sharedWords);
  const [query, setQuery] = useState('');
  const index = useMemo(() => indexResidents(residents), [residents]);
  const found = useMemo(() => findResidents(query, index, 8).filter((r) => !exclude.includes(r.id)), [query, index, exclude]);
  return (
    <div className="resident-search">
      <label>{w.searchLabel}
        <input name="residentSearch" value={query} placeholder={w.searchPlaceholder} autoComplete="off" onChange={(e) => setQuery(e.target.value)} />
      </label>
      {query.trim() !== '' && (
        <ul className="search-results" data-testid="search-results">
          {found.length === 0 ? <li className="hint">{w.noMatch}</li> : found.map((r) => (
            <li key={r.id}>
              <button type="button" className="secondary" data-resident-id={r.id} onClick={() => { setQuery(''); onPick(r); }}>
                <b>{r.name}</b>
                {r.phoneTail && <span>{w.phoneTail(r.phoneTail)}</span>}
                <span>{addressOf(r)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
