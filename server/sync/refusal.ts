import type { SyncErrorCode } from '../../core/index.js';

/** A request the sync API refuses whole: nothing it carried was written. */
export class SyncRefusal extends Error {
  constructor(
    readonly code: SyncErrorCode,
    readonly status: number,
    message: string,
    readonly lastSeq?: number,
  ) {
    super(message);
  }
}
