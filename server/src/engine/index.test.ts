import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as engine from './index';

describe('the engine', () => {
  it('exports its public API from one module', () => {
    for (const name of [
      'visitorContextSchema',
      'parseVisitorContext',
      'parseContextJson',
      'deviceFromUserAgent',
      'evaluationData',
      'MAX_CONTEXT_BYTES',
      'ALLOWED_OPERATORS',
      'MAX_RULE_DEPTH',
      'MAX_RULE_BYTES',
      'MAX_ARRAY_LITERAL',
      'validateRule',
      'compileRule',
      'RuleError',
      'classifyPersona',
      'classifyStage',
      'specificity',
      'isCandidate',
      'compareVariants',
      'pickVariant',
      'decide',
      'emptyDecision',
      'mergeOverrides',
      'segmentOf',
      'hash32',
    ]) {
      expect(engine).toHaveProperty(name);
    }
  });

  it('imports nothing from Strapi, nor any other module of the plugin', () => {
    const files = readdirSync(__dirname).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const source = readFileSync(join(__dirname, file), 'utf8');
      const imports = [...source.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map(
        (match) => match[1]
      );
      for (const specifier of imports) {
        expect(`${file}: ${specifier}`).toMatch(
          /: (\.\/[\w-]+|zod|zod\/mini|zod\/locales|json-logic-js|murmurhash|murmurhash3js-revisited|jstat|node:fs|node:path)$/
        );
      }
      if (!file.endsWith('.test.ts')) {
        // json-logic-js is only the reference of the tests: rules compile to closures.
        const forbidden = imports.filter((s) => s.startsWith('node:') || s === 'json-logic-js');
        expect(`${file}: ${forbidden.join()}`).toBe(`${file}: `);
      }
    }
  });
});
