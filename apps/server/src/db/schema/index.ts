// Every table, one file per concern. drizzle.config.ts points here; add your concern's file below.
export * from './users.ts';
export * from './organisations.ts';
export * from './agreements.ts';
export * from './templates.ts';
export * from './documents.ts';
export * from './comments.ts';
export * from './versions.ts';
export * from './approvals.ts';
export * from './audit.ts';
export * from './outbox.ts';
export * from './mail.ts';
export * from './signed-copies.ts';
export * from './organisation-invitations.ts';
export * from './follow-up.ts';
export * from './calendar.ts';
export * from './reminders.ts';
