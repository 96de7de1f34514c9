export {
  ROOT,
  LAYOUT_VERSION,
  AgreementModelError,
  newId,
} from './layout.ts';
export * from './fractional.ts';
export * from './rich.ts';
export * from './sections.ts';
export * from './parties.ts';
export * from './goals.ts';
export * from './contributions.ts';
export * from './period.ts';
export * from './checklist.ts';
export * from './attachments.ts';
export * from './meta.ts';
export * from './init.ts';
export * from './snapshot.ts';
export * from './observe.ts';
export * from './agreement-doc.ts';
