import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { targetProblem } from '../../../src/stack/target-check.ts';

const service = (selector: Record<string, string>, port = 80): V1Service => ({ metadata: { name: 'web' }, spec: { selector, ports: [{ port }] } });
const pod = (app: string): V1Pod => ({ metadata: { name: `${app}-1`, labels: { app } } });
const target = { service: 'web', port: 80 };

describe('the load target, checked before any load', () => {
  it('is fine with a Ready endpoint', () => {
    expect(targetProblem(target, 'shop', { service: service({ app: 'web' }), services: ['web'], readyEndpoints: 2, pods: [pod('web')] })).toBeUndefined();
  });

  it('names a Service that is not there, and the nearest that is', () => {
    expect(targetProblem({ service: 'wbe', port: 80 }, 'shop', { services: ['web', 'db'], readyEndpoints: 0, pods: [] })).toEqual({ text: 'load.target.service: no Service wbe in shop; did you mean web?', missing: true });
    expect(targetProblem({ service: 'api', port: 80 }, 'shop', { services: ['web'], readyEndpoints: 0, pods: [] })?.text).toBe('load.target.service: no Service api in shop (services: web)');
  });

  it('names a port the Service does not have', () => {
    expect(targetProblem({ service: 'web', port: 8080 }, 'shop', { service: service({ app: 'web' }), services: ['web'], readyEndpoints: 1, pods: [] })).toEqual({
      text: 'load.target.port: Service shop/web has no port 8080 (ports: 80)',
      missing: true,
    });
  });

  it('says a selector matches no pod, and the label the pods carry', () => {
    expect(targetProblem(target, 'shop', { service: service({ app: 'wbe' }), services: ['web'], readyEndpoints: 0, pods: [pod('web'), pod('db')] })).toEqual({
      text: "Service shop/web (load.target.service) has no Ready endpoint: its selector app=wbe matches no pod; pods carry app=web: set the Service's spec.selector to it",
      missing: false,
    });
  });

  it('says its pods are there but not Ready', () => {
    expect(targetProblem(target, 'shop', { service: service({ app: 'web' }), services: ['web'], readyEndpoints: 0, pods: [pod('web'), pod('web')] })?.text).toBe(
      'Service shop/web (load.target.service) has no Ready endpoint: its 2 pods are not Ready',
    );
  });
});
