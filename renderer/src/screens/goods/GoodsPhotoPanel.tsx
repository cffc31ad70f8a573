import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Goods, Message } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { setGoodsPhoto } from '../../store/pointsStore.js';
import { viewOf } from '../../store/view.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { photoFromFile } from './photo.js';
import { goodsWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; staffId: string; goods: Goods; afterCommit(): void };

/**
 * The goods' photo (optional): taken with the counter's camera or picked from a file, drawn small
 * on the kiosk, shown before it is saved; taken away after a question.
 */
export function GoodsPhotoPanel({ db, clock, staffId, goods, afterCommit }: Props) {
  const w = useLocalWords(goodsWords);
  const { say } = useWords();
  // This goods' photo alone, as the screen shows it (a pending change included).
  const current = useLiveQuery(async () => (await viewOf(db, { goodsPhotos: [goods.id] })).row('goodsPhotos', goods.id)?.photo ?? null, [db, goods.id], null);
  const [fresh, setFresh] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ error: Message } | { done: string } | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  const pick = async (file: File | undefined) => {
    setOutcome(null);
    setFresh(null);
    if (!file) return;
    try {
      setFresh(await photoFromFile(file));
    } catch {
      setOutcome({ error: { key: 'photoUnreadable', params: {} } });
    }
  };
  const save = async (photo: string | null) => {
    setBusy(true);
    setAsking(false);
    try {
      const r = await setGoodsPhoto(db, clock, staffId, goods.id, photo);
      if (!r.ok) return setOutcome({ error: r.error });
      setFresh(null);
      setOutcome({ done: photo ? w.photoSaved : w.photoRemoved });
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="goods-photo" data-testid="goods-photo">
      <div className="photos">
        {current ? <img src={current} alt={goods.name} data-testid="current-photo" /> : <p className="hint">{w.photoNone}</p>}
        {fresh && <figure><img src={fresh} alt={w.newPhoto} data-testid="new-photo" /><figcaption>{w.newPhoto}</figcaption></figure>}
      </div>
      <div className="actions">
        <label className="file-button">{w.choosePhoto}
          <input type="file" name="goodsPhoto" accept="image/*" capture="environment" onChange={(e) => { void pick(e.target.files?.[0]); e.target.value = ''; }} />
        </label>
        {current && <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(true)}>{w.removePhoto}</button>}
        <button type="button" className="primary" disabled={busy || !fresh} onClick={() => void save(fresh)}>{w.savePhoto}</button>
      </div>
      {outcome && ('error' in outcome ? <p className="error" role="alert">{say(outcome.error)}</p> : <p className="notice" role="status">{outcome.done}</p>)}
      {asking && (
        <ConfirmDialog title={w.removeTitle} busy={busy} onCancel={() => setAsking(false)} onConfirm={() => void save(null)}>
          <p>{w.removeBody(goods.name)}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
