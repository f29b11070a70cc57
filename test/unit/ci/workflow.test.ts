// The workflow users copy (.github/workflows/nightly.yml) stays valid:
// actionlint (built with Go by `task tools:actionlint`, which `task test:unit`
// runs first) checks its syntax, expressions, action inputs and, where
// shellcheck is installed, its scripts. Without Go there is no actionlint:
// the test skips and says so, rather than passing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, type TestContext } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const actionlint = join(root, '.tools/bin/actionlint');
const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

/** Skips (with the reason) only where actionlint cannot be built; with Go, a missing one is a failure. */
function needActionlint(ctx: TestContext): void {
  if (existsSync(actionlint)) return;
  if (!hasGo) ctx.skip('actionlint is not in .tools/bin and Go is not on this machine to build it (clusters/build/tools.sh actionlint)');
  throw new Error(`${actionlint} is missing though Go is here: run \`task tools:actionlint\` (task test:unit does)`);
}

const lint = (file: string) => spawnSync(actionlint, ['-no-color', file], { cwd: root, encoding: 'utf8' });

describe('.github/workflows/nightly.yml', () => {
  it('passes actionlint with no findings', (ctx) => {
    needActionlint(ctx);
    const out = lint('.github/workflows/nightly.yml');
    expect({ status: out.status, stdout: out.stdout, stderr: out.stderr, error: out.error?.message }).toEqual({ status: 0, stdout: '', stderr: '', error: undefined });
  });

  it('is linted for real: a broken workflow is rejected', (ctx) => {
    needActionlint(ctx);
    const dir = mkdtempSync(join(tmpdir(), 'shakedown-actionlint-'));
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n');
    const out = lint(file);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/no_such_thing/);
  });
});
