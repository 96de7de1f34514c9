/**
 * Loads every feature module (`src/features/<name>/index.ts` or `.tsx`) once, so that each can call
 * `registerFeature`. Import this module before rendering the agreement page.
 */
import.meta.glob(['../features/*/index.ts', '../features/*/index.tsx'], { eager: true });
