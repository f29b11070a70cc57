import type { Stream } from './output/views.ts';

/** Where a command writes; tests pass buffers. */
export interface CliIo {
  stdout: Stream;
  stderr: Stream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
