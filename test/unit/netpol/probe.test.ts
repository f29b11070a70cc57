// The prober against a fake exec: which cells it probes, how it reads the
// agent's answer, and that a probe that cannot run is unknown, not denied.
import { describe, expect, it } from 'vitest';
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { toPolicy, whyUnusable } from '../../../src/netpol/live.ts';
import { classify, exitCodeOf, probeMatrix, type ExecOutcome, type PodExec, type ProbeTarget } from '../../../src/netpol/probe.ts';

const target = (key: string, extra: Partial<ProbeTarget> = {}): ProbeTarget => {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name, container: 'agent', ip: `10.0.0.${key.length}`, ports: [8080], ...extra };
};

/** Allows whatever `open` says; records the commands it ran. */
function fakeExec(open: (from: string, ip: string) => boolean | 'throw' | 'hang' | ExecOutcome): PodExec & { calls: string[] } {
  const calls: string[] = [];
  const fn = (async (t: ProbeTarget, command: string[], signal: AbortSignal) => {
    const from = `${t.namespace}/${t.name}`;
    calls.push(`${from} ${command.join(' ')}`);
    const verdict = open(from, command.at(-1)!);
    if (verdict === 'throw') throw new Error('pods "gone" not found');
    if (verdict === 'hang') return new Promise<ExecOutcome>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    if (typeof verdict === 'object') return verdict;
    return verdict ? { exitCode: 0, stdout: 'ok\n', stderr: '' } : { exitCode: 1, stdout: 'fail: dial tcp 10.0.0.9:8080: i/o timeout\n', stderr: '' };
  }) as PodExec & { calls: string[] };
  fn.calls = calls;
  return fn;
}

describe('classify', () => {
  it('reads the agent: ok is allowed, fail is denied, anything else unknown', () => {
    expect(classify({ exitCode: 0, stdout: 'ok\n', stderr: '' }).result).toBe('allowed');
    expect(classify({ exitCode: 1, stdout: 'fail: dial tcp 1.2.3.4:80: connect: connection refused\n', stderr: '' })).toEqual({ result: 'denied', detail: 'fail: dial tcp 1.2.3.4:80: connect: connection refused' });
    expect(classify({ exitCode: undefined, stdout: '', stderr: 'container not found ("agent")' })).toMatchObject({ result: 'unknown', detail: expect.stringContaining('container not found') });
    // exec: /agent not in the image: no verdict from the agent.
    expect(classify({ exitCode: 128, stdout: '', stderr: 'exec: "/agent": no such file' }).result).toBe('unknown');
    expect(classify({ exitCode: 0, stdout: '', stderr: '' }).result).toBe('unknown');
  });

  it('takes the exit code from the exec status', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '1' }] } })).toBe(1);
    expect(exitCodeOf({ status: 'Failure', message: 'container not found' })).toBeUndefined();
    expect(exitCodeOf(undefined)).toBeUndefined();
  });
});

