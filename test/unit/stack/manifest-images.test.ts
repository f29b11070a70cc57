import { describe, expect, it } from 'vitest';
import { defaultPullsAlways, imagesIn } from '../../../src/stack/manifest-images.ts';
import { objectsIn } from '../../../src/stack/manifests.ts';

const podSpec = (containers: object[], initContainers: object[] = []) => ({ containers, ...(initContainers.length && { initContainers }) });
const template = (spec: object) => ({ template: { metadata: { labels: { app: 'x' } }, spec } });

describe('images a stack runs, from its manifests', () => {
  it('finds containers and init containers in every kind of workload, each image once, init containers first as a pod starts them', () => {
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', spec: template(podSpec([{ name: 'web', image: 'shop/web:1.2', imagePullPolicy: 'IfNotPresent' }], [{ name: 'migrate', image: 'shop/migrate:1.2' }])) },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', spec: template(podSpec([{ name: 'db', image: 'postgres:17' }])) },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', spec: template(podSpec([{ name: 'agent', image: 'registry.example.com:5000/ops/agent@sha256:abc' }])) },
      { apiVersion: 'batch/v1', kind: 'Job', spec: template(podSpec([{ name: 'once', image: 'busybox' }])) },
      { apiVersion: 'batch/v1', kind: 'CronJob', spec: { schedule: '* * * * *', jobTemplate: { spec: template(podSpec([{ name: 'tick', image: 'shop/tick:latest' }])) } } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        spec: podSpec([
          { name: 'web', image: 'shop/web:1.2' },
          { name: 'side', image: 'shop/side:2', imagePullPolicy: 'Always' },
        ]),
      },
      { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', data: { containers: 'image: not-an-image:1' } },
    ];
    expect(imagesIn(objects)).toEqual([
      { image: 'shop/migrate:1.2', pullsAlways: false },
      { image: 'shop/web:1.2', pullsAlways: false },
      { image: 'postgres:17', pullsAlways: false },
      { image: 'registry.example.com:5000/ops/agent@sha256:abc', pullsAlways: false },
      { image: 'busybox', pullsAlways: true },
      { image: 'shop/tick:latest', pullsAlways: true },
      { image: 'shop/side:2', pullsAlways: true },
    ]);
  });

  it('reads a multi-document file and the items of a List', () => {
    const text = [
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: ReplicaSet\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: "a:1"}]',
      'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: b, image: "b:1"}]',
      '',
    ].join('\n---\n');
    expect(imagesIn(objectsIn(text)).map((u) => u.image)).toEqual(['a:1', 'b:1']);
  });

  it('an image one container pulls always is pulled always, whatever the others say', () => {
    const objects = [
      {
        kind: 'Pod',
        spec: podSpec([
          { image: 'x:1', imagePullPolicy: 'IfNotPresent' },
          { image: 'x:1', imagePullPolicy: 'Always' },
        ]),
      },
    ];
    expect(imagesIn(objects)).toEqual([{ image: 'x:1', pullsAlways: true }]);
  });

  it.each([
    ['nginx', true],
    ['nginx:latest', true],
    ['nginx:1.27', false],
    ['localhost:5000/nginx', true],
    ['localhost:5000/nginx:1', false],
    ['nginx@sha256:0123', false],
  ])("Kubernetes' default pull policy for %s is Always: %s", (image, always) => {
    expect(defaultPullsAlways(image)).toBe(always);
  });
});
