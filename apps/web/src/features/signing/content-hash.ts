/**
 * The content hash of the open document, computed in the browser from the Y.Doc it already has:
 * SHA-256 over the model's canonical serialisation, exactly what the server binds approvals to
 * (apps/server/src/approvals/hash.ts). Recomputed a moment after edits settle, with no request.
 */
import { canonicalSerialize, snapshotAgreement } from '@overens/model';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';

export async function contentHashOf(doc: Y.Doc, title: string): Promise<string | null> {
  // SubtleCrypto exists only in secure contexts (https, localhost); elsewhere the server's hash is used.
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const canonical = canonicalSerialize(snapshotAgreement(doc, { title }));
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The live document's hash (null until computed, or where SubtleCrypto is missing). */
export function useContentHash(doc: Y.Doc, title: string, settleMs = 300): string | null {
  const [hash, setHash] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    const compute = () => {
      void contentHashOf(doc, title).then((h) => {
        if (!cancelled) setHash(h);
      });
    };
    const on = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(compute, settleMs);
    };
    compute();
    doc.on('update', on);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
      doc.off('update', on);
    };
  }, [doc, title, settleMs]);
  return hash;
}
