/**
 * Honest answers while the database is unreachable: a request still waiting on it after the bound
 * (OVERENS_DB_UNAVAILABLE_TIMEOUT_MS, default 3 s) gets 503 problem+json with Retry-After instead of
 * hanging; a driver error that says "cannot connect" becomes the same 503 (app.onError).
 * Live editing does not go through here: the sync engine keeps edits in memory meanwhile.
 */
import { sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/client.ts';
import type { AppEnv } from './openapi.ts';
import { ApiError, problemResponse } from './problem.ts';

export const RETRY_AFTER_SECONDS = 5;

export function databaseUnavailable(): ApiError {
  const en = 'The database cannot be reached right now, so this could not be read or saved. Try again in a few seconds; live editing goes on and is saved when the database is back.';
  const sv = 'Databasen går inte att nå just nu, så detta kunde inte läsas eller sparas. Försök igen om några sekunder; redigeringen fortsätter och sparas när databasen är tillbaka.';
  return new ApiError(503, 'database-unavailable', 'Database unavailable', en, undefined, { 'retry-after': String(RETRY_AFTER_SECONDS) }, {
    code: 'database-unavailable',
    messages: { sv, en },
  });
}

/** Resolves true when `select 1` answers within `ms`. */
export async function probeDatabase(db: Db, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      db.execute(sql`select 1`).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** A request still running at `boundMs - probeMs` asks the database; if it does not answer, 503 by `boundMs`. */
export function databaseDeadline(boundMs: number): MiddlewareHandler<AppEnv> {
  const probeMs = Math.min(1000, Math.max(50, Math.floor(boundMs / 3)));
  return async (c, next) => {
    let timer: NodeJS.Timeout | undefined;
    const handled = next().then(() => 'done' as const);
    const deadline = new Promise<'check'>((resolve) => {
      timer = setTimeout(() => resolve('check'), boundMs - probeMs);
    });
    try {
      if ((await Promise.race([handled, deadline])) === 'done') return;
      if (await Promise.race([handled.then(() => true), probeDatabase(c.get('deps').db, probeMs)])) {
        await handled; // the database answers: the request is just slow (an upload, an export)
        return;
      }
      handled.catch(() => undefined); // it finishes (or fails) later; nobody waits for it
      return problemResponse(databaseUnavailable());
    } finally {
      clearTimeout(timer);
    }
  };
}
