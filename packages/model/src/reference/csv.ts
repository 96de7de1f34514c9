/**
 * Minimal RFC 4180 CSV reader: comma separated, optional double-quoted fields ("" escapes a quote),
 * LF or CRLF line ends, a UTF-8 BOM is ignored. Every value stays a string (leading zeros are kept).
 */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

/** Rows as objects keyed by the header; throws naming the line when a column is missing. */
export function csvRecords<K extends string>(text: string, columns: readonly K[], what: string): Array<Record<K, string> & { line: number }> {
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim());
  if (!header) throw new Error(`${what}: empty file`);
  const index = {} as Record<K, number>;
  for (const col of columns) {
    const i = header.indexOf(col);
    if (i < 0) throw new Error(`${what}: missing column "${col}" (header: ${header.join(',')})`);
    index[col] = i;
  }
  return rows.slice(1).map((r, n) => {
    const rec = { line: n + 2 } as Record<K, string> & { line: number };
    for (const col of columns) {
      const v = r[index[col]];
      if (v === undefined) throw new Error(`${what}: line ${n + 2} has no value for "${col}"`);
      (rec as Record<K, string>)[col] = v.trim();
    }
    return rec;
  });
}
