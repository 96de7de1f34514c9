import { parsedFonts } from './fonts.ts';

/**
 * Text width in points for sizing DOCX table columns. Word renders Calibri, which the server does not
 * have; DejaVu Sans Condensed has close enough widths for deciding which column needs how much room.
 */
const cache = new Map<string, number>();

export function docxMeasure(bold: boolean, size: number): (text: string) => number {
  const font = parsedFonts().get(bold ? 'Cond-Bold' : 'Cond')!;
  const scale = size / font.unitsPerEm;
  return (text: string) => {
    const key = `${bold ? 'b' : 'r'}${size}:${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      w = font.layout(text).advanceWidth * scale;
      if (cache.size > 50_000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
}
