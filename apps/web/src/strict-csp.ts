/**
 * The app runs under a Content-Security-Policy without 'unsafe-eval' (see the server's
 * http/security-headers.ts). zod probes for eval with `Function('')` to compile fast parsers; under the
 * policy that probe is refused and reported as a violation. Imported first by main.tsx, so no schema
 * is used before it is off.
 *
 * zod keeps its global config on `globalThis.__zod_globalConfig` and reads it from there when it
 * loads (zod/v4/core/core.js), so setting it here needs no zod code: importing `config` from zod made
 * the bundler put zod's shared core into the first chunk, which every page (the sign-in page too)
 * loaded. The content-security-policy browser test fails if zod stops honouring it.
 */
const g = globalThis as { __zod_globalConfig?: Record<string, unknown> };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };

export {};
