// The shakedown command line. One top-level catch maps errors to exit codes:
// 0 passed, 1 an assertion failed, 2 invalid input, 3 infrastructure, 130 interrupted.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, ShakedownError, UsageError } from '../errors.ts';
import { processIo, type CliIo } from './io.ts';
import type { OutputMode } from './output/views.ts';

export const USAGE = `shakedown: chaos and resilience scenarios for Kubernetes

Usage:
  shakedown run <scenario.yaml> [--dry-run] [--keep] [--reuse] [--cni NAME] [--provider aws,gcp,azure] [--cluster-name NAME] [--seed N]
                                       [--kubernetes-version V] [--upgrade-to V]   boot V; take rolling-upgrade faults to V
                                       [--manifests DIR --target SERVICE[:PORT]]   your stack instead of the sample
                                       --seed N makes a run's chance choices again (which pods a pod-kill takes)
  shakedown run <suite.yaml> [--repeat N] [--allow-flaky] [--fail-on-regression] [--history FILE]
                                       a Suite: scenarios in turn on one cluster, reset between them,
                                       each judged against the history (default <state dir>/history.ndjson)
  shakedown validate <files...>
  shakedown cleanup [--run ID | --all]
  shakedown doctor
  shakedown cluster up|down|list|info [--name NAME] [--cni NAME] [--keep-network]
  shakedown netpol expect --manifests FILE [--port N] [--protocol TCP] [--format json|table]
  shakedown preflight --context NAME [--kubeconfig F] [--target-version v1.35] [--manifests DIR] [--format table|json|junit]
                                       read-only: will an upgrade's rolling drain go through?
  shakedown schema                     print the scenario JSON Schema

Global options:
  --output plain|ndjson|tty|auto   how to show progress (default auto: live view on a terminal)
  -q, --quiet                      only failures and the verdict
  -v, --verbose                    debug lines and samples
  --state-dir DIR                  where runs and ledgers go (default .shakedown)

Exit codes: 0 passed, 1 an assertion failed, 2 invalid input, 3 infrastructure error, 130 interrupted.
`;

/** The process entry (bin/shakedown.js): runs the command, then exits once its output is out. */
export async function runCli(argv: string[]): Promise<never> {
  // A reader that stops early (`| head`) leaves nothing for us to report.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return exitWhenFlushed(await main(argv));
}

/**
 * Exits with `code` once every stream has handed its output to the OS.
 * process.exit() on its own drops what a pipe has not taken yet (a pipe holds
 * 64 KiB), truncating large JSON; exiting explicitly once flushed still ends
 * the process when something else holds the event loop open.
 */
export async function exitWhenFlushed(code: number, streams: ReadonlyArray<{ write(text: string, done: (error?: Error | null) => void): unknown }> = [process.stdout, process.stderr], exit: (code: number) => never = process.exit): Promise<never> {
  process.exitCode = code;
  // Writes complete in order, so an empty write's callback means all before it are out (or failed).
  await Promise.all(streams.map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  return exit(code);
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof ShakedownError) {
      io.stderr.write(`shakedown: ${error.message}\n`);
      if (error instanceof UsageError) io.stderr.write(`run "shakedown --help" for usage\n`);
      return error.exitCode;
    }
    // Unexpected: keep the stack for a bug report, but still a clean exit code.
    io.stderr.write(`shakedown: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCode.infrastructure;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'preflight') return (await import('./commands/preflight.ts')).preflightCommand(rest, io);
  if (command === 'netpol') {
    const { netpolCommand } = await import('./commands/netpol.ts');
    return netpolCommand(rest, { stdout: (s) => io.stdout.write(s), stderr: (s) => io.stderr.write(s) });
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        reuse: { type: 'boolean', default: false },
        cni: { type: 'string' },
        provider: { type: 'string' },
        'kubernetes-version': { type: 'string' },
        'upgrade-to': { type: 'string' },
        manifests: { type: 'string' },
        target: { type: 'string' },
        'cluster-name': { type: 'string' },
        name: { type: 'string' },
        'keep-network': { type: 'boolean', default: false },
        output: { type: 'string', default: 'auto' },
        quiet: { type: 'boolean', short: 'q', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
        'state-dir': { type: 'string' },
        run: { type: 'string' },
        all: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        repeat: { type: 'string' },
        seed: { type: 'string' },
        history: { type: 'string' },
        'allow-flaky': { type: 'boolean', default: false },
        'fail-on-regression': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const output = values.output as OutputMode;
  if (!['auto', 'plain', 'ndjson', 'tty'].includes(output)) throw new UsageError(`--output must be plain, ndjson, tty or auto (got ${output})`);
  const stateDir = resolve(io.cwd, values['state-dir'] ?? io.env.SHAKEDOWN_STATE_DIR ?? '.shakedown');
  const verbosity = values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal';

  // Commands load on demand: `validate` should not pay for the Kubernetes client.
  switch (command) {
    case 'run': {
      const { runCommand } = await import('./commands/run.ts');
      if (positionals.length > 1) throw new UsageError(`run takes one scenario file (got ${positionals.length}); use a Suite for several`);
      return runCommand(
        positionals[0],
        {
          dryRun: values['dry-run'],
          keep: values.keep,
          reuse: values.reuse,
          output,
          verbosity,
          stateDir,
          ...(values.cni && { cni: values.cni }),
          ...(values.provider && { provider: values.provider }),
          ...(values['kubernetes-version'] && { kubernetesVersion: values['kubernetes-version'] }),
          ...(values['upgrade-to'] && { upgradeTo: values['upgrade-to'] }),
          ...(values.manifests && { manifests: values.manifests }),
          ...(values.target && { target: values.target }),
          ...(values['cluster-name'] && { clusterName: values['cluster-name'] }),
          ...(values.repeat !== undefined && { repeat: Number(values.repeat) }),
          ...(values.seed !== undefined && { seed: Number(values.seed) }),
          ...(values.history && { history: values.history }),
          allowFlaky: values['allow-flaky'],
          failOnRegression: values['fail-on-regression'],
        },
        io,
      );
    }
    case 'validate':
      return (await import('./commands/validate.ts')).validateCommand(positionals, io);
    case 'cleanup':
      return (await import('./commands/cleanup.ts')).cleanupCommand({ stateDir, ...(values.run && { runId: values.run }), all: values.all, force: values.force }, io);
    case 'doctor':
      return (await import('./commands/doctor.ts')).doctorCommand({ stateDir, output }, io);
    case 'cluster':
      return (await import('./commands/cluster.ts')).clusterCommand(positionals, { stateDir, output, verbosity, keepNetwork: values['keep-network'], ...(values.name && { name: values.name }), ...(values.cni && { cni: values.cni }) }, io);
    case 'schema':
      return (await import('./commands/schema.ts')).schemaCommand(io);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
