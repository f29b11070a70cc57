// `shakedown validate <files...>`: every problem in every file, at once.
import { InputError, UsageError, formatIssue, type Issue } from '../../errors.ts';
import { defaultRegistries } from '../../registries.ts';
import { loadFile } from '../../scenario/loader.ts';
import type { CliIo } from '../io.ts';

export async function validateCommand(files: string[], io: CliIo): Promise<number> {
  if (files.length === 0) throw new UsageError('validate needs at least one scenario file');
  const issues: Issue[] = [];
  for (const file of files) {
    try {
      const loaded = await loadFile(file, defaultRegistries, io.cwd);
      const what = loaded.kind === 'Scenario' ? `scenario ${loaded.scenario.name}` : `suite ${loaded.suite.name} (${loaded.suite.scenarios.length} scenarios)`;
      io.stdout.write(`${file}: ok (${what})\n`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length) {
    for (const issue of issues) io.stderr.write(`${formatIssue(issue)}\n`);
    io.stderr.write(`${issues.length} problem${issues.length > 1 ? 's' : ''} found\n`);
    return 2;
  }
  return 0;
}