describe('probeMatrix', () => {
  it('probes every ordered pair but self, on declared ports only, with the agent command', async () => {
    const pods = [target('a/x'), target('a/y'), target('b/z', { ports: [8080, 9090] })];
    const exec = fakeExec(() => true);
    const { cells } = await probeMatrix(pods, exec, { ports: [8080, 9090] });
    // 6 pairs on 8080, and 9090 only towards b/z (declared there): 2 more.
    expect(cells).toHaveLength(8);
    expect(cells.every((c) => c.result === 'allowed' && c.from !== c.to)).toBe(true);
    expect(exec.calls).toContain(`a/x /agent connect --timeout 1s ${pods[2]!.ip}:9090`);
  });

  it('probes only the cells asked for when given a set (settling re-probes a few cells, not the matrix)', async () => {
    const pods = [target('a/x'), target('a/y'), target('b/z', { ports: [8080, 9090] })];
    const exec = fakeExec(() => true);
    const { cells } = await probeMatrix(pods, exec, { ports: [8080, 9090], only: new Set(['a/x|b/z|9090', 'a/y|a/x|8080']) });
    expect(cells.map((c) => `${c.from}|${c.to}|${c.port}`).sort()).toEqual(['a/x|b/z|9090', 'a/y|a/x|8080']);
    expect(exec.calls).toHaveLength(2);
  });

  it('reports denied cells with what the agent said', async () => {
    const pods = [target('a/x'), target('b/z')];
    const { cells } = await probeMatrix(
      pods,
      fakeExec((from) => from === 'a/x'),
      { ports: [8080] },
    );
    expect(cells.find((c) => c.from === 'b/z')).toMatchObject({ result: 'denied', detail: expect.stringMatching(/^fail: /) });
    expect(cells.find((c) => c.from === 'a/x')).toMatchObject({ result: 'allowed' });
  });

  it('marks cells of an unusable or agent-less pod unknown without probing them', async () => {
    const pods = [target('a/x'), target('a/down', { unusable: 'node w2 is down' }), target('a/plain', { container: undefined }), target('a/noip', { ip: undefined })];
    const exec = fakeExec(() => true);
    const { cells } = await probeMatrix(pods, exec, { ports: [8080] });
    expect(cells).toHaveLength(12);
    const unknown = cells.filter((c) => c.result === 'unknown');
    // plain cannot probe but can be probed; noip can probe but cannot be reached.
    expect(
      cells
        .filter((c) => c.result === 'allowed')
        .map((c) => `${c.from}>${c.to}`)
        .sort(),
    ).toEqual(['a/noip>a/plain', 'a/noip>a/x', 'a/x>a/plain']);
    expect(unknown.find((c) => c.from === 'a/x' && c.to === 'a/down')?.detail).toBe('a/down: node w2 is down');
    expect(unknown.find((c) => c.from === 'a/plain' && c.to === 'a/x')?.detail).toBe('a/plain: no container with /agent');
    expect(unknown.find((c) => c.from === 'a/x' && c.to === 'a/noip')?.detail).toBe('a/noip: no IP');
    expect(exec.calls).toHaveLength(3);
  });

  it('a failing exec is unknown, never denied, and is not retried for every cell of that source', async () => {
    const pods = [target('a/gone'), target('a/x'), target('a/y'), target('a/w')];
    const exec = fakeExec((from) => (from === 'a/gone' ? 'throw' : true));
    const { cells } = await probeMatrix(pods, exec, { ports: [8080], concurrency: 1 });
    const fromGone = cells.filter((c) => c.from === 'a/gone');
    expect(fromGone).toHaveLength(3);
    expect(fromGone.every((c) => c.result === 'unknown' && /exec in a\/gone failed: pods "gone" not found/.test(c.detail ?? ''))).toBe(true);
    expect(exec.calls.filter((c) => c.startsWith('a/gone'))).toHaveLength(1);
    expect(cells.filter((c) => c.result === 'denied')).toEqual([]);
  });

  it('a denial towards a pod on a node where exec got no answer is unknown; an opening there still counts', async () => {
    const pods = [target('a/x', { node: 'w1' }), target('a/dead', { node: 'w2' }), target('a/also', { node: 'w2', ip: '10.0.9.9' }), target('a/open', { node: 'w2', ip: '10.0.9.8' })];
    // Pods on w2 cannot be exec'd into and time out as destinations, except one whose reply a stale path still gets.
    const exec = fakeExec((from, addr) => (from !== 'a/x' ? 'throw' : addr.startsWith('10.0.9.8')));
    const { cells } = await probeMatrix(pods, exec, { ports: [8080], concurrency: 1 });
    const fromX = (to: string) => cells.find((c) => c.from === 'a/x' && c.to === to)!;
    expect(fromX('a/also')).toMatchObject({ result: 'unknown', detail: expect.stringMatching(/^a\/also: node w2 looks unreachable \(exec into a\/\w+ there failed\)$/) });
    expect(fromX('a/open').result).toBe('allowed');
    expect(cells.filter((c) => c.result === 'denied')).toEqual([]);
  });

  it('says why a pod without an agent cannot probe, when the caller knows', async () => {
    const pods = [target('a/x'), target('a/user', { container: undefined, cannotProbe: 'probe container shakedown-probe-1: ErrImageNeverPull' })];
    const { cells } = await probeMatrix(
      pods,
      fakeExec(() => true),
      { ports: [8080] },
    );
    expect(cells.find((c) => c.from === 'a/user')).toMatchObject({ result: 'unknown', detail: 'a/user: probe container shakedown-probe-1: ErrImageNeverPull' });
    expect(cells.find((c) => c.from === 'a/x')).toMatchObject({ result: 'allowed' });
  });

  it('calls a node unreachable only when no exec there got any answer', async () => {
    const refused = Object.assign(new Event('error'), { message: 'Unexpected server response: 404' });
    const pods = [
      target('a/x', { node: 'w1' }),
      // w2: both sources time out or lose the connection.
      target('a/hung', { node: 'w2' }),
      target('a/lost', { node: 'w2' }),
      // w3: one source fails with no answer, another answers.
      target('a/hung3', { node: 'w3' }),
      target('a/fine3', { node: 'w3' }),
      // w4: the API refused the exec (pod gone): an answer, not silence.
      target('a/gone4', { node: 'w4' }),
    ];
    const exec: PodExec = async (t, _command, signal) => {
      if (t.name === 'hung' || t.name === 'hung3') return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      if (t.name === 'lost') throw new Error('socket hang up');
      if (t.name === 'gone4') throw refused;
      return { exitCode: 0, stdout: 'ok\n', stderr: '' };
    };
    const run = await probeMatrix(pods, exec, { ports: [8080], timeoutMs: 100 });
    expect([...run.unreachableNodes]).toEqual(['w2']);
    // Every node where some exec failed: denials into pods there are not trusted.
    expect([...run.failingNodes].sort()).toEqual(['w2', 'w3', 'w4']);
    expect(run.cells.find((c) => c.from === 'a/gone4')?.detail).toBe('exec in a/gone4 failed: Unexpected server response: 404');
  });

  it('a run aborted by its caller says nothing about nodes', async () => {
    const stop = new AbortController();
    const exec: PodExec = (_t, _command, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    setTimeout(() => stop.abort(new Error('stopped')), 20);
    const run = await probeMatrix([target('a/x', { node: 'w1' }), target('a/y', { node: 'w2' })], exec, { ports: [8080], signal: stop.signal, timeoutMs: 5000 });
    expect(run.unreachableNodes.size).toBe(0);
  });

  it('a probe that hangs times out as unknown', async () => {
    const pods = [target('a/slow'), target('a/x')];
    const started = Date.now();
    const { cells } = await probeMatrix(
      pods,
      fakeExec((from) => (from === 'a/slow' ? 'hang' : true)),
      { ports: [8080], timeoutMs: 200 },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(cells.find((c) => c.from === 'a/slow')).toMatchObject({ result: 'unknown', detail: 'exec in a/slow failed: no answer within 200 ms' });
  });

  it('runs at most `concurrency` probes at once', async () => {
    const pods = Array.from({ length: 6 }, (_, i) => target(`a/p${i}`));
    let running = 0;
    let peak = 0;
    const exec: PodExec = async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return { exitCode: 0, stdout: 'ok', stderr: '' };
    };
    const { cells } = await probeMatrix(pods, exec, { ports: [8080], concurrency: 3 });
    expect(cells).toHaveLength(30);
    expect(peak).toBe(3);
  });
});

describe('live objects into the model', () => {
  it('maps a NetworkPolicy as the client returns it (`_from`) onto the engine model', () => {
    const live: V1NetworkPolicy = {
      metadata: { name: 'backend-from-frontend', namespace: 'stack' },
      spec: {
        podSelector: { matchLabels: { app: 'backend' } },
        policyTypes: ['Ingress'],
        ingress: [
          { _from: [{ podSelector: { matchLabels: { app: 'frontend' } } }, { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] } }], ports: [{ port: 'http' }, { port: 9000, endPort: 9010, protocol: 'TCP' }] },
        ],
      },
    };
    expect(toPolicy(live)).toEqual({
      metadata: { name: 'backend-from-frontend', namespace: 'stack' },
      spec: {
        podSelector: { matchLabels: { app: 'backend' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'frontend' } } }, { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] } }],
            ports: [
              { port: 'http', protocol: 'TCP' },
              { port: 9000, endPort: 9010, protocol: 'TCP' },
            ],
          },
        ],
      },
    });
  });

  it('maps a declared (plain manifest) policy the same as the live one, `from` and defaults included', () => {
    const declared = {
      metadata: { name: 'b', namespace: 'stack' },
      spec: { podSelector: { matchLabels: { app: 'backend' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080 }] }] },
    };
    const live = { ...declared, spec: { ...declared.spec, ingress: [{ _from: declared.spec.ingress[0]!.from, ports: [{ port: 8080, protocol: 'TCP' }] }] } };
    expect(toPolicy(declared as unknown as V1NetworkPolicy)).toEqual(toPolicy(live as unknown as V1NetworkPolicy));
  });

  it('says why a pod cannot be probed', () => {
    const ready = { conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.0.0.1' };
    const pod = (spec: object, status: object, meta: object = {}): V1Pod => ({ metadata: { name: 'p', ...meta }, spec: { containers: [], nodeName: 'w1', ...spec }, status });
    expect(whyUnusable(pod({}, ready), new Set())).toBeUndefined();
    expect(whyUnusable(pod({}, ready), new Set(['w1']))).toBe('node w1 is down');
    expect(whyUnusable(pod({}, ready, { deletionTimestamp: new Date() }), new Set())).toBe('terminating');
    expect(whyUnusable(pod({}, { conditions: [] }), new Set())).toBe('no IP yet');
    expect(whyUnusable(pod({}, { podIP: '10.0.0.1', conditions: [] }), new Set())).toBe('not ready');
  });
});
