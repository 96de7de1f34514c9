/**
 * The signed copy comes back: after signing the locked final version outside the tool, an editor or
 * signatory uploads the signed PDF. It is checked (size, really a PDF), its text read in a worker
 * thread (pdfjs-dist, time and heap limits) and searched for the final version's hash text, then stored
 * with that final version in one transaction with its audit row (the file's own SHA-256) and an outbox
 * row that tells the other members (`signed-copy.uploaded`). A PDF without the hash text is kept too,
 * marked "not matched".
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { SignedCopyPayload } from '@overens/contracts';
import { recordAudit } from '../audit/service.ts';
import type { DbOrTx } from '../db/client.ts';
import { agreements, finalVersions, signedCopies } from '../db/schema/index.ts';
import { conflictError } from '../domain/errors.ts';
import { loadExportRenderers } from '../export-renderers.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { authorize } from '../policies/index.ts';
import { authorizeOn, loadSubject } from '../policies/subject.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface SignedCopyUpload {
  fileName: string;
  bytes: Uint8Array;
}

export interface SignedCopyLimits {
  maxBytes: number;
  timeoutMs: number;
  memoryMb: number;
}

type Row = typeof signedCopies.$inferSelect;

export function presentSignedCopy(row: Omit<Row, 'content'>, finalVersionNumber: number): SignedCopyPayload {
  return {
    id: row.id,
    finalVersionId: row.finalVersionId,
    finalVersionNumber,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    match: row.match,
    pages: row.pages,
    uploadedBy: { id: row.uploadedById ?? '', name: row.uploadedByName },
    uploadedAt: row.uploadedAt.toISOString(),
  };
}

/** A file name safe to store and to send back in Content-Disposition (no paths, no control characters). */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]+/g, '').trim().slice(0, 200);
  return cleaned.toLowerCase().endsWith('.pdf') ? cleaned : `${cleaned || 'undertecknad'}.pdf`;
}

async function currentFinalVersion(db: DbOrTx, agreementId: string) {
  const [fv] = await db
    .select({ id: finalVersions.id, number: finalVersions.number, hash: finalVersions.hash })
    .from(agreements)
    // agreements.final_version_id is the final version's row in agreement_versions (final_versions.version_id).
    .innerJoin(finalVersions, and(eq(finalVersions.agreementId, agreements.id), eq(finalVersions.versionId, agreements.finalVersionId), isNull(finalVersions.unlockedAt)))
    .where(and(eq(agreements.id, agreementId), eq(agreements.status, 'locked')));
  return fv ?? null;
}

export async function uploadSignedCopy(deps: CommandDeps, user: CommandUser, agreementId: string, file: SignedCopyUpload, limits: SignedCopyLimits) {
  // Authorize before reading the file (a non-member costs no worker); checked again in the transaction.
  await authorizeOn(deps.db, agreementId, user.id, 'signedCopy.upload');
  const { checkPdf, extractPdfText, textMatchesHash } = await loadExportRenderers();
  checkPdf(file.bytes, limits.maxBytes); // not a PDF, or too large: refused before anything else
  const fv = await currentFinalVersion(deps.db, agreementId);
  if (!fv) throw conflictError('file', 'the agreement has no locked final version; a signed copy belongs to one', 'agreement-not-locked');
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  // Size and signature are checked first; the text is read in a worker thread (never on the event loop).
  const { pages, text } = await extractPdfText(file.bytes, { maxBytes: limits.maxBytes, timeoutMs: limits.timeoutMs, memoryMb: limits.memoryMb });
  const match = textMatchesHash(text, fv.hash) ? 'matched' : 'not-matched';
  const { payload, outboxId } = await deps.db.transaction(async (tx) => {
    const { actor, agreement } = await loadSubject(tx, agreementId, user.id);
    authorize(actor, 'signedCopy.upload', agreement);
    const now = await currentFinalVersion(tx, agreementId);
    if (!now || now.id !== fv.id) throw conflictError('file', 'the final version changed while the file was read (it was unlocked); reload and upload again', 'final-version-changed');
    const [row] = await tx
      .insert(signedCopies)
      .values({
        agreementId,
        finalVersionId: fv.id,
        fileName: cleanFileName(file.fileName),
        sizeBytes: file.bytes.byteLength,
        sha256,
        match,
        pages,
        content: file.bytes,
        uploadedById: user.id,
        uploadedByName: user.name,
      })
      .returning();
    const payload = presentSignedCopy(row!, fv.number);
    await recordAudit(tx, {
      agreementId,
      type: 'signed-copy.uploaded',
      actor: { id: user.id, name: user.name },
      data: { signedCopyId: row!.id, finalVersionId: fv.id, finalVersionNumber: fv.number, versionHash: fv.hash, sha256, sizeBytes: payload.sizeBytes, fileName: payload.fileName, match, pages },
    });
    const outboxId = await writeOutbox(tx, { agreementId, type: 'signed-copy.uploaded', data: { signedCopy: payload } });
    return { payload, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return payload;
}

/** The signed copies of an agreement, newest first (without their bytes). */
export async function listSignedCopies(db: DbOrTx, agreementId: string): Promise<SignedCopyPayload[]> {
  const rows = await db
    .select({
      id: signedCopies.id,
      agreementId: signedCopies.agreementId,
      finalVersionId: signedCopies.finalVersionId,
      fileName: signedCopies.fileName,
      sizeBytes: signedCopies.sizeBytes,
      sha256: signedCopies.sha256,
      match: signedCopies.match,
      pages: signedCopies.pages,
      uploadedById: signedCopies.uploadedById,
      uploadedByName: signedCopies.uploadedByName,
      uploadedAt: signedCopies.uploadedAt,
      number: finalVersions.number,
    })
    .from(signedCopies)
    .innerJoin(finalVersions, eq(finalVersions.id, signedCopies.finalVersionId))
    .where(eq(signedCopies.agreementId, agreementId))
    .orderBy(desc(signedCopies.uploadedAt), desc(signedCopies.id));
  return rows.map((r) => presentSignedCopy(r, r.number));
}
