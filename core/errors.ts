import type { Message, MessageKey, MessageParams } from './i18n/messages.js';

/**
 * A rule refused a command on the kiosk. It names the rule that was broken and carries the
 * message for the screen; nothing was written.
 */
export type RuleError = { ok: false; error: Message };

/** What `decide` answers: the event payload to write, or the rule that refuses it. */
export type Decision<T> = { ok: true; value: T } | RuleError;

/** Builds a refusal with its message key and parameters. */
export function refuse<K extends MessageKey>(key: K, params: MessageParams[K]): RuleError {
  return { ok: false, error: { key, params } as Message };
}

/** Wraps an accepted value. */
export function accept<T>(value: T): Decision<T> {
  return { ok: true, value };
}
