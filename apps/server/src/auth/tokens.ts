import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url (43 characters): session and invitation tokens. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the token: SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
