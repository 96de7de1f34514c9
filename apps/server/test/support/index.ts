/**
 * Test helpers for server-side tests (and cross-package tests in tests/):
 *   const db = await createTestDatabase();           // PGlite in memory, or a fresh PostgreSQL db when DATABASE_URL is set
 *   const srv = await startTestServer();              // real listener on 127.0.0.1:<port>, own fresh database
 *   const t = await createTestApp();                  // no listener: api(t.app, …) uses app.request()
 *   const alice = await registerUser(srv.url);        // {id, email, password, cookie}
 *   const res = await api(srv.url, 'GET', '/api/me', { cookie: alice.cookie });
 * Requests made through api() send the target's Origin on state-changing methods (CSRF check).
 */
export * from './database.ts';
export * from './server.ts';
export * from './http.ts';
