import { useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Resident } from '../../../../core/index.js';
// Not in core's index (yet): the search is only the counter's.
import { searchResidents } from '../../../../core/residents/search.js';
import { useLocalWords } from '../../i18n.js';
import type { LinliDb } from '../../store/db.js';
import { searchableResidents } from '../../store/screensSupport.js';
import { sharedWords } from './words.js';

/**
 * The residents a search looks through, loaded once and kept live (a sync or a registration
 * offline updates them); every keystroke searches them in memory with `core/`'s `searchResidents`.
 */
export function useSearchableResidents(db: LinliDb): Resident[] {
  return useLiveQuery(() => searchableResidents(db), [db], [] as Resident[]);
}

/** Where a resident lives, as staff say it: 3栋2单元501. */
export const addressOf = (r: Pick<Resident, 'building' | 'room'>) => `${r.building ?? ''}${r.room ?? ''}`;

/**
 * Finding a resident who forgot the card: by name, pinyin initials (zsm), the phone's last four
 * digits, or building and room. Each result shows the full name, the phone's tail and the address,
 * so staff confirm who stands there before they pick.
 */
export function ResidentSearch({ residents, onPick, exclude = [] }: { residents: readonly Resident[]; onPick(r: Resident): void; exclude?: readonly string[] }) {
  const w = useLocalWords(sharedWords);
  const [query, setQuery] = useState('');
  const found = useMemo(() => (query.trim() === '' ? [] : searchResidents(query, residents, 8).filter((r) => !exclude.includes(r.id))), [query, residents, exclude]);
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
