// From the fault to the report: what spot-drain records is enough for the
// report to tell the drain and mark its moments.
import { describe, expect, it } from 'vitest';
import { spotDrain } from '../../../src/faults/spot-drain/index.ts';
import { faultStory } from '../../../src/report/details/story.ts';
import { sleep } from '../../../src/core/abort.ts';
import { FakeKube, FakeNodes } from '../../support/fakes.ts';
import { faultContext, pod } from '../faults/support.ts';

function world() {
  const kube = new FakeKube(['cp', 'w1', 'w2', 'spare']);
  const spare = kube.nodes.find((n) => n.name === 'spare')!;
  spare.labels['shakedown.dev/role'] = 'spare';
  spare.taints = [{ key: 'shakedown.dev/spare', value: 'true', effect: 'NoSchedule' }];
  kube.pods = [pod('web-1', 'w1'), pod('web-2', 'w1'), pod('api-1', 'w1')];
  return { kube, nodes: new FakeNodes(['cp', 'w1', 'w2', 'spare']) };
}

describe('spot-drain details, as the report tells them', () => {
  it('records the notice, the end of the drain, the termination and the Ready replacement', async () => {
    const { kube, nodes } = world();
    // Refused twice: retried after 0.5 s and 0.75 s, well within the notice.
    kube.blocked.set('web-2', 2);
    const { ctx, details, params } = faultContext(spotDrain, { notice: '2s' }, { kube, nodes });
    const before = Date.now();
    await spotDrain.inject(ctx, params);
    await sleep(20);
    const noticeAt = details.noticeAt as number;
    expect(noticeAt).toBeGreaterThanOrEqual(before);
    expect(details.drainedAt as number).toBeGreaterThanOrEqual(noticeAt);
    expect(details.terminatedAt as number).toBeGreaterThanOrEqual(details.drainedAt as number);
    expect(details.replacementReadyAt as number).toBeGreaterThanOrEqual(noticeAt);
    expect(details.terminate).toBe('stop');

    const story = faultStory({ id: 'f1', type: 'spot-drain', at: 0, state: 'active', details }, before);
    expect(story.moments.map((m) => m.label).sort()).toEqual(['1st eviction', 'drained', 'notice', 'replacement Ready', 'terminated']);
    expect(story.facts.find((f) => f.label === 'Drain')!.value).toMatch(/^drained in \d+(ms|\.?\d*s): 3 evicted$/);
    expect(story.facts.find((f) => f.label === 'Replacement')!.value).toMatch(/^spare \(the spare\), Ready at /);
    const web2 = story.tables[0]!.rows.find((r) => r[0] === 'stack/web-2')!;
    expect(web2.slice(1, 4)).toEqual(['evicted', '3', 'web: needs 2 healthy pods and has 2 currently']);
  });

  it('notes a replacement that is not Ready yet once it reports Ready, without holding up the drain', async () => {
    const { kube, nodes } = world();
    kube.nodes.find((n) => n.name === 'spare')!.ready = false;
    setTimeout(() => {
      kube.nodes.find((n) => n.name === 'spare')!.ready = true;
    }, 300);
    const { ctx, details, params } = faultContext(spotDrain, { notice: '3s' }, { kube, nodes });
    const injected = spotDrain.inject(ctx, params);
    await sleep(200);
    expect(details.drainedAt).toBeDefined();
    expect(details.replacementReadyAt).toBeUndefined();
    await injected;
    expect(details.replacementReadyAt as number).toBeGreaterThan(details.noticeAt as number);
  });

  it('records no end of drain when a budget never lets it finish', async () => {
    const { kube, nodes } = world();
    kube.blocked.set('web-1', 1000);
    const { ctx, details, params } = faultContext(spotDrain, { notice: '1s', replacement: false }, { kube, nodes });
    await spotDrain.inject(ctx, params);
    expect(details.drainedAt).toBeUndefined();
    const story = faultStory({ id: 'f1', type: 'spot-drain', at: 0, state: 'active', details }, details.noticeAt as number);
    expect(story.facts.find((f) => f.label === 'Drain')!.value).toBe('not finished: 1 of 3 pods still on the node at the deadline (2 evicted, 1 lost with the node)');
  });
});
