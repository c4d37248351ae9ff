// errors.js: KpiError, the error every part of the widgets raises and shows: a stable
// code, its message in kk, ru, en and ky (from messages.js), and the technical detail.

import { MESSAGES } from './messages.js';

/** An error with a stable code and a message in kk, ru, en and ky. */
export class KpiError extends Error {
  constructor(code, messages, detail, cause) {
    super(`${messages?.en ?? code}${detail ? ` (${detail})` : ''}`, cause ? { cause } : undefined);
    this.name = 'KpiError';
    this.code = code;
    this.messages = messages ?? MESSAGES.internal;
    this.detail = detail ?? '';
  }

  /** The message in `lang`. */
  localized(lang) {
    return this.messages[lang] ?? this.messages.en ?? this.message;
  }

  static from(e) {
    if (e instanceof KpiError) return e;
    if (e && e.name === 'KpiError' && e.messages) return new KpiError(e.code, e.messages, e.detail);
    return new KpiError('internal', MESSAGES.internal, String(e?.message ?? e), e);
  }
}

/** A KpiError of `code` with the message of that code (the internal one when unknown). */
export const jsError = (code, detail, cause) => new KpiError(code, MESSAGES[code] ?? MESSAGES.internal, detail, cause);
