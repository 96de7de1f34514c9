/** Suggestion ids carry their author: `sg_<userId>_<base36 epoch ms>_<6 base36 chars>`. */
const ID = /^sg_([^_]+)_([0-9a-z]+)_([0-9a-z]{6})$/;

export function makeSuggestionId(userId: string, now: Date = new Date(), random: () => number = Math.random): string {
  if (!userId || userId.includes('_')) throw new Error('userId must be non-empty and contain no "_"');
  let tail = '';
  for (let i = 0; i < 6; i++) tail += Math.floor(random() * 36).toString(36);
  return `sg_${userId}_${now.getTime().toString(36)}_${tail}`;
}

export function parseSuggestionId(id: unknown): { userId: string; at: Date } | null {
  if (typeof id !== 'string') return null;
  const m = ID.exec(id);
  if (!m) return null;
  return { userId: m[1]!, at: new Date(parseInt(m[2]!, 36)) };
}
