import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import de from '../../admin/src/translations/de.json';
import en from '../../admin/src/translations/en.json';

const ADMIN_SRC = path.resolve(__dirname, '../../admin/src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      return sourceFiles(file);
    }
    return /\.tsx?$/.test(name) ? [file] : [];
  });

/** Every `message('key', 'Default text')` (or `t(...)`, its shorthand) call in the admin source. */
const messagesInSource = () =>
  sourceFiles(ADMIN_SRC).flatMap((file) =>
    [
      ...readFileSync(file, 'utf8').matchAll(
        /(?:message|\bt)\(\s*'([^']+)',\s*(?:'((?:[^'\\]|\\.)*)'|"([^"]*)")\s*,?\s*\)/g
      ),
    ].map(([, key, single, double]) => ({
      file: path.relative(ADMIN_SRC, file),
      key,
      text: single ?? double,
    }))
  );

describe('admin translations', () => {
  it('has the same keys in English and German', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('translates every German string (no empty or copied-over English sentences)', () => {
    const untranslated = Object.entries(de).filter(
      ([key, text]) => !text.trim() || (text === en[key as keyof typeof en] && text.includes(' '))
    );
    expect(untranslated).toEqual([]);
  });

  it('addresses the editor with "du" in German, never "Sie"', () => {
    const formal = Object.entries(de).filter(([, text]) =>
      /\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b/.test(text)
    );
    expect(formal).toEqual([]);
  });

  it('has an English entry, equal to the default text, for every message the code uses', () => {
    const used = messagesInSource();
    expect(used.length).toBeGreaterThan(10);
    const mismatches = used.filter(({ key, text }) => en[key as keyof typeof en] !== text);
    expect(mismatches).toEqual([]);
  });
});
