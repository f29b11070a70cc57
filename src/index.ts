// shakedown as a library: load a scenario, plan it, run it.
export { loadFile, loadScenario } from './scenario/loader.ts';
export type { Scenario, Suite } from './scenario/model.ts';
export { planLines } from './runner/plan.ts';
export { runScenario, type RunOptions } from './runner/run.ts';
export { EventBus, type RunEvent } from './core/events.ts';
export { createPorts } from './runner/real-ports.ts';
export { defaultRegistries } from './registries.ts';
export { recoverRuns } from './runner/recover.ts';
export { writeReports } from './report/write.ts';
export type { RunResult } from './core/result.ts';
export { expectedReachability } from './netpol/engine.ts';
export { ExitCode, InputError, InfraError, InterruptedError, ShakedownError, UsageError } from './errors.ts';
export { main } from './cli/main.ts';
