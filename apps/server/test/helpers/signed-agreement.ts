/**
 * Two parties on an agreement filled with the model's complete fixture, approved by both signatories
 * and locked as final version 1: a signed agreement to follow up (issue 17 tests).
 */
import { listGoals } from '@overens/model';
import type * as Y from 'yjs';
import { client, setUpTwoParties, type TwoParties } from './agreement-fixture.ts';
import { agreeAllSections, fillComplete } from './complete-agreement.ts';
import type { TestServer } from '../support/index.ts';

export interface SignedAgreement extends TwoParties {
  finalVersion: { id: string; number: number; hash: string; versionId: string };
  /** The fixture's goals: the first is the kommun's, the other two the NGO's. */
  goals: Array<{ id: string; responsiblePartyId: string | null; followUpDates: string[] }>;
}

/** `adjust` changes the document after the fixture is filled in and before it is approved. */
export async function setUpSignedAgreement(server: Pick<TestServer, 'url' | 'deps'>, adjust?: (doc: Y.Doc) => void): Promise<SignedAgreement> {
  const api = client(server.url);
  const p = await setUpTwoParties(server.url);
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  await api.expectOk('PATCH', path(`/members/${p.ngo.userId}`), p.ngo, { signatory: true });
  await api.expectOk('PATCH', path(`/members/${p.kommun.userId}`), p.kommun, { signatory: true });
  let goals: SignedAgreement['goals'] = [];
  await server.deps.sync.withDocument(p.agreementId, (doc) => {
    fillComplete(doc, p.ngoOrgId, p.kommunOrgId);
    adjust?.(doc);
    agreeAllSections(doc, [
      { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
      { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
    ]);
    goals = listGoals(doc).map((g) => ({ id: g.id, responsiblePartyId: g.responsiblePartyId, followUpDates: g.followUpDates }));
  });
  const { currentHash } = await api.expectOk<{ currentHash: string }>('GET', path('/approvals'), p.ngo);
  await api.expectOk('POST', path('/approvals'), p.ngo, { hash: currentHash });
  const locked = await api.expectOk<{ lockedAs: { id: string; number: number; hash: string; versionId: string } | null }>('POST', path('/approvals'), p.kommun, { hash: currentHash });
  if (!locked.lockedAs) throw new Error('the agreement did not lock');
  return { ...p, finalVersion: locked.lockedAs, goals };
}
