import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { MAX_RULE_BYTES, validateRule } from '../../server/src/engine/rules';
import { MAX_RULE_COST, ruleCost } from '../../server/src/engine/rule-cost';
import story from '../../playground/src/demo/story';

// The cost bound's promise: the worst rule of each kind that validateRule accepts evaluates in
// under 1 ms against the largest context any entry point accepts. Measured in a plain Node
// process (bench/worst-rules.mjs), as a server runs rules: jest's sandbox would distort the
// timings.

interface Measured {
  bytes: number;
  cost: number;
  medianMs: number;
}

const ROOT = path.resolve(__dirname, '../..');

it('accepts every realistic rule of the demo story with room to spare', () => {
  const targeted: { rule?: unknown }[] = [...story.personas, ...story.stages, ...story.variants];
  const rules = targeted
    .map((item) => item.rule)
    .filter((rule) => rule !== undefined && rule !== null);
  expect(rules.length).toBeGreaterThan(5);
  for (const rule of rules) {
    expect(validateRule(rule)).toEqual([]);
    expect(ruleCost(rule).cost).toBeLessThan(MAX_RULE_COST / 5);
  }
});

it('the worst accepted rule of each kind evaluates in under 1 ms against the largest contexts', () => {
  const output = execFileSync(process.execPath, [path.join(ROOT, 'bench/worst-rules.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const measured = JSON.parse(output) as Record<string, Measured>;
  expect(Object.keys(measured).length).toBeGreaterThanOrEqual(8);
  for (const [kind, { bytes, cost, medianMs }] of Object.entries(measured)) {
    // Each kind really reaches a bound (its cost, or the size of a rule), or it proves nothing.
    expect({ kind, atBound: cost > MAX_RULE_COST * 0.7 || bytes > MAX_RULE_BYTES * 0.9 }).toEqual({
      kind,
      atBound: true,
    });
    expect({ kind, medianMs }).toEqual({ kind, medianMs: expect.any(Number) });
    expect(medianMs).toBeLessThan(1);
  }
}, 60_000);
