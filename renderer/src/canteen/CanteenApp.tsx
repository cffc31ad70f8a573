import { useState } from 'react';
import { PRINT_DOC_CSS, type LinliBridge, type Paper } from '../../../core/index.js';
import type { WedgeConfig } from '../scan/burst.js';
import type { Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { Bookings } from './Bookings.js';
import { Delivery } from './Delivery.js';
import { MenuPlaces } from './MenuPlaces.js';
import { Till } from './Till.js';
import { useCanteenWords } from './words.js';
import './canteen.css';

type Props = { db: LinliDb; clock: Clock; paper: Paper; printer: LinliBridge | null; scanner: WedgeConfig; staffId: string; afterCommit(): void };
type Tab = 'till' | 'bookings' | 'delivery' | 'menu';

/**
 * A canteen device's screens once staff signed in: the till (sell, call), bookings, home delivery,
 * and the week's menu with the sittings' places. A device opened as `#display` shows the calling
 * screen instead (see `CallingScreen`).
 */
export function CanteenApp(props: Props) {
  const { w } = useCanteenWords();
  const [tab, setTab] = useState<Tab>('till');
  return (
    <div className="canteen">
      {/* The ticket and the route list are shown as they print. */}
      <style>{PRINT_DOC_CSS}</style>
      <nav className="tabs" role="tablist">
        {(['till', 'bookings', 'delivery', 'menu'] as const).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>{w.tabs[t]}</button>
        ))}
      </nav>
      {tab === 'till' ? <Till {...props} />
        : tab === 'bookings' ? <Bookings {...props} />
        : tab === 'delivery' ? <Delivery {...props} />
        : <MenuPlaces {...props} />}
    </div>
  );
}

/** Whether this kiosk page was opened as the calling screen (`#display` in its address). */
export function isCallingDisplay(): boolean {
  return new URLSearchParams(location.hash.slice(1)).has('display');
}
