// fontkit ships no type declarations; we hand parsed fonts to pdfkit and measure text for DOCX tables.
declare module 'fontkit' {
  export function create(
    buffer: Uint8Array,
    postscriptName?: string,
  ): { unitsPerEm: number; layout: (text: string) => { advanceWidth: number } };
}
