/** The comments feature's editor-side code (ProseMirror plugin, anchors): loaded with the editor chunk. */
export { commentHighlightExtension } from './highlight.ts';
export { encodeAnchor } from './anchors.ts';
