/**
 * E-mail verification for user accounts: a single-use link (token in the link, SHA-256 in the table)
 * sent as the `email-verification` mail; opening it and confirming sets users.email_verified_at.
 * The link proves the address it was sent to: if the account's address changed since, it proves nothing.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { emailVerificationTokens, users } from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';
import { enqueueMail } from '../mail/index.ts';

export interface VerificationUser {
  id: string;
  name: string;
  email: string;
}

/** Sends a new link (the mail is queued in the same transaction as the token). Returns false when already verified. */
export async function sendEmailVerification(db: Db, user: VerificationUser, opts: { linkFor: (token: string) => string; ttlHours: number }): Promise<boolean> {
  const token = newToken();
  return db.transaction(async (tx) => {
    const [u] = await tx.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
    if (!u) throw new DomainError('not-found', 'not-found', 'No such account.');
    if (u.verifiedAt) return false;
    await tx.insert(emailVerificationTokens).values({
      id: hashToken(token),
      userId: user.id,
      email: u.email,
      expiresAt: new Date(Date.now() + opts.ttlHours * 3600_000),
    });
    await enqueueMail(tx, { kind: 'email-verification', to: u.email, name: user.name, link: opts.linkFor(token) });
    return true;
  });
}

const invalidLink = () =>
  new DomainError('gone', 'email-verification-invalid', 'This verification link is unknown, used or expired: sign in and send a new one from the organisations page.', {
    messages: {
      sv: 'Verifieringslänken är okänd, redan använd eller för gammal: logga in och skicka en ny från sidan Organisationer.',
      en: 'This verification link is unknown, used or expired: sign in and send a new one from the organisations page.',
    },
  });

/** Confirms a link: the account's address is verified from now on. */
export async function confirmEmailVerification(db: Db, token: string): Promise<{ userId: string; email: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(emailVerificationTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(emailVerificationTokens.id, hashToken(token)), isNull(emailVerificationTokens.usedAt), gt(emailVerificationTokens.expiresAt, new Date())))
      .returning({ userId: emailVerificationTokens.userId, email: emailVerificationTokens.email });
    if (!row) throw invalidLink();
    const [u] = await tx
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(and(eq(users.id, row.userId), eq(users.email, row.email)))
      .returning({ id: users.id });
    if (!u) throw invalidLink(); // the address changed since the link was sent
    return { userId: row.userId, email: row.email };
  });
}

export async function emailVerificationStatus(db: Db, userId: string): Promise<{ email: string; verifiedAt: Date | null } | null> {
  const [u] = await db.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return u ?? null;
}
