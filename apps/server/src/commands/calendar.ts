/**
 * Calendar subscriptions (issue 17): a private, revocable iCal URL per user, for one agreement or all
 * of the user's signed agreements. The token is shown once (in the URL) and stored as its SHA-256;
 * revoking keeps the row and makes the URL answer 404. Feeds are the user's own (like sessions): no
 * agreement audit row, but subscribing to one agreement needs its membership (`agreement.read`).
 */
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, calendarFeeds, users } from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';
import { authorizeOn } from '../policies/subject.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface CalendarFeed {
  id: string;
  agreementId: string | null;
  createdAt: string;
}

const feedNotFound = () => new DomainError('not-found', 'not-found', 'No calendar subscription with this id is yours, or it was already revoked.');

export async function listCalendarFeeds(db: DbOrTx, userId: string): Promise<CalendarFeed[]> {
  const rows = await db
    .select({ id: calendarFeeds.id, agreementId: calendarFeeds.agreementId, createdAt: calendarFeeds.createdAt })
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.userId, userId), isNull(calendarFeeds.revokedAt)))
    .orderBy(asc(calendarFeeds.createdAt));
  return rows.map((r) => ({ id: r.id, agreementId: r.agreementId, createdAt: r.createdAt.toISOString() }));
}

/** Live subscriptions one user may hold: each is a row and a line in the list, and a URL that grants reading. */
export const MAX_CALENDAR_FEEDS = 50;

/** A new subscription; returns the feed and its token (put in the URL once, never stored). */
export async function createCalendarFeed(deps: Pick<CommandDeps, 'db'>, user: CommandUser, agreementId: string | null): Promise<CalendarFeed & { token: string }> {
  if (agreementId) await authorizeOn(deps.db, agreementId, user.id, 'agreement.read');
  const token = newToken();
  const row = await deps.db.transaction(async (tx) => {
    // Serialises one user's creations, so two at once cannot both pass the count.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
    const [live] = await tx
      .select({ n: count() })
      .from(calendarFeeds)
      .where(and(eq(calendarFeeds.userId, user.id), isNull(calendarFeeds.revokedAt)));
    if ((live?.n ?? 0) >= MAX_CALENDAR_FEEDS) {
      throw new DomainError('conflict', 'too-many-calendar-feeds', `You have ${MAX_CALENDAR_FEEDS} calendar subscriptions: revoke one you no longer use, then create a new one.`, {
        messages: {
          sv: `Du har redan ${MAX_CALENDAR_FEEDS} kalenderprenumerationer. Återkalla en som du inte längre använder och skapa sedan en ny.`,
          en: `You already have ${MAX_CALENDAR_FEEDS} calendar subscriptions. Revoke one you no longer use, then create a new one.`,
        },
      });
    }
    const [created] = await tx
      .insert(calendarFeeds)
      .values({ tokenHash: hashToken(token), userId: user.id, agreementId })
      .returning({ id: calendarFeeds.id, createdAt: calendarFeeds.createdAt });
    return created!;
  });
  return { id: row.id, agreementId, createdAt: row.createdAt.toISOString(), token };
}

export async function revokeCalendarFeed(deps: Pick<CommandDeps, 'db'>, user: CommandUser, feedId: string): Promise<void> {
  const rows = await deps.db
    .update(calendarFeeds)
    .set({ revokedAt: new Date() })
    .where(and(eq(calendarFeeds.id, feedId), eq(calendarFeeds.userId, user.id), isNull(calendarFeeds.revokedAt)))
    .returning({ id: calendarFeeds.id });
  if (rows.length === 0) throw feedNotFound();
}

/**
 * The live feed behind a token: its owner and scope, or null when unknown or revoked. A feed of one
 * agreement also ends when its owner is no longer a member of it.
 */
export async function resolveCalendarFeed(db: DbOrTx, token: string): Promise<{ userId: string; agreementId: string | null } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select({ userId: calendarFeeds.userId, agreementId: calendarFeeds.agreementId })
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tokenHash, hashToken(token)), isNull(calendarFeeds.revokedAt)));
  if (!row) return null;
  if (row.agreementId) {
    const [m] = await db
      .select({ userId: agreementMembers.userId })
      .from(agreementMembers)
      .where(and(eq(agreementMembers.agreementId, row.agreementId), eq(agreementMembers.userId, row.userId)));
    if (!m) return null;
  }
  return row;
}
