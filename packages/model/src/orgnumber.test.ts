import { describe, expect, it } from 'vitest';
import { checkOrgNumber, orgNumberFitsKind } from './orgnumber.ts';

describe('checkOrgNumber', () => {
  it('accepts valid numbers in any usual notation and normalises them', () => {
    expect(checkOrgNumber('212000-1124')).toEqual({ valid: true, normalized: '212000-1124', group: 2 });
    expect(checkOrgNumber('2120001124').normalized).toBe('212000-1124');
    expect(checkOrgNumber('16212000-1124').normalized).toBe('212000-1124');
    expect(checkOrgNumber(' 802480-1238 ')).toEqual({ valid: true, normalized: '802480-1238', group: 8 });
  });
  it('refuses bad checksums, formats and personal numbers with a reason', () => {
    expect(checkOrgNumber('802480-1234').reason).toBe('checksum');
    expect(checkOrgNumber('80248-1234').reason).toBe('format');
    expect(checkOrgNumber('').reason).toBe('empty');
    expect(checkOrgNumber('900101-1234').reason).toBe('personal_number');
  });
  it('knows which legal forms fit which party kind', () => {
    expect(orgNumberFitsKind(2, 'kommun')).toBe(true);
    expect(orgNumberFitsKind(8, 'kommun')).toBe(false);
    expect(orgNumberFitsKind(8, 'ideburen')).toBe(true);
    expect(orgNumberFitsKind(5, 'ideburen')).toBe(false);
  });
});
