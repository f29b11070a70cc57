// Running the external tools (kind, kubectl, docker, iptables) through zx,
// keeping their output so a failure says what the tool said.
import { $, type ProcessOutput } from 'zx';
import { InfraError } from '../errors.ts';
import { toolPath } from './paths.ts';

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ExecOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecOutput> {
  const shell = $({
    quiet: true,
    nothrow: true,
    env: { ...process.env, ...options.env },
    ...(options.input !== undefined && { input: options.input }),
    ...(options.signal && { signal: options.signal }),
    ...(options.timeoutMs !== undefined && { timeout: `${options.timeoutMs}ms` as const }),
  });
  const out: ProcessOutput = await shell`${toolPath(command)} ${args}`;
  return { exitCode: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
}

/** Runs a tool and throws an InfraError with the tail of its output when it fails. */
export async function must(command: string, args: string[], options: ExecOptions = {}): Promise<string> {
  const out = await exec(command, args, options);
  if (out.exitCode !== 0) {
    const said = (out.stderr.trim() || out.stdout.trim()).split('\n').slice(-15).join('\n');
    throw new InfraError(`${command} ${args.join(' ')} failed (exit ${out.exitCode})${said ? `:\n${said}` : ''}`);
  }
  return out.stdout;
}
