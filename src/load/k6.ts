// Runs k6 on this machine against the stack's NodePort and streams its
// per-request metrics into the run, a per-second sample at a time.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InfraError } from '../errors.ts';
import type { EventBus } from '../core/events.ts';
import type { LoadRun, LoadRunner } from './types.ts';
import type { StackInfo } from '../stack/types.ts';
import type { Scenario } from '../scenario/model.ts';
import { toolPath } from '../tools/paths.ts';
import { K6Stream } from './samples.ts';
import { builtinScript } from './script.ts';
import { judgeThresholds, k6Thresholds } from './thresholds.ts';
import type { LoadOutcome } from './types.ts';

export class K6LoadRunner implements LoadRunner {
  readonly env: NodeJS.ProcessEnv;
  constructor(options: { env: NodeJS.ProcessEnv }) {
    this.env = options.env;
  }

  async start(scenario: Scenario, stack: StackInfo, options: { signal: AbortSignal; bus: EventBus; outDir: string }): Promise<LoadRun> {
    const load = scenario.load!;
    if (!stack.targetUrl) throw new InfraError('load: the stack exposes no URL reachable from this machine');
    mkdirSync(options.outDir, { recursive: true });
    const script = load.script ? resolve(scenario.file, '..', load.script) : join(options.outDir, 'load.js');
    if (!load.script) writeFileSync(script, builtinScript(load));
    const out = join(options.outDir, 'k6-metrics.ndjson');
    writeFileSync(out, '');
    // A user's own script gets load.thresholds through a config file (its own options still win, as in k6).
    const thresholds = k6Thresholds(load);
    const config = join(options.outDir, 'k6-config.json');
    if (load.script && thresholds) writeFileSync(config, JSON.stringify({ thresholds }));
    const configArgs = load.script && thresholds ? ['--config', config] : [];
    const child = spawn(toolPath('k6'), ['run', '--quiet', '--no-usage-report', '--no-color', ...configArgs, '--out', `json=${out}`, script], {
      env: { ...process.env, ...this.env, TARGET_URL: stack.targetUrl, K6_NO_USAGE_REPORT: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const spawned = new Promise<void>((ok, fail) => {
      child.once('spawn', ok);
      child.once('error', (error) => fail(new InfraError(`cannot start k6 (${toolPath('k6')}): ${error.message}; run \`task tools\``)));
    });
    await spawned;
    options.bus.log('info', `k6: ${load.rate ? `${load.rate} req/s` : `${load.vus} VUs`} for ${load.duration / 1000}s against ${stack.targetUrl}`);

    const stream = new K6Stream();
    const tail = tailFile(out, (chunk) => stream.feed(chunk));
    let second = Math.floor(Date.now() / 1000) * 1000;
    const ticker = setInterval(() => {
      // Emit samples for whole seconds that have settled (k6 flushes every second).
      const settled = Date.now() - 2000;
      while (second + 1000 <= settled) {
        const s = stream.between(second, second + 999);
        options.bus.emit({ kind: 'sample', series: 'k6:rps', value: s.requests, t: second });
        options.bus.emit({ kind: 'sample', series: 'k6:error-rate', value: s.requests ? s.errorRate : 0, t: second });
        if (s.requests) options.bus.emit({ kind: 'sample', series: 'k6:p95-ms', value: Math.round(s.p95Ms), t: second });
        second += 1000;
      }
    }, 500);

    const done = new Promise<LoadOutcome>((ok, fail) => {
      child.once('exit', (code, signal) => {
        void tail.flush().then(() => {
          clearInterval(ticker);
          tail.stop();
          const total = stream.between(0, Number.MAX_SAFE_INTEGER);
          // 99: a load.threshold was crossed: a verdict, not an infrastructure error.
          const judged = judgeThresholds(load, total, code === 99);
          if (code === 0 || code === 99 || signal) ok({ requests: total.requests, failures: total.failures, ...(judged.length && { thresholds: judged }) });
          else fail(new InfraError(`k6 exited with ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
        });
      });
    });
    const onAbort = () => stopChild(child);
    options.signal.addEventListener('abort', onAbort, { once: true });
    return {
      metrics: stream,
      done,
      stop: async () => {
        options.signal.removeEventListener('abort', onAbort);
        stopChild(child);
        await done.catch(() => {});
      },
    };
  }
}

function stopChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
}

/** Follows a growing file, handing new text to `onChunk`. */
function tailFile(path: string, onChunk: (text: string) => void): { flush(): Promise<void>; stop(): void } {
  let offset = 0;
  let reading: Promise<void> = Promise.resolve();
  const read = () => {
    reading = reading.then(
      () =>
        new Promise<void>((done) => {
          if (!existsSync(path)) return done();
          const size = statSync(path).size;
          if (size <= offset) return done();
          const stream = createReadStream(path, { start: offset, end: size - 1, encoding: 'utf8' });
          stream.on('data', (chunk) => onChunk(chunk as string));
          stream.on('end', () => {
            offset = size;
            done();
          });
          stream.on('error', () => done());
        }),
    );
    return reading;
  };
  const timer = setInterval(read, 250);
  return { flush: read, stop: () => clearInterval(timer) };
}
