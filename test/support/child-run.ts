// A real process running a scenario with file-backed fakes, so tests can
// send it real signals (SIGINT, SIGKILL) in the middle of a fault.
import { EventBus } from '../../src/core/events.ts';
import { runScenario } from '../../src/runner/run.ts';
import { interruptOnSignals } from '../../src/runner/signals.ts';
import { FileWorld, fakePorts, testRegistries } from './fakes.ts';
import { testScenario } from './scenario.ts';

const [stateDir, worldPath, runId] = process.argv.slice(2) as [string, string, string];
const world = new FileWorld(worldPath);
const bus = new EventBus();
const controller = new AbortController();
interruptOnSignals(bus, controller);
const result = await runScenario(testScenario({ faults: [{ params: { world: worldPath, steps: 2, holdMs: 60_000 } }] }), {
  bus,
  registries: testRegistries(),
  ports: fakePorts({ world }),
  signal: controller.signal,
  stateDir,
  runId,
});
process.exit(result.exitCode);
