/** A URL-safe slug of a display name ("Crud test ü" → "crud-test-u"), `fallback` when nothing is left. */
export const slugify = (
  name: string,
  { maxLength, fallback }: { maxLength: number; fallback: string }
) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength) || fallback;
