/**
 * The organisation form's rules: the number must pass the check digit (`checkOrgNumber`, the
 * `organisationsnummer` package), and a kommun or region must be chosen from the list. Its own module,
 * loaded when the form appears (a static zod import keeps the bundle to the zod the app uses).
 */
import { z } from 'zod';
import { checkOrgNumber } from './org-number.ts';

export const organisationSchema = z
  .object({
    kind: z.enum(['ideburen', 'kommun', 'region']),
    name: z.string().trim().min(1),
    orgNumber: z.string().refine((v) => checkOrgNumber(v) === 'valid', { params: { code: 'org_number_invalid' } }),
    municipalityCode: z.string().nullable(),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'ideburen' && !v.municipalityCode)
      ctx.addIssue({ code: 'custom', path: ['municipalityCode'], params: { code: v.kind === 'kommun' ? 'municipality_required' : 'region_required' } });
  });
