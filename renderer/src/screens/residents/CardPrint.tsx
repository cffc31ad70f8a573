import { useLiveQuery } from 'dexie-react-hooks';
import { maskName, type LinliBridge, type Paper } from '../../../../core/index.js';
import { useWords } from '../../i18n.js';
import type { LinliDb } from '../../store/db.js';
import { layoutCardSlip, PrintOut } from '../shared/printing.js';

/**
 * A resident's new card, printed once the registration or replacement is committed (keyed by its
 * event): the masked name, never the full one, and the code as QR and Code 128.
 */
export function CardPrint({ db, printer, paper, eventId, name, cardCode }: { db: LinliDb; printer: LinliBridge | null; paper: Paper; eventId: string; name: string; cardCode: string }) {
  const { lang } = useWords();
  const centreName = useLiveQuery(() => db.device().then((d) => d?.centreName ?? ''), [db]);
  if (centreName === undefined) return null;
  const card = { centreName, residentName: maskName(name), cardCode };
  return <PrintOut printer={printer} jobId={eventId} label={cardCode} doc={layoutCardSlip(card, paper, lang)} preview={{ kind: 'residentCard', card }} />;
}
