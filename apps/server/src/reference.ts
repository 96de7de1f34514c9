import fs from 'node:fs';
import path from 'node:path';

export interface Municipality {
  code: string; // 4-digit SCB kommunkod
  name: string;
  countyCode: string;
}

export interface Region {
  code: string; // 2-digit SCB länskod
  name: string; // e.g. "Stockholms län"
  shortName: string; // e.g. "Stockholm"
}

export interface ReferenceData {
  municipalities: Municipality[];
  regions: Region[];
  municipalityByCode: Map<string, Municipality>;
  regionByCode: Map<string, Region>;
}

function parseCsv(text: string): string[][] {
  // The reference files are simple: no quoted commas. Strip a BOM and blank lines.
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',').map((cell) => cell.trim()));
}

const cache = new Map<string, ReferenceData>();

/** Reads municipalities.csv and counties.csv from `dir` (cached per directory). Throws with the path if missing. */
export function loadReferenceData(dir: string): ReferenceData {
  const hit = cache.get(dir);
  if (hit) return hit;
  const read = (file: string) => {
    const p = path.join(dir, file);
    try {
      return parseCsv(fs.readFileSync(p, 'utf8')).slice(1);
    } catch (err) {
      throw new Error(`reference data missing: cannot read ${p} (set OVERENS_REFERENCE_DIR): ${(err as Error).message}`);
    }
  };
  const municipalities = read('municipalities.csv').map(([code = '', name = '', countyCode = '']) => ({ code, name, countyCode }));
  const regions = read('counties.csv').map(([code = '', name = '', shortName = '']) => ({ code, name, shortName }));
  const data: ReferenceData = {
    municipalities,
    regions,
    municipalityByCode: new Map(municipalities.map((m) => [m.code, m])),
    regionByCode: new Map(regions.map((r) => [r.code, r])),
  };
  cache.set(dir, data);
  return data;
}
