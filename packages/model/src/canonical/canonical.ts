import type { AgreementSnapshot, RichMark, RichNode } from '../types.ts';
import { CHECKLIST_KEYS } from '../doc/checklist.ts';

/**
 * Canonical serialisation of an agreement for the approval hash (the server hashes the string with SHA-256).
 *
 * Included: the title, sections in order (template key, title, body text with marks and node attrs,
 * tables inside bodies), parties (id, name, kind, organisation number, municipality code, contacts,
 * signatories), the goal table incl. acceptance, the contributions table, the period, the checklist and
 * the attachments. Excluded, because they change without changing what is signed: row/section/contact ids,
 * section status marks (ready for review, agreed, reset), guidance and required flags, template id/version,
 * signatories' user links. Strings are NFC-normalised; objects have sorted keys; adjacent text runs with
 * equal marks are merged and marks are sorted, so different but equivalent Yjs histories hash alike.
 */
export const CANONICAL_FORMAT_VERSION = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const nfc = (s: string): string => s.normalize('NFC');

function canonicalAttrs(attrs: Record<string, unknown> | undefined): Record<string, Json> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    out[k] = toJson(v);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return nfc(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return String(v);
}

function canonicalMarks(marks: RichMark[] | undefined): Json[] {
  const list = (marks ?? []).map((m): Json => {
    const attrs = canonicalAttrs(m.attrs);
    return attrs ? { type: m.type, attrs } : { type: m.type };
  });
  const keyed = list.map((m) => [stableStringify(m), m] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, m]) => m);
}

function canonicalNode(node: RichNode): Json {
  if (node.type === 'text') {
    const marks = canonicalMarks(node.marks);
    return marks.length > 0 ? { text: nfc(node.text ?? ''), marks } : { text: nfc(node.text ?? '') };
  }
  const out: Record<string, Json> = { type: node.type };
  const attrs = canonicalAttrs(node.attrs);
  if (attrs) out.attrs = attrs;
  const content: Json[] = [];
  let lastText: { text: string; marks?: Json[] } | null = null;
  let lastMarksKey = '';
  for (const child of node.content ?? []) {
    if (child.type === 'text') {
      if (!child.text) continue;
      const c = canonicalNode(child) as { text: string; marks?: Json[] };
      const marksKey = stableStringify(c.marks ?? []);
      if (lastText && marksKey === lastMarksKey) {
        lastText.text += c.text;
        continue;
      }
      lastText = c;
      lastMarksKey = marksKey;
      content.push(c as Json);
    } else {
      lastText = null;
      content.push(canonicalNode(child));
    }
  }
  if (content.length > 0) out.content = content;
  return out;
}

/** The canonical object (before stringification). */
export function canonicalAgreement(snapshot: AgreementSnapshot): Json {
  return {
    format: CANONICAL_FORMAT_VERSION,
    title: nfc(snapshot.title),
    sections: snapshot.sections.map((s) => ({
      key: s.key,
      title: nfc(s.title),
      body: canonicalNode(s.body),
    })),
    parties: snapshot.parties.map((p) => ({
      id: p.id,
      name: nfc(p.name),
      kind: p.kind,
      orgNumber: nfc(p.orgNumber),
      municipalityCode: p.municipalityCode,
      contacts: p.contacts.map((c) => ({ name: nfc(c.name), title: nfc(c.title), email: nfc(c.email), phone: nfc(c.phone) })),
      signatories: p.signatories.map((s) => ({ name: nfc(s.name), title: nfc(s.title) })),
    })),
    goals: snapshot.goals.map((g) => ({
      goal: nfc(g.goal),
      indicator: nfc(g.indicator),
      baselineValue: nfc(g.baselineValue),
      baselineDate: g.baselineDate,
      baselineSource: nfc(g.baselineSource),
      targetValue: nfc(g.targetValue),
      deadline: g.deadline,
      followUpMethod: g.followUpMethod,
      responsiblePartyId: g.responsiblePartyId,
      followUpDates: [...g.followUpDates],
      acceptedBy: Object.keys(g.acceptedBy)
        .filter((k) => g.acceptedBy[k] === true)
        .sort(),
    })),
    contributions: snapshot.contributions.map((c) => ({
      partyId: c.partyId,
      kind: c.kind,
      description: nfc(c.description),
      quantity: c.quantity,
      unit: nfc(c.unit),
      valueSek: c.valueSek,
      periodStart: c.periodStart,
      periodEnd: c.periodEnd,
    })),
    period: {
      start: snapshot.period.start,
      end: snapshot.period.end,
      noticeMonths: snapshot.period.noticeMonths,
      renegotiationBy: snapshot.period.renegotiationBy,
    },
    checklist: Object.fromEntries(
      CHECKLIST_KEYS.map((k) => {
        const item = snapshot.checklist[k];
        return [k, { answer: item?.answer ?? null, justification: nfc(item?.justification ?? '') }];
      }),
    ),
    attachments: snapshot.attachments.map((a) => ({ title: nfc(a.title), description: nfc(a.description) })),
  };
}

/** JSON with object keys sorted at every level; no whitespace. */
export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(stableStringify).join(',') + ']';
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify(obj[k])).join(',') + '}';
  }
  return JSON.stringify(String(value));
}

/** The string the approval hash is computed over (SHA-256 on the server). */
export function canonicalSerialize(snapshot: AgreementSnapshot): string {
  return stableStringify(canonicalAgreement(snapshot));
}
