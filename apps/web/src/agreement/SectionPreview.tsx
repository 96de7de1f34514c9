/**
 * A section's text while the editor chunk loads: one paragraph per block of the Y.XmlFragment, read
 * only, so the page shows the agreement before Tiptap is ready.
 */
import * as Y from 'yjs';

function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return node.toString().replace(/<[^>]*>/g, '');
  if (node instanceof Y.XmlElement) return node.toArray().map((c) => textOf(c as Y.XmlElement | Y.XmlText)).join(node.nodeName === 'tableRow' ? ' · ' : '');
  return '';
}

export function SectionPreview({ fragment }: { fragment: Y.XmlFragment }) {
  const blocks = fragment
    .toArray()
    .map((n) => textOf(n as Y.XmlElement | Y.XmlText))
    .filter((t) => t.trim() !== '');
  return (
    <div className="section-editor section-editor--preview" aria-busy="true">
      {blocks.map((t, i) => (
        <p key={i}>{t}</p>
      ))}
    </div>
  );
}
