import type * as Y from 'yjs';
import type { PeriodSnapshot } from '../types.ts';
import { periodMap, readNullableString, readNumber, transact, writeField } from './layout.ts';

/** The `period` root map: start, end (ISO dates), noticeMonths (number), renegotiationBy (ISO date). */
export function getPeriod(doc: Y.Doc): PeriodSnapshot {
  const m = periodMap(doc);
  return {
    start: readNullableString(m, 'start'),
    end: readNullableString(m, 'end'),
    noticeMonths: readNumber(m, 'noticeMonths'),
    renegotiationBy: readNullableString(m, 'renegotiationBy'),
  };
}

export function setPeriod(doc: Y.Doc, patch: Partial<PeriodSnapshot>): void {
  transact(doc, () => {
    const m = periodMap(doc);
    for (const key of ['start', 'end', 'renegotiationBy'] as const) if (key in patch) writeField(m, key, patch[key] || null);
    if ('noticeMonths' in patch) {
      const v = patch.noticeMonths;
      writeField(m, 'noticeMonths', typeof v === 'number' && Number.isFinite(v) ? v : null);
    }
  });
}
