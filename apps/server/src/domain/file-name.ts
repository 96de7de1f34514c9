/**
 * A download's file name from free text (an agreement title and what the file is): ASCII letters and
 * digits joined by '-', accents dropped, at most `max` characters, never ending in '-'.
 */
export function fileSlug(text: string, max: number): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, max)
    .replace(/-$/, '');
}
