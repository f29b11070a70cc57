// `shakedown netpol expect`: print the reachability matrix NetworkPolicies
// should produce for the pods and policies in a manifest file.
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { expectedReachability } from '../../netpol/engine.ts';
import { loadManifests } from '../../netpol/manifests.ts';
import { PROTOCOLS } from '../../netpol/model.ts';
import type { Cluster, Protocol } from '../../netpol/model.ts';
import { renderJson, renderTable } from '../../netpol/render.ts';

const USAGE = `Usage: shakedown netpol expect --manifests FILE [--port N ...] [--protocol TCP|UDP|SCTP ...]
                               [--format table|json] [--explain] [--judge-self]

  --manifests FILE   YAML with Namespaces, Pods and NetworkPolicies (multi-document)
  --port N           port to evaluate; repeatable (default: every containerPort in the pods, else 80)
  --protocol P       TCP, UDP or SCTP; repeatable (default: TCP)
  --format F         table (default) or json
  --explain          add the deciding policies to each cell
  --judge-self       judge a pod's traffic to itself by the policies like any other pair
                     (default: always allowed; loopback follows no policy, as in upstream e2e)
`;

export interface Output {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** `argv` is what follows `netpol` on the command line. */
export async function netpolCommand(argv: string[], out: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        manifests: { type: 'string' },
        port: { type: 'string', multiple: true },
        protocol: { type: 'string', multiple: true },
        format: { type: 'string', default: 'table' },
        explain: { type: 'boolean', default: false },
        'judge-self': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.stdout(USAGE);
    return 0;
  }
  const [sub, ...extra] = positionals;
  if (sub !== 'expect') throw new UsageError(`${sub === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(sub)}`}\n${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (values.manifests === undefined) throw new UsageError(`--manifests is required\n${USAGE}`);
  if (values.format !== 'table' && values.format !== 'json') {
    throw new UsageError(`--format must be table or json, not ${JSON.stringify(values.format)}`);
  }

  const protocols = (values.protocol ?? ['TCP']).map(parseProtocol);
  const requestedPorts = (values.port ?? []).map(parsePort);
  const cluster = await loadManifests(values.manifests);
  const ports = requestedPorts.length > 0 ? requestedPorts : defaultPorts(cluster);

  const cells = expectedReachability(cluster, { ports, protocols, allowSelf: !values['judge-self'] });
  out.stdout(values.format === 'json' ? renderJson(cells, values.explain) : renderTable(cells, values.explain));
  return 0;
}

function parseProtocol(text: string): Protocol {
  const upper = text.toUpperCase();
  const found = PROTOCOLS.find((p) => p === upper);
  if (!found) throw new UsageError(`--protocol must be one of ${PROTOCOLS.join(', ')}, not ${JSON.stringify(text)}`);
  return found;
}

function parsePort(text: string): number {
  const port = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a number from 1 to 65535, not ${JSON.stringify(text)}`);
  return port;
}

/** Every distinct containerPort the pods declare, else 80. */
export function defaultPorts(cluster: Cluster): number[] {
  const ports = [...new Set(cluster.pods.flatMap((pod) => pod.ports.map((p) => p.containerPort)))].sort((a, b) => a - b);
  return ports.length > 0 ? ports : [80];
}
