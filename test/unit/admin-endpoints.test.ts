import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The plugin's endpoints are injected into the admin's one RTK Query API, beside those of
 * Strapi's own plugins; an endpoint whose name exists already keeps the other plugin's definition
 * (review workflows' `getStages` answered our journey stages' list with an error). No name of
 * ours may be one of theirs.
 */
const ROOT = path.resolve(__dirname, '../..');

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return files(file);
    return name.endsWith('.mjs') ? [file] : [];
  });

const endpointNames = (source: string, builder: string) =>
  [...source.matchAll(new RegExp(`(\\w+): ${builder}\\.(?:query|mutation)`, 'g'))].map(
    ([, name]) => name
  );

describe("the admin API's endpoint names", () => {
  it("are none of Strapi's own plugins'", () => {
    const ours = endpointNames(
      readFileSync(path.join(ROOT, 'admin/src/api/personalizeApi.ts'), 'utf8'),
      'build'
    );
    expect(ours.length).toBeGreaterThan(20);
    const strapiPackages = path.join(ROOT, 'node_modules/@strapi');
    const theirs = new Set(
      readdirSync(strapiPackages).flatMap((name) => {
        const admin = path.join(strapiPackages, name, 'dist/admin');
        try {
          statSync(admin);
        } catch {
          return [];
        }
        return files(admin).flatMap((file) => endpointNames(readFileSync(file, 'utf8'), 'builder'));
      })
    );
    expect(theirs.has('getStages')).toBe(true);
    expect(ours.filter((name) => theirs.has(name))).toEqual([]);
  });
});
