/**
 * Seeds users with known session tokens, an organisation and agreements with members and an
 * initial Yjs state — straight into the database through the server's own schema and
 * storeInitialState (idempotent: child server processes run it at every start).
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { Db } from '../../../apps/server/src/db/client.ts';
import { agreementMembers, agreementParties, agreements, organisations, sessions, users } from '../../../apps/server/src/db/schema/index.ts';
import { documentSnapshots } from '../../../apps/server/src/db/schema/documents.ts';
import { storeInitialState } from '../../../apps/server/src/sync/persistence.ts';
import { eq } from 'drizzle-orm';

export type Role = 'editor' | 'commenter' | 'viewer';

export interface SeedSpec {
  /** Stable name; ids and tokens derive from it so re-seeding is a no-op. */
  name: string;
  agreements: number;
  /** Members per agreement (same users on every agreement), plus implicit outsider `outsider`. */
  members: Record<string, Role>;
  /** Text put in Y.Text('text') of the initial state. */
  initialText?: string;
}

export interface SeededUser {
  id: string;
  name: string;
  token: string;
}
export interface Seeded {
  agreementIds: string[];
  users: Record<string, SeededUser>;
  outsider: SeededUser;
}

function uuidFrom(s: string): string {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
function tokenFrom(s: string): string {
  return createHash('sha256').update('token:' + s).digest('base64url');
}

export function describeSeed(spec: SeedSpec): Seeded {
  const user = (key: string): SeededUser => ({ id: uuidFrom(`${spec.name}:user:${key}`), name: key, token: tokenFrom(`${spec.name}:${key}`) });
  const out: Seeded = { agreementIds: [], users: {}, outsider: user('outsider') };
  for (const key of Object.keys(spec.members)) out.users[key] = user(key);
  for (let i = 0; i < spec.agreements; i++) out.agreementIds.push(uuidFrom(`${spec.name}:agreement:${i}`));
  return out;
}

export function initialState(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('text').insert(0, text);
  const u = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return u;
}

/** One organisation per number: every seed gets its own (derived from its name, so a re-seed finds the same). */
function seedOrgNumber(name: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 12)}`).toString().padStart(10, '0').slice(-10);
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}

export async function seed(db: Db, spec: SeedSpec): Promise<Seeded> {
  const s = describeSeed(spec);
  const orgId = uuidFrom(`${spec.name}:org`);
  const all = [...Object.values(s.users), s.outsider];
  const expiresAt = new Date(Date.now() + 7 * 24 * 3600_000);
  await db.transaction(async (tx) => {
    for (const u of all) {
      await tx.insert(users).values({ id: u.id, email: `${u.name}.${spec.name}@example.test`.toLowerCase(), name: u.name, passwordHash: 'x' }).onConflictDoNothing();
      await tx
        .insert(sessions)
        .values({ id: createHash('sha256').update(u.token).digest('hex'), userId: u.id, expiresAt })
        .onConflictDoNothing();
    }
    await tx.insert(organisations).values({ id: orgId, name: `Org ${spec.name}`, kind: 'ideburen', orgNumber: seedOrgNumber(spec.name) }).onConflictDoNothing();
    for (const agreementId of s.agreementIds) {
      await tx
        .insert(agreements)
        .values({ id: agreementId, title: `Agreement ${spec.name}`, templateId: 'standard', templateVersion: 1 })
        .onConflictDoNothing();
      await tx.insert(agreementParties).values({ agreementId, organisationId: orgId, position: 0 }).onConflictDoNothing();
      for (const [key, role] of Object.entries(spec.members)) {
        await tx.insert(agreementMembers).values({ agreementId, userId: s.users[key]!.id, partyId: orgId, role }).onConflictDoNothing();
      }
      const [snap] = await tx.select({ id: documentSnapshots.agreementId }).from(documentSnapshots).where(eq(documentSnapshots.agreementId, agreementId));
      if (!snap) await storeInitialState(tx, agreementId, initialState(spec.initialText ?? ''));
    }
  });
  return s;
}

export async function setRole(db: Db, agreementId: string, userId: string, role: Role | null): Promise<void> {
  if (role === null) {
    const { and } = await import('drizzle-orm');
    await db.delete(agreementMembers).where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.userId, userId)));
    return;
  }
  const { and } = await import('drizzle-orm');
  await db.update(agreementMembers).set({ role }).where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.userId, userId)));
}
