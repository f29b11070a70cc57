// The built-in k6 script: HTTP GETs against the stack's target URL, at a
// constant arrival rate when the scenario sets one, else with fixed VUs.
// Short timeouts so an outage shows up as errors within the second.
import type { LoadSpecT } from '../scenario/schema.ts';
import { k6Thresholds } from './thresholds.ts';

export function builtinScript(load: LoadSpecT): string {
  const seconds = Math.max(1, Math.round(load.duration / 1000));
  const executor = load.rate
    ? { executor: 'constant-arrival-rate', rate: load.rate, timeUnit: '1s', duration: `${seconds}s`, preAllocatedVUs: load.vus, maxVUs: Math.max(load.vus, load.rate) }
    : { executor: 'constant-vus', vus: load.vus, duration: `${seconds}s` };
  return `import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  scenarios: { shakedown: ${JSON.stringify(executor)} },
  // load.thresholds, judged by k6 over the whole run; shakedown judges each fault window itself.
  thresholds: ${JSON.stringify(k6Thresholds(load) ?? {})},
  noConnectionReuse: false,
  discardResponseBodies: true,
};

export default function () {
  http.get(__ENV.TARGET_URL, { timeout: '2s', tags: { name: 'target' } });
  ${load.rate ? '' : 'sleep(0.1);'}
}
`;
}
