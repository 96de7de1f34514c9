import { csvRecords } from './csv.ts';

/** A Swedish municipality (kommun), from SCB's codes. */
export interface Municipality {
  /** Four-digit kommunkod, e.g. '0114' (a string: leading zeros matter). */
  code: string;
  /** Short name, e.g. 'Upplands Väsby'. */
  name: string;
  /** Two-digit county code (the first two digits of `code`). */
  countyCode: string;
  /** True for Gotland, whose municipality also carries the regional tasks (Region Gotland). */
  carriesRegionalTasks: boolean;
}

/** A county (län). */
export interface County {
  code: string; // two digits, e.g. '01'
  name: string; // 'Stockholms län'
  shortName: string; // 'Stockholm'
}

/** A region (the regional council of a county). */
export interface Region {
  /** The county code, e.g. '12' (what a region party stores as municipalityCode). */
  code: string;
  name: string; // 'Region Skåne'
  countyCode: string;
  countyName: string;
  /** Set for Gotland: the region is the municipality 0980 (one organisation, Region Gotland). */
  municipalityCode: string | null;
}

const GOTLAND_COUNTY = '09';
const GOTLAND_MUNICIPALITY = '0980';

/** Official names that do not follow "Region <short name>". */
const REGION_NAME_OVERRIDES: Record<string, string> = {
  '04': 'Region Sörmland',
  '06': 'Region Jönköpings län',
  '08': 'Region Kalmar län',
  '14': 'Västra Götalandsregionen',
  '18': 'Region Örebro län',
  '23': 'Region Jämtland Härjedalen',
};

export function parseMunicipalitiesCsv(text: string): Municipality[] {
  const seen = new Set<string>();
  return csvRecords(text, ['municipality_code', 'municipality_name', 'county_code'] as const, 'municipalities.csv').map((r) => {
    if (!/^\d{4}$/.test(r.municipality_code)) {
      throw new Error(`municipalities.csv: line ${r.line}: municipality_code "${r.municipality_code}" is not four digits`);
    }
    if (!/^\d{2}$/.test(r.county_code)) throw new Error(`municipalities.csv: line ${r.line}: county_code "${r.county_code}" is not two digits`);
    if (!r.municipality_name) throw new Error(`municipalities.csv: line ${r.line}: empty municipality_name`);
    if (seen.has(r.municipality_code)) throw new Error(`municipalities.csv: line ${r.line}: duplicate code ${r.municipality_code}`);
    seen.add(r.municipality_code);
    return {
      code: r.municipality_code,
      name: r.municipality_name,
      countyCode: r.county_code,
      carriesRegionalTasks: r.municipality_code === GOTLAND_MUNICIPALITY,
    };
  });
}

export function parseCountiesCsv(text: string): County[] {
  const seen = new Set<string>();
  return csvRecords(text, ['county_code', 'county_name', 'county_name_short'] as const, 'counties.csv').map((r) => {
    if (!/^\d{2}$/.test(r.county_code)) throw new Error(`counties.csv: line ${r.line}: county_code "${r.county_code}" is not two digits`);
    if (!r.county_name || !r.county_name_short) throw new Error(`counties.csv: line ${r.line}: empty name`);
    if (seen.has(r.county_code)) throw new Error(`counties.csv: line ${r.line}: duplicate code ${r.county_code}`);
    seen.add(r.county_code);
    return { code: r.county_code, name: r.county_name, shortName: r.county_name_short };
  });
}

/**
 * One region per county: "Region <short name>" (or the official name where it differs). Gotland has no
 * separate regional council: the municipality of Gotland carries the regional tasks and calls itself
 * Region Gotland, so its region entry points at municipality 0980.
 */
export function regionsFromCounties(counties: readonly County[]): Region[] {
  return counties.map((c) => ({
    code: c.code,
    name: REGION_NAME_OVERRIDES[c.code] ?? `Region ${c.shortName}`,
    countyCode: c.code,
    countyName: c.name,
    municipalityCode: c.code === GOTLAND_COUNTY ? GOTLAND_MUNICIPALITY : null,
  }));
}

/** Display name for a municipality as a party ("Gotland" is known as Region Gotland). */
export function municipalityDisplayName(m: Municipality): string {
  return m.carriesRegionalTasks ? 'Region Gotland' : m.name;
}
