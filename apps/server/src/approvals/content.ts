/** The live document as approvals see it: snapshot, canonical hash, validation findings. */
import * as Y from 'yjs';
import { snapshotAgreement, validateAgreement, type AgreementSnapshot, type Finding, type Template } from '@overens/model';
import { getAgreementRow } from '../agreements/membership.ts';
import type { Db } from '../db/client.ts';
import { agreementNotFound, ApiError } from '../http/problem.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import { loadTemplate } from '../templates/service.ts';
import { contentHash } from './hash.ts';

export interface CurrentContent {
  snapshot: AgreementSnapshot;
  template: Template;
  canonical: string;
  hash: string;
  /** Full Yjs state of exactly what was hashed (stored as the final version when locking). */
  state: Uint8Array;
  findings: Finding[];
}

/** The live document as a snapshot, its hash and its validation. */
export async function currentContent(deps: { db: Db; sync: SyncHub }, agreementId: string): Promise<CurrentContent> {
  const agreement = await getAgreementRow(deps.db, agreementId);
  if (!agreement) throw agreementNotFound();
  const resolved = await loadTemplate(deps.db, agreement.templateId, agreement.templateVersion);
  if (!resolved) throw new Error(`template ${agreement.templateId} v${agreement.templateVersion} of agreement ${agreementId} is missing`);
  const doc = await deps.sync.getDocumentState(agreementId);
  try {
    return contentOf(doc, agreement.title, resolved.template);
  } finally {
    doc.destroy();
  }
}

export function contentOf(doc: Y.Doc, title: string, template: Template): CurrentContent {
  const snapshot = snapshotAgreement(doc, { title });
  const { canonical, hash } = contentHash(snapshot);
  const findings = validateAgreement(snapshot, template).findings;
  return { snapshot, template, canonical, hash, state: Y.encodeStateAsUpdate(doc), findings };
}

export function blockingErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** 422 problem+json listing every validation error (Swedish message, rule id as the field). */
export function validationRefusal(action: string, errors: readonly Finding[]): ApiError {
  return new ApiError(
    422,
    'validation-errors',
    'The agreement has validation errors',
    `${action} is not possible while the agreement has ${errors.length} validation error(s); fix them first: ${errors
      .slice(0, 5)
      .map((f) => f.message.en)
      .join(' ')}`,
    errors.map((f) => ({ field: f.ruleId, message: f.message.sv })),
    undefined,
    { findings: errors },
  );
}

