/** What the caller knows about the exported version; the snapshot itself carries the content. */
export interface ExportMeta {
  /** Free text naming the version, e.g. "Slutlig version 3", "Arbetsversion", a named version's label. */
  versionLabel: string;
  /** The version number N for "version N" in the footer (final versions), null for drafts without a number. */
  versionNumber: number | null;
  /** SHA-256 (64 hex digits) over the canonical serialisation of the snapshot. */
  hash: string;
  /** 'draft' carries an UTKAST watermark on every page; 'signing' is the signing-ready document. */
  mode: 'draft' | 'signing';
  /** Date of the version (ISO YYYY-MM-DD). */
  date: string;
  /** The kommun's registration number, printed on the cover when known (a blank field otherwise). */
  diarienummer?: string | null;
  /** Parties (ids) an operator has not verified: marked "ej verifierad" where the parties are listed. */
  unverifiedPartyIds?: readonly string[];
  /** Open suggestions in a draft: 'marked' (default, as Word shows them) or 'clean' (the standing text). Signing: always clean. */
  suggestions?: 'marked' | 'clean';
  /** The authors of suggestions (members by user id: name and party), for colours and the legend. */
  suggestionAuthors?: Readonly<Record<string, { name: string; partyId: string | null }>>;
  /** For an amendment or renewal (issue 17): the signed final version it amends, named on the cover. */
  amends?: { title: string; versionLabel: string; versionNumber: number; hash: string } | null;
}

/** "IOP om läxhjälp, Slutlig version 1 (version 1), SHA-256 <hash>": what an amendment amends. */
export function amendsText(meta: ExportMeta): string | null {
  const a = meta.amends;
  return a ? `${a.title}, ${a.versionLabel} (version ${a.versionNumber}), SHA-256 ${a.hash}` : null;
}

/** " · ej verifierad" after a party's kind and number when an operator has not verified it. */
export function partyVerificationSuffix(meta: ExportMeta, partyId: string): string {
  return meta.unverifiedPartyIds?.includes(partyId) ? ' · ej verifierad' : '';
}

export function versionText(meta: ExportMeta): string {
  return meta.versionNumber != null ? `version ${meta.versionNumber}` : meta.versionLabel;
}

export function shortHash(meta: ExportMeta): string {
  return meta.hash.slice(0, 12);
}

/** The footer line without the page part: "version N · SHA-256 abcdef012345". */
export function footerPrefix(meta: ExportMeta): string {
  return `${versionText(meta)} · SHA-256 ${shortHash(meta)}`;
}
