import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// docs/architecture.md is the map a newcomer reads first: every file or folder it links to must
// exist, or the map leads nowhere.
const DOCS = path.resolve(__dirname, '../../docs');

describe('docs/architecture.md', () => {
  it('links only to files and folders that exist', () => {
    const text = readFileSync(path.join(DOCS, 'architecture.md'), 'utf8');
    const links = [...text.matchAll(/\]\((\.\.\/[^)#\s]+)(?:#[^)]*)?\)/g)].map(([, link]) => link);
    expect(links.length).toBeGreaterThan(30);
    expect(links.filter((link) => !existsSync(path.resolve(DOCS, link)))).toEqual([]);
  });
});
