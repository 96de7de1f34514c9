import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchemaSource, SCHEMA_FILE } from '../../scripts/generate-api.ts';

// The committed client types must be what the server's OpenAPI document generates today:
// a server change the web has not picked up fails here (and `pnpm --filter @overens/web build`).
describe('generated API schema', () => {
  it('is current with the server routes', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed === (await generateSchemaSource()), 'run `pnpm --filter @overens/web gen:api` and commit schema.gen.ts').toBe(true);
  }, 60_000);
});
