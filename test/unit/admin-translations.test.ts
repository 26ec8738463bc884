import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { createIntl } from 'react-intl';

import de from '../../admin/src/translations/de.json';
import en from '../../admin/src/translations/en.json';
import { EXPERIMENT_STATUSES, variantSchema } from '../../server/src/contracts';
import { fillTemplate } from '../../server/src/engine/message-catalog';
import { MESSAGES, STRAPI_MESSAGES } from '../../server/src/engine/messages';
import { REASONS, TRACE_MESSAGES } from '../../server/src/engine/reasons';

const ADMIN_SRC = path.resolve(__dirname, '../../admin/src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      return sourceFiles(file);
    }
    return /\.tsx?$/.test(name) ? [file] : [];
  });

/**
 * Every `message('key', 'Default text')` call in the admin source, and every `t('key', 'Default
 * text', values?)` (useT's shorthand).
 */
const messagesInSource = () =>
  sourceFiles(ADMIN_SRC).flatMap((file) =>
    [
      ...readFileSync(file, 'utf8').matchAll(
        /(?:message|\bt)\(\s*'([^']+)',\s*(?:'((?:[^'\\]|\\.)*)'|"([^"]*)")\s*[,)]/g
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

/**
 * What the server says to editors (refusals, the preview's trace, reasons and statuses) is
 * translated in the admin: the server names it by id or code, the translations word it.
 */
describe("the server's messages in the admin's translations", () => {
  const serverTexts = [
    ...Object.entries(MESSAGES).map(([id, text]) => [`apiError.${id}`, text]),
    ...Object.entries(TRACE_MESSAGES).map(([code, text]) => [`trace.${code}`, text]),
  ];
  const english = en as Record<string, string>;
  const german = de as Record<string, string>;

  /** The values of an English template: `{max}`, `{max, number}` and `{count, plural, …}`. */
  const argumentsOf = (text: string) => [
    ...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural|, number)/g)].map(([, name]) => name)),
  ];

  /** Each value of `text` as a different number (at least 2, so that plurals say it). */
  const sampleValues = (text: string, first: number) =>
    Object.fromEntries(argumentsOf(text).map((name, index) => [name, first + index]));

  it('has every message in English as the server words it, and in German', () => {
    expect(serverTexts.length).toBeGreaterThan(100);
    expect(serverTexts.filter(([key, text]) => english[key] !== text)).toEqual([]);
    expect(serverTexts.filter(([key]) => !german[key]?.trim())).toEqual([]);
  });

  it("has Strapi's own refusals on the plugin's routes in both languages", () => {
    for (const message of STRAPI_MESSAGES) {
      expect(english[`apiError.${message}`]).toBeTruthy();
      expect(german[`apiError.${message}`]).toBeTruthy();
    }
  });

  it('fills a template in English as the admin does', () => {
    const intl = createIntl({ locale: 'en', messages: english });
    for (const [key, text] of serverTexts) {
      for (const first of [1, 1_000]) {
        const values = sampleValues(text, first);
        expect([key, fillTemplate(text, values)]).toEqual([
          key,
          intl.formatMessage({ id: key }, values),
        ]);
      }
    }
  });

  it('says every value of a message in German, and nothing the server does not send', () => {
    const problems: string[] = [];
    const intl = createIntl({
      locale: 'de',
      messages: german,
      onError: (error) => problems.push(error.message),
    });
    for (const [key, text] of serverTexts) {
      const values = sampleValues(text, 1_001);
      const said = intl.formatMessage({ id: key }, values);
      for (const [name, value] of Object.entries(values)) {
        // As a plain value, or as a number ("1.001").
        if (![String(value), value.toLocaleString('de')].some((written) => said.includes(written)))
          problems.push(`${key}: no {${name}}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names every reason of a decision and every status in both languages', () => {
    const keys = [
      ...REASONS.map((reason) => `preview.reason.${reason}`),
      ...[...variantSchema.shape.status.options, ...EXPERIMENT_STATUSES].map(
        (status) => `status.${status}`
      ),
    ];
    expect(keys.filter((key) => !english[key] || !german[key])).toEqual([]);
  });
});
