import { createContext, useContext } from 'react';

/**
 * The admin app's calls to the server (same origin; the session is an HttpOnly cookie the page
 * never sees). A refusal carries the server's message, already in Chinese and English
 * ("中文 / English"): the app shows the half of the language chosen.
 */
export class AdminError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The language of the app. */
export type AdminLang = 'zh' | 'en';
export const LangContext = createContext<AdminLang>('zh');
/** Words in the chosen language: `t('中文', 'English')`. */
export function useT(): (zh: string, en: string) => string {
  const lang = useContext(LangContext);
  return (zh, en) => (lang === 'zh' ? zh : en);
}
/** A server message ("中文 / English") in one language. */
export function half(message: string, lang: AdminLang): string {
  const i = message.lastIndexOf(' / ');
  if (i < 0) return message;
  const [a, b] = [message.slice(0, i), message.slice(i + 3)];
  // Most messages are "zh / en"; a few are "en / zh".
  const aIsZh = /[\u4e00-\u9fff]/.test(a);
  return (lang === 'zh') === aIsZh ? a : b;
}

async function failure(res: Response): Promise<AdminError> {
  const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  return new AdminError(res.status, body.error ?? 'retry', body.message ?? `HTTP ${res.status}`);
}

/** A JSON call; throws `AdminError` with the server's message when refused. */
export async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method, credentials: 'same-origin',
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** Progress of long work as the server streams it. */
export type Progress = { phase: 'reading' | 'checking' | 'importing' | 'undoing' | 'uploading'; done: number; total: number };

/**
 * Long work (an upload of a sheet, an import of 10,000 rows, an undo): the server answers a line
 * of JSON per step and a last line with the result or the refusal.
 */
export async function streamed<T>(path: string, init: { body?: BodyInit; contentType?: string }, onProgress: (p: Progress) => void): Promise<T> {
  const res = await fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { accept: 'application/x-ndjson', ...(init.contentType ? { 'content-type': init.contentType } : {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  if (!res.ok || !res.body) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += value;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl)) as { progress?: Progress; result?: T; error?: string; message?: string; status?: number };
      buffered = buffered.slice(nl + 1);
      if (line.progress) onProgress(line.progress);
      else if (line.error) throw new AdminError(line.status ?? 409, line.error, line.message ?? line.error);
      else if ('result' in line) return line.result as T;
    }
    if (done) throw new AdminError(503, 'retry', '服务器没有完成，请再试一次 / the server did not finish; try again');
  }
}
