export type FinalVersionKind = 'original' | 'amendment' | 'renewal';

/**
 * What a final version is called: the signed original is "Slutlig version N"; a signed revision is
 * named by its kind and its number among revisions of that kind ("Tillägg 1", "Förlängning 2").
 */
export function finalVersionLabel(v: { kind: FinalVersionKind; number: number; revisionNumber: number | null }, locale: 'sv' | 'en' = 'sv'): string {
  if (v.kind === 'amendment') return `${locale === 'sv' ? 'Tillägg' : 'Amendment'} ${v.revisionNumber ?? 1}`;
  if (v.kind === 'renewal') return `${locale === 'sv' ? 'Förlängning' : 'Renewal'} ${v.revisionNumber ?? 1}`;
  return `${locale === 'sv' ? 'Slutlig version' : 'Final version'} ${v.number}`;
}
