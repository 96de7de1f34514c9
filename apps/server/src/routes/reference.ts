import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, jsonContent } from '../http/openapi.ts';
import { loadReferenceData } from '../reference.ts';

const MunicipalitySchema = z
  .object({
    code: z.string().openapi({ example: '0180' }),
    name: z.string().openapi({ example: 'Stockholm' }),
    countyCode: z.string().openapi({ example: '01' }),
    carriesRegionalTasks: z.boolean().openapi({ description: 'True for Gotland, whose municipality is also the region' }),
  })
  .openapi('Municipality');
const RegionSchema = z
  .object({
    code: z.string().openapi({ example: '01', description: 'The county code (what a region party stores as municipalityCode)' }),
    name: z.string().openapi({ example: 'Region Stockholm' }),
    countyCode: z.string(),
    countyName: z.string().openapi({ example: 'Stockholms län' }),
    municipalityCode: z.string().nullable().openapi({ description: "Gotland: the municipality that carries the region's tasks" }),
  })
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
