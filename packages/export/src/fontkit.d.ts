// fontkit ships no type declarations; we only hand parsed fonts to pdfkit.
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): { layout: (...args: unknown[]) => unknown };
}
