// Worker-thread entry (plain JavaScript, so it runs under vitest/tsx and compiled alike): reads the text
// of one PDF with pdfjs-dist's legacy build, off the server's event loop. Message in: { pdf, maxPages };
// answer: { ok: true, pages, text } | { ok: false, code: 'pdf-unreadable' | 'pdf-too-many-pages', detail }.
import { parentPort } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

parentPort.on('message', async ({ pdf, maxPages }) => {
  let doc;
  try {
    doc = await getDocument({ data: pdf, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  } catch (err) {
    parentPort.postMessage({ ok: false, code: 'pdf-unreadable', detail: String(err?.message ?? err).slice(0, 200) });
    return;
  }
  try {
    if (doc.numPages > maxPages) {
      parentPort.postMessage({ ok: false, code: 'pdf-too-many-pages', detail: `${doc.numPages} pages` });
      return;
    }
    const parts = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      parts.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
      page.cleanup();
    }
    parentPort.postMessage({ ok: true, pages: doc.numPages, text: parts.join('\n') });
  } catch (err) {
    parentPort.postMessage({ ok: false, code: 'pdf-unreadable', detail: String(err?.message ?? err).slice(0, 200) });
  } finally {
    await doc.destroy().catch(() => {});
  }
});
