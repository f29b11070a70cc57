// `shakedown cleanup [--run ID | --all]`: revert what killed runs left behind.
import { InfraError, UsageError } from '../../errors.ts';
import { defaultRegistries } from '../../registries.ts';
import { EventBus } from '../../core/events.ts';
import type { RunnerPorts } from '../../runner/ports.ts';
import { recoverRuns } from '../../runner/recover.ts';
import { createPorts } from '../../runner/real-ports.ts';
import type { Registries } from '../../runner/registries.ts';
import type { CliIo } from '../io.ts';
import { attachView } from '../output/views.ts';

export async function cleanupCommand(options: { stateDir: string; runId?: string; all: boolean; force: boolean }, io: CliIo, deps: { ports?: RunnerPorts; registries?: Registries } = {}): Promise<number> {
  if (options.runId && options.all) throw new UsageError('cleanup takes --run ID or --all, not both');
  const bus = new EventBus();
  const detach = attachView(bus, 'plain', 'normal', io.stdout);
  try {
    const reports = await recoverRuns(
      { stateDir: options.stateDir, ...(options.runId && { runId: options.runId }), force: options.force },
      { ports: deps.ports ?? createPorts({ stateDir: options.stateDir, cwd: io.cwd, env: io.env }), registries: deps.registries ?? defaultRegistries, bus },
    );
    if (options.runId && reports.length === 0) throw new UsageError(`no ledger for run ${options.runId} under ${options.stateDir}/runs`);
    if (reports.length === 0) io.stdout.write('nothing to clean up\n');
    let failed = 0;
    for (const r of reports) {
      if (r.skipped) io.stdout.write(`run ${r.runId}: skipped: ${r.skipped}\n`);
      else io.stdout.write(`run ${r.runId}: reverted ${r.reverted.length}, failed ${r.failed.length}\n`);
      failed += r.failed.length;
    }
    if (failed) throw new InfraError(`${failed} revert${failed > 1 ? 's' : ''} failed; fix the cause and run shakedown cleanup again`);
    return 0;
  } finally {
    detach();
  }
}
