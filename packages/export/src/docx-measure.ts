import { parsedFonts } from './fonts.ts';

/**
 * Text width in points for sizing DOCX table columns. Word renders Calibri, which the server does not
 * have; DejaVu Sans is a little wider than Calibri, so a column sized with it is wide enough in Word and
 * in LibreOffice, which substitutes DejaVu Sans for Calibri where Calibri is not installed.
 */
const cache = new Map<string, number>();

export function docxMeasure(bold: boolean, size: number): (text: string) => number {
  const font = parsedFonts().get(bold ? 'Sans-Bold' : 'Sans')!;
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
