/**
 * The app runs under a Content-Security-Policy without 'unsafe-eval' (see the server's
 * http/security-headers.ts). zod probes for eval with `Function('')` to compile fast parsers; under the
 * policy that probe is refused and reported as a violation. Imported first by main.tsx, so no schema
 * is used before it is off.
 */
// The core entry: the same global config as 'zod', without pulling zod's classic API into the first chunk.
import { config } from 'zod/v4/core';

config({ jitless: true });
