import { AgreementDoc, deriveSectionStatus, type SectionInfo, type SectionMarks, type SectionStatus } from '@overens/model';
import { useMemo } from 'react';
import { useAgreement, useDocVersion } from '../shell/agreement-context.tsx';

export interface SectionView extends SectionInfo {
  marks: SectionMarks;
  status: SectionStatus;
  number: number;
}

/** Sections in order with their marks and derived status; re-computed when the doc changes. */
export function useSections(): SectionView[] {
  const { doc, agreement } = useAgreement();
  const version = useDocVersion(doc);
  const partyIds = agreement.parties.map((p) => p.id).join(',');
  return useMemo(() => {
    const adoc = new AgreementDoc(doc);
    const ids = partyIds ? partyIds.split(',') : [];
    return adoc.sections().map((s, i) => {
      const marks = adoc.sectionMarks(s.id);
      return { ...s, marks, status: deriveSectionStatus(marks, ids), number: i + 1 };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, version, partyIds]);
}
