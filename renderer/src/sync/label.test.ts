import { describe, expect, it } from 'vitest';
import { syncLabel } from '../App.js';
import { wordsOf } from '../i18n.js';

describe('the header when sync stops', () => {
  it('says which of its records the server holds otherwise, so staff can tell the admin', () => {
    const state = { kind: 'stopped', reason: 'seqConflict', detail: 'seq 17 is held by another event on the server', seq: 17 } as const;
    const zh = syncLabel(wordsOf('zh'), { paired: true, state, pending: 3, download: null });
    expect(zh).toEqual({ text: expect.stringContaining('第 17 条记录与服务器保存的不同') as string, tone: 'stopped' });
    expect(syncLabel(wordsOf('en'), { paired: true, state, pending: 3, download: null }).text).toContain('record 17 differs');
  });
});
