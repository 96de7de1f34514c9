/**
 * Shared contracts between server and web. Types only: importing them costs nothing at run time.
 */
export * from './events.ts';
export * from './follow-up.ts';
