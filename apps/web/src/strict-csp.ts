/**
 * The app runs under a Content-Security-Policy without 'unsafe-eval' (see the server's
 * http/security-headers.ts). zod probes for eval with `Function('')` to compile fast parsers; under the
 * policy that probe is refused and reported as a violation. Imported first by main.tsx, so no schema
 * is used before it is off.
 */
import { config } from 'zod';

config({ jitless: true });
