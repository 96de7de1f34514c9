import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, jsonContent } from '../http/openapi.ts';
import { loadReferenceData } from '../reference.ts';

const MunicipalitySchema = z
  .object({ code: z.string().openapi({ example: '0180' }), name: z.string(), countyCode: z.string() })
  .openapi('Municipality');
const RegionSchema = z
  .object({ code: z.string().openapi({ example: '01' }), name: z.string(), shortName: z.string() })
  .openapi('Region');

export const referenceRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/reference/municipalities',
      tags: ['reference'],
      summary: 'The 290 municipalities with their SCB codes (for organisations of kind kommun)',
      responses: { 200: jsonContent(z.array(MunicipalitySchema), 'All municipalities') },
    }),
    (c) => {
      c.header('cache-control', 'public, max-age=3600');
      return c.json(loadReferenceData(c.get('deps').config.referenceDir).municipalities, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/reference/regions',
      tags: ['reference'],
      summary: 'The 21 regions (counties) with their SCB codes (for organisations of kind region)',
      responses: { 200: jsonContent(z.array(RegionSchema), 'All regions') },
    }),
    (c) => {
      c.header('cache-control', 'public, max-age=3600');
      return c.json(loadReferenceData(c.get('deps').config.referenceDir).regions, 200);
    },
  );
