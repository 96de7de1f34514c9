import { defineConfig } from 'drizzle-kit';

// SQL migrations are generated from the schema and committed under drizzle/.
// Both drivers (PGlite and PostgreSQL) apply the same files at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/server/src/db/schema/index.ts',
  out: './drizzle',
});
