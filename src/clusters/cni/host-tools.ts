import { exec } from '../../tools/exec.ts';
import type { Cni } from './types.ts';

/** The host tools a CNI's install runs that do not answer here. */
export async function missingTools(cni: Cni): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of cni.tools ?? []) if ((await exec(tool, ['version'])).exitCode !== 0) missing.push(tool);
  return missing;
}
