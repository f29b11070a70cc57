import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredTwice, lastWins, stackSources } from '../../../src/stack/declared-twice.ts';
import { defaultRegistries } from '../../../src/registries.ts';
import { planLines } from '../../../src/runner/plan.ts';
import { loadScenario } from '../../../src/scenario/loader.ts';

const np = (name: string, namespace?: string, tag = '') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, ...(namespace && { namespace }) }, spec: { tag } });

describe('an object declared twice', () => {
  it('is named with where each declaration is, and the last applied wins', () => {
    const lines = declaredTwice(
      [
        { origin: 'the sample stack', objects: [np('allow-frontend', 'shop'), np('deny-all', 'shop')] },
        { origin: 'app.yaml', objects: [np('allow-frontend'), np('own')] },
        { origin: 'more.yaml', objects: [np('own'), np('own')] },
      ],
      'shop',
    );
    expect(lines).toEqual([
      'NetworkPolicy shop/allow-frontend is declared in the sample stack and in app.yaml: the last one applied (app.yaml) wins, as on the cluster',
      'NetworkPolicy shop/own is declared in app.yaml and in more.yaml: the last one applied (more.yaml) wins, as on the cluster',
    ]);
  });

  it('keeps the later object where two share a kind, namespace and name; objects in other namespaces are others', () => {
    const kept = lastWins([np('a', undefined, 'first'), np('a', 'other', 'elsewhere'), np('a', 'shop', 'second')], 'shop');
    expect(kept.map((o) => `${o.metadata.namespace ?? '-'}:${o.spec.tag}`)).toEqual(['shop:second', 'other:elsewhere']);
  });

  it("says so in the plan, under the stack step, for a scenario whose manifests redeclare a sample's policy", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shk-twice-'));
    writeFileSync(join(dir, 'app.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: backend-from-frontend\nspec:\n  podSelector: {}\n');
    writeFileSync(
      join(dir, 'scenario.yaml'),
      'apiVersion: shakedown.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: twice\nstack:\n  sample: true\n  manifests: [app.yaml]\nfaults:\n  - id: kill\n    type: pod-kill\n    at: 5s\n    params: {selector: app=backend}\nassertions:\n  - type: recovered-within\n',
    );
    const scenario = await loadScenario(join(dir, 'scenario.yaml'), defaultRegistries);
    const notes = declaredTwice(await stackSources(scenario, dir), scenario.stack.namespace);
    expect(notes).toEqual([`NetworkPolicy ${scenario.stack.namespace}/backend-from-frontend is declared in the sample stack and in app.yaml: the last one applied (app.yaml) wins, as on the cluster`]);
    const plan = planLines(scenario, defaultRegistries, { stackNotes: notes });
    const stack = plan.findIndex((l) => /^\s+\d+\. stack:/.test(l));
    expect(plan[stack + 1]?.trim()).toBe(notes[0]);
  });
});
