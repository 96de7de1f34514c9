import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';
import { municipalityDisplayName, parseCountiesCsv, parseMunicipalitiesCsv, regionsFromCounties } from './reference.ts';

// The product's own copy of the reference data (the package code does no IO; the test reads the files).
const dataDir = fileURLToPath(new URL('../../data/', import.meta.url));
const read = (name: string) => readFileSync(join(dataDir, name), 'utf8');

describe('reference data', () => {
  it('parses the 290 municipalities keeping leading zeros', () => {
    const rows = parseMunicipalitiesCsv(read('municipalities.csv'));
    expect(rows).toHaveLength(290);
    expect(rows[0]).toEqual({ code: '0114', name: 'Upplands Väsby', countyCode: '01', carriesRegionalTasks: false });
    expect(rows.find((m) => m.code === '1280')?.name).toBe('Malmö');
    const gotland = rows.find((m) => m.code === '0980')!;
    expect(gotland.carriesRegionalTasks).toBe(true);
    expect(municipalityDisplayName(gotland)).toBe('Region Gotland');
    for (const m of rows) expect(m.code.startsWith(m.countyCode)).toBe(true);
  });

  it('parses the 21 counties and derives 21 regions, Gotland special-cased', () => {
    const counties = parseCountiesCsv(read('counties.csv'));
    expect(counties).toHaveLength(21);
    expect(counties[0]).toEqual({ code: '01', name: 'Stockholms län', shortName: 'Stockholm' });
    const regions = regionsFromCounties(counties);
    expect(regions).toHaveLength(21);
    expect(regions.find((r) => r.code === '12')).toEqual({
      code: '12',
      name: 'Region Skåne',
      countyCode: '12',
      countyName: 'Skåne län',
      municipalityCode: null,
    });
    expect(regions.find((r) => r.code === '09')).toMatchObject({ name: 'Region Gotland', municipalityCode: '0980' });
    expect(regions.find((r) => r.code === '14')?.name).toBe('Västra Götalandsregionen');
  });

  it('handles quotes, CRLF and a BOM, and names the line of a bad row', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""",002\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '002'],
    ]);
    expect(() => parseMunicipalitiesCsv('municipality_code,municipality_name,county_code\n114,Upplands Väsby,01\n')).toThrow(
      /line 2: municipality_code "114" is not four digits/,
    );
    expect(() => parseCountiesCsv('county_code,county_name\n01,Stockholms län\n')).toThrow(/missing column "county_name_short"/);
  });
});
