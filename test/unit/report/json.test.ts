import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/report/json.ts';
import type { RunResult } from '../../../src/core/result.ts';
import { FIXTURES, spotDrainResult } from '../../fixtures/report/sample-result.ts';

describe('renderJson', () => {
  it('orders keys as the RunResult type declares them, whatever order they were built in', () => {
    const original = spotDrainResult();
    const shuffled = Object.fromEntries(Object.entries(original).reverse()) as unknown as RunResult;
    shuffled.faults = original.faults.map((f) => Object.fromEntries(Object.entries(f).reverse()) as unknown as typeof f);
    const json = renderJson(shuffled);
    expect(json).toBe(renderJson(original));
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'runId', 'scenario', 'file', 'description', 'cluster', 'startedAt', 'finishedAt', 'loadStartedAt', 'verdict', 'exitCode', 'phases', 'faults', 'assertions', 'series', 'events']);
    expect(Object.keys(parsed.faults[1])).toEqual(['id', 'type', 'at', 'duration', 'startedAt', 'endedAt', 'state', 'message', 'details']);
    expect(Object.keys(parsed.events[0]).slice(0, 2)).toEqual(['t', 'kind']);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(original)));
  });

  it('is pretty-printed and ends with a newline', () => {
    const json = renderJson(spotDrainResult());
    expect(json).toMatch(/^\{\n {2}"schemaVersion": 1,\n/);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('keeps fields it does not know about instead of dropping them', () => {
    const result = { ...spotDrainResult(), extra: 42 } as RunResult;
    expect(JSON.parse(renderJson(result)).extra).toBe(42);
  });

  it('matches the checked-in fixture files (the generator is deterministic)', async () => {
    for (const [name, build] of Object.entries(FIXTURES)) {
      const onDisk = await readFile(new URL(`../../fixtures/report/${name}.result.json`, import.meta.url), 'utf8');
      expect(renderJson(build()), `${name}: run node test/fixtures/report/sample-result.ts`).toBe(onDisk);
    }
  });
});
