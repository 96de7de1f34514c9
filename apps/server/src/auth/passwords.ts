import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (OWASP 2023 minimum: m=19 MiB, t=2, p=1). `Algorithm.Argon2id` is a const enum (2);
 * spelled as a number because isolatedModules cannot inline ambient const enums.
 */
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A fixed hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('overens-dummy-password-for-timing');
  return dummyHash;
}
