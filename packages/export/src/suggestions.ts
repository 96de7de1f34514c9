/**
 * Open suggestions in exports (issue #16). A draft shows them as Word does (`marked`, the default for
 * drafts): inserted text underlined, deleted text struck through, both in the colour of the author's
 * party, with a legend naming who is who. `clean` prints the standing text (suggestions left out).
 * Signing-ready exports are always clean (suggestions cannot exist then: approval is blocked).
 *
 * Tables are printed with their standing text in both cases (their cells are laid out as plain text).
 */
import {
  baseView,
  hasOpenSuggestions,
  listSuggestions,
  parseSuggestionId,
  partyColour,
  UNKNOWN_PARTY_COLOUR,
  type AgreementSnapshot,
  type RichNode,
} from '@overens/model';
import type { ExportMeta } from './meta.ts';

export type SuggestionsMode = 'marked' | 'clean';

/** Who wrote suggestions: the agreement's members by user id (former members are simply missing). */
export type SuggestionAuthors = Readonly<Record<string, { name: string; partyId: string | null }>>;

export interface LegendEntry {
  partyName: string;
  colour: string;
  authors: string[];
}

export interface PreparedSuggestions {
  snapshot: AgreementSnapshot;
  /** Empty when nothing is marked (clean, signing, or no open suggestions). */
  legend: LegendEntry[];
  /** The colour of a suggestion (by its id), INK-like grey for an unknown author. */
  colourOf(suggestionId: string): string;
}

export const LEGEND_HEADING = 'Öppna förslag';
export const LEGEND_TEXT =
  'Texten innehåller förslag som ännu inte har godtagits eller avvisats. Understruken text är föreslagen att läggas till, genomstruken text är föreslagen att tas bort. Färgen visar vilken part förslaget kommer från:';
export const FORMER_MEMBER = 'tidigare medlem';

export function suggestionsModeOf(meta: ExportMeta): SuggestionsMode {
  return meta.mode === 'signing' ? 'clean' : (meta.suggestions ?? 'marked');
}

const ZWSP = /\u200B/g;

/** Tables keep their standing text; zero-width block anchors never reach the page. */
function forPrint(node: RichNode): RichNode {
  if (node.type === 'table') return baseView({ type: 'doc', content: [node] }).content?.[0] ?? node;
  if (node.type === 'text') return node.text?.includes('\u200B') ? { ...node, text: node.text.replace(ZWSP, '') } : node;
  if (!node.content) return node;
  return { ...node, content: node.content.map(forPrint).filter((c) => c.type !== 'text' || !!c.text) };
}

export function prepareSuggestions(snapshot: AgreementSnapshot, meta: ExportMeta): PreparedSuggestions {
  const none: PreparedSuggestions = { snapshot, legend: [], colourOf: () => UNKNOWN_PARTY_COLOUR };
  if (!snapshot.sections.some((s) => hasOpenSuggestions(s.body))) return none;
  if (suggestionsModeOf(meta) === 'clean') {
    return { ...none, snapshot: { ...snapshot, sections: snapshot.sections.map((s) => ({ ...s, body: baseView(s.body) })) } };
  }
  const authors = meta.suggestionAuthors ?? {};
  const partyIndex = new Map(snapshot.parties.map((p, i) => [p.id, i]));
  const colourOfUser = (userId: string | null): string => {
    const partyId = userId ? authors[userId]?.partyId : null;
    const i = partyId ? partyIndex.get(partyId) : undefined;
    return i === undefined ? UNKNOWN_PARTY_COLOUR : partyColour(i);
  };
  // Legend: per party (in the agreement's order), the people whose suggestions are in the text.
  const byParty = new Map<string, LegendEntry>();
  const order: string[] = [];
  for (const s of snapshot.sections) {
    for (const sug of listSuggestions(s.body)) {
      const a = sug.authorUserId ? authors[sug.authorUserId] : undefined;
      const partyId = a?.partyId && partyIndex.has(a.partyId) ? a.partyId : '';
      let entry = byParty.get(partyId);
      if (!entry) {
        const party = snapshot.parties.find((p) => p.id === partyId);
        entry = { partyName: party?.name || 'Okänd part', colour: colourOfUser(sug.authorUserId), authors: [] };
        byParty.set(partyId, entry);
        order.push(partyId);
      }
      const name = a?.name || FORMER_MEMBER;
      if (!entry.authors.includes(name)) entry.authors.push(name);
    }
  }
  order.sort((x, y) => (partyIndex.get(x) ?? Infinity) - (partyIndex.get(y) ?? Infinity));
  return {
    snapshot: { ...snapshot, sections: snapshot.sections.map((s) => ({ ...s, body: forPrint(s.body) })) },
    legend: order.map((id) => byParty.get(id)!),
    colourOf: (id) => colourOfUser(parseSuggestionId(id)?.userId ?? null),
  };
}

/** "Sjöviks kommun: Eva Öberg, Kalle Kommun" */
export function legendLine(e: LegendEntry): string {
  return `${e.partyName}: ${e.authors.join(', ')}`;
}
