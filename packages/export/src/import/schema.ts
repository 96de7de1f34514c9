/**
 * What imported content may contain: the node and mark types the section editor knows (StarterKit without
 * code blocks, plus tables), and no key that could reach an object's prototype. The proposal only ever
 * produces these; the apply route checks what the client sends back, which can be anything.
 */
export const IMPORT_NODE_TYPES: ReadonlySet<string> = new Set([
  'doc',
  'paragraph',
  'text',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'hardBreak',
  'horizontalRule',
  'table',
  'tableRow',
  'tableCell',
  'tableHeader',
]);

export const IMPORT_MARK_TYPES: ReadonlySet<string> = new Set(['bold', 'italic', 'underline', 'strike', 'code', 'link']);

/** Keys that, used as an object key, reach or replace a prototype. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface ContentProblem {
  code: 'unsupported_content' | 'forbidden_key';
  field: string;
  messages: { sv: string; en: string };
}

const list = (s: ReadonlySet<string>) => [...s].join(', ');

function keyProblem(field: string, key: string): ContentProblem {
  return {
    code: 'forbidden_key',
    field,
    messages: {
      sv: `"${key}" kan inte användas som nyckel (${list(FORBIDDEN_KEYS)} är reserverade).`,
      en: `"${key}" cannot be used as a key (${list(FORBIDDEN_KEYS)} are reserved).`,
    },
  };
}

/** A section key the import may write: not a prototype key. */
export function sectionKeyProblem(key: string, field: string): ContentProblem | null {
  return FORBIDDEN_KEYS.has(key) ? keyProblem(field, key) : null;
}

function attrsProblem(attrs: unknown, field: string): ContentProblem | null {
  if (attrs === undefined || attrs === null || typeof attrs !== 'object') return null;
  for (const k of Object.keys(attrs)) if (FORBIDDEN_KEYS.has(k)) return keyProblem(`${field}.${k}`, k);
  return null;
}

/**
 * The first node or mark of an unknown type, or forbidden key in attrs, in a rich-text tree whose shape was
 * already checked (objects with a string `type`, `content` arrays); null when the tree is importable.
 */
export function contentProblem(node: unknown, field: string): ContentProblem | null {
  const stack: Array<{ n: Record<string, unknown>; field: string }> = [{ n: node as Record<string, unknown>, field }];
  while (stack.length) {
    const { n, field: f } = stack.pop()!;
    const type = n['type'] as string;
    if (!IMPORT_NODE_TYPES.has(type)) {
      return {
        code: 'unsupported_content',
        field: `${f}.type`,
        messages: {
          sv: `Innehållstypen "${type}" kan inte importeras. Tillåtna typer: ${list(IMPORT_NODE_TYPES)}.`,
          en: `The content type "${type}" cannot be imported. Allowed types: ${list(IMPORT_NODE_TYPES)}.`,
        },
      };
    }
    const bad = attrsProblem(n['attrs'], `${f}.attrs`);
    if (bad) return bad;
    const marks = n['marks'];
    if (Array.isArray(marks)) {
      for (const [i, m] of marks.entries()) {
        const mf = `${f}.marks[${i}]`;
        const mt = m && typeof m === 'object' ? (m as Record<string, unknown>)['type'] : undefined;
        if (typeof mt !== 'string' || !IMPORT_MARK_TYPES.has(mt)) {
          return {
            code: 'unsupported_content',
            field: `${mf}.type`,
            messages: {
              sv: `Formateringen "${String(mt)}" kan inte importeras. Tillåtna: ${list(IMPORT_MARK_TYPES)}.`,
              en: `The formatting "${String(mt)}" cannot be imported. Allowed: ${list(IMPORT_MARK_TYPES)}.`,
            },
          };
        }
        const badMark = attrsProblem((m as Record<string, unknown>)['attrs'], `${mf}.attrs`);
        if (badMark) return badMark;
      }
    }
    const content = n['content'];
    if (Array.isArray(content)) {
      for (let i = content.length - 1; i >= 0; i--) stack.push({ n: content[i] as Record<string, unknown>, field: `${f}.content[${i}]` });
    }
  }
  return null;
}
