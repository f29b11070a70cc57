import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.ts';
import type { CliIo } from '../../../src/cli/io.ts';

const invalid = 'test/fixtures/scenarios/invalid';

async function validate(...files: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: process.cwd(), env: {} };
  const code = await validateCommand(files, io);
  return { code, stdout, stderr: stderr.trimEnd().split('\n') };
}

describe('shakedown validate', () => {
  it('reports shape problems and the fault and assertion problems of the same file in one go', async () => {
    const file = join(invalid, 'both-passes.yaml');
    const out = await validate(file);
    expect(out.code).toBe(2);
    expect(out.stderr).toEqual([
      `${file}: load.target: unknown key "srvice": did you mean "service"?`,
      `${file}: load.vus: must be a number (got "ten")`,
      `${file}: faults[2].at: must be a duration like 500ms, 20s, 2m or 1m30s (got "soon")`,
      `${file}: faults[0].type: unknown fault type "spot-drian": did you mean "spot-drain"?`,
      `${file}: faults[1].params: unknown key "notise": did you mean "notice"?`,
      `${file}: assertions[0].type: unknown assertion type "availabilty": did you mean "availability"?`,
      '6 problems found',
    ]);
  });

  it('runs the cross-field rules beside shape problems in sections no rule reads', async () => {
    const file = join(invalid, 'typos-and-rules.yaml');
    const out = await validate(file, 'scenarios/spot-drain.yaml');
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('scenarios/spot-drain.yaml: ok (scenario spot-drain)\n');
    expect(out.stderr).toContain(`${file}: unknown key "clustr": did you mean "cluster"?`);
    expect(out.stderr).toContain(`${file}: faults[0].at: starts at 5m, after the load ends (load.duration is 1m)`);
    expect(out.stderr.at(-1)).toBe('4 problems found');
  });
});
