import type { AppContext } from '../http/openapi.ts';

/** Base of links in mails: OVERENS_PUBLIC_URL, else the request's origin (as invitation links). */
export function linkBase(c: AppContext): string {
  const { config } = c.get('deps');
  if (config.publicUrl) return config.publicUrl;
  const origin = c.req.header('origin');
  const url = new URL(c.req.url);
  return origin && origin !== 'null' ? origin : `${url.protocol}//${c.req.header('host') ?? url.host}`;
}

export const organisationsLink = (base: string) => `${base}/#/organisations`;
export const emailVerificationLink = (base: string, token: string) => `${base}/#/verify-email/${token}`;
export const organisationInvitationLink = (base: string, token: string) => `${base}/#/organisation-invitations/${token}`;
