import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/** DejaVu fonts (full Unicode coverage for å ä ö é – …), embedded (subset) in every PDF. */
const FILES = {
  Serif: 'DejaVuSerif.ttf',
  'Serif-Bold': 'DejaVuSerif-Bold.ttf',
  'Serif-Italic': 'DejaVuSerif-Italic.ttf',
  'Serif-BoldItalic': 'DejaVuSerif-BoldItalic.ttf',
  Sans: 'DejaVuSans.ttf',
  'Sans-Bold': 'DejaVuSans-Bold.ttf',
  Cond: 'DejaVuSansCondensed.ttf',
  'Cond-Bold': 'DejaVuSansCondensed-Bold.ttf',
  'Cond-Italic': 'DejaVuSansCondensed-Oblique.ttf',
  Mono: 'DejaVuSansMono.ttf',
} as const;

export type FontName = keyof typeof FILES;

let cache: Map<FontName, Buffer> | null = null;
let parsed: Map<FontName, ReturnType<typeof fontkit.create>> | null = null;

/**
 * The fonts parsed once per process (pdfkit accepts a fontkit font in place of a file): parsing the
 * TrueType tables is most of the cost of a short export. Each document still embeds its own subset.
 */
export function parsedFonts(): Map<FontName, ReturnType<typeof fontkit.create>> {
  if (parsed) return parsed;
  const map = new Map<FontName, ReturnType<typeof fontkit.create>>();
  for (const [name, buf] of fontBuffers()) map.set(name, fontkit.create(buf));
  parsed = map;
  return map;
}

export function fontBuffers(): Map<FontName, Buffer> {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const map = new Map<FontName, Buffer>();
  for (const [name, file] of Object.entries(FILES) as Array<[FontName, string]>) {
    map.set(name, readFileSync(join(dir, file)));
  }
  cache = map;
  return map;
}
