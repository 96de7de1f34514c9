import fs from 'node:fs';
import path from 'node:path';
import {
  parseCountiesCsv,
  parseMunicipalitiesCsv,
  regionsFromCounties,
  type Municipality,
  type Region,
} from '@overens/model';

export type { Municipality, Region };

export interface ReferenceData {
  municipalities: Municipality[];
  regions: Region[];
  municipalityByCode: Map<string, Municipality>;
  regionByCode: Map<string, Region>;
}

const cache = new Map<string, ReferenceData>();

/**
 * The one loader of the municipality and county lists: reads the CSVs from `dir` (the copy committed in
 * packages/model/data unless OVERENS_REFERENCE_DIR overrides it) and parses them with the model's parsers.
 * Cached per directory; throws with the path when a file is missing or malformed.
 */
export function loadReferenceData(dir: string): ReferenceData {
  const hit = cache.get(dir);
  if (hit) return hit;
  const read = (file: string) => {
    const p = path.join(dir, file);
    try {
      return fs.readFileSync(p, 'utf8');
    } catch (err) {
      throw new Error(`reference data missing: cannot read ${p} (OVERENS_REFERENCE_DIR overrides the built-in copy): ${(err as Error).message}`);
    }
  };
  const municipalities = parseMunicipalitiesCsv(read('municipalities.csv'));
  const regions = regionsFromCounties(parseCountiesCsv(read('counties.csv')));
  const data: ReferenceData = {
    municipalities,
    regions,
    municipalityByCode: new Map(municipalities.map((m) => [m.code, m])),
    regionByCode: new Map(regions.map((r) => [r.code, r])),
  };
  cache.set(dir, data);
  return data;
}
