import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.ts';
import { kubectlTarget } from '../../../src/stack/kubectl.ts';
import { imagesIn } from '../../../src/stack/manifest-images.ts';
import { agentImage } from '../../../src/stack/sample.ts';
import { policiesIn, readManifests } from '../../../src/stack/manifests.ts';

describe("the user's manifests", () => {
  function tree() {
    const dir = mkdtempSync(join(tmpdir(), 'shakedown-manifests-'));
    mkdirSync(join(dir, 'app'));
    mkdirSync(join(dir, 'app', 'nested'));
    writeFileSync(join(dir, 'app', 'b-deploy.yaml'), 'kind: Deployment\nmetadata: {name: web}\n---\nkind: Service\nmetadata: {name: web}\n');
    writeFileSync(join(dir, 'app', 'a-policy.yml'), 'kind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n');
    writeFileSync(join(dir, 'app', 'c-pdb.json'), '{"kind": "PodDisruptionBudget", "metadata": {"name": "web"}}');
    writeFileSync(join(dir, 'app', 'README.md'), '# not a manifest\n');
    writeFileSync(join(dir, 'app', 'nested', 'skip.yaml'), 'kind: Secret\n');
    writeFileSync(join(dir, 'other.yaml'), 'kind: NetworkPolicy\nmetadata: {name: other, namespace: elsewhere}\n');
    return dir;
  }

  it('reads files and directories as kubectl apply -f does: manifest files of a directory in name order, not recursing', async () => {
    const dir = tree();
    const objects = await readManifests('s.yaml', [join(dir, 'app'), join(dir, 'other.yaml')]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['NetworkPolicy/deny', 'Deployment/web', 'Service/web', 'PodDisruptionBudget/web', 'NetworkPolicy/other']);
  });

  it('names a manifest that is not there by its place in the scenario', async () => {
    const dir = tree();
    const error = await readManifests('s.yaml', [join(dir, 'app'), join(dir, 'gone.yaml')], ['app', 'gone.yaml']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('s.yaml: stack.manifests[1]: gone.yaml not found');
  });

  it('puts declared NetworkPolicies in the stack namespace unless they name one', async () => {
    const objects = await readManifests('s.yaml', [join(tree(), 'app'), join(tree(), 'other.yaml')]);
    expect(policiesIn(objects, 'my-app').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['my-app/deny', 'elsewhere/other']);
  });

  it('kubectl is aimed at the named context when the cluster has one', () => {
    expect(kubectlTarget({ kubeconfig: '/k' })).toEqual(['--kubeconfig', '/k']);
    expect(kubectlTarget({ kubeconfig: '/k', context: 'prod-like' })).toEqual(['--kubeconfig', '/k', '--context', 'prod-like']);
  });

  it("the e2e tier's own stack runs the agent image this checkout builds", async () => {
    const objects = await readManifests('own-stack.yaml', ['test/e2e/scenarios/own-stack']);
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget']);
    expect(imagesIn(objects)).toEqual([{ image: agentImage(), pullsAlways: false }]);
  });
});
