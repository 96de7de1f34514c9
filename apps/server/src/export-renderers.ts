/**
 * The export package pulls in pdfkit, docx, mammoth and the embedded fonts, which take seconds to load.
 * Load it on the first export or import instead of at start-up, so the server is healthy sooner.
 */
type ExportModule = typeof import('@overens/export');

let loading: Promise<ExportModule> | undefined;

export function loadExportRenderers(): Promise<ExportModule> {
  loading ??= import('@overens/export');
  return loading;
}
