// `shakedown preflight`: will an upgrade's rolling drain go through on this
// cluster, and does anything break on the target version? Read-only: it
// lists, and sends only dry-run evictions. It never guesses the cluster:
// the context must be named.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { ExitCode, UsageError } from '../../errors.ts';
import { parseKubeVersion, type KubeVersion } from '../../preflight/k8s-version.ts';
import { scanManifests } from '../../preflight/manifest-apis.ts';
import { renderJson } from '../../preflight/render-json.ts';
import { renderJunit } from '../../preflight/render-junit.ts';
import { renderTable } from '../../preflight/render-table.ts';
import { liveCluster, runPreflight, type PreflightCluster } from '../../preflight/run.ts';
import type { CliIo } from '../io.ts';

export const PREFLIGHT_USAGE = `Usage: shakedown preflight --context NAME [--kubeconfig FILE] [--target-version v1.35]
                          [--manifests DIR] [--namespace NS ...] [--format table|json|junit] [--all]

  Simulates the rolling drain of an upgrade (control plane, then workers, one node
  at a time) against the cluster as it is, and checks it for the target version.
  Read-only: lists, GET /version and /metrics, and dry-run evictions.

  --context NAME         kubeconfig context of the cluster (required)
  --kubeconfig FILE      default: $KUBECONFIG, else ~/.kube/config
  --target-version V     the version to upgrade to (v1.35 or v1.35.4): adds version skew,
                         removed APIs in --manifests, and the apiserver's deprecated-API metric
  --manifests DIR        YAML/JSON manifests (a file or a directory; helm-rendered output too)
  --namespace NS         report findings for these namespaces only (repeatable; all pods still count)
  --format F             table (default), json or junit
  --all                  table: list every eviction, not only the ones with a problem

Exit codes: 0 no blocker, 1 a blocker, 2 bad input, 3 the cluster could not be read.
`;

const FORMATS = ['table', 'json', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export interface PreflightArgs {
  context: string;
  kubeconfig?: string;
  target?: KubeVersion;
  manifests?: string;
  namespaces?: string[];
  format: Format;
  all: boolean;
}

/** The command line, checked: every mistake is exit 2 before the cluster is touched. */
export function parsePreflightArgs(argv: string[], cwd: string): PreflightArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        'target-version': { type: 'string' },
        manifests: { type: 'string' },
        namespace: { type: 'string', multiple: true },
        format: { type: 'string', default: 'table' },
        all: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${PREFLIGHT_USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!v.context) throw new UsageError(`preflight needs --context NAME: it reads only the cluster you name, never the current context\n${PREFLIGHT_USAGE}`);
  if (!(FORMATS as readonly string[]).includes(v.format)) throw new UsageError(`--format must be table, json or junit, not ${JSON.stringify(v.format)}`);
  let target: KubeVersion | undefined;
  if (v['target-version'] !== undefined) {
    target = parseKubeVersion(v['target-version']);
    if (!target || target.major !== 1) throw new UsageError(`--target-version must look like v1.35 or v1.35.4, not ${JSON.stringify(v['target-version'])}`);
  }
  if (v.manifests !== undefined) {
    if (!target) throw new UsageError('--manifests is checked against a target: add --target-version');
    if (!existsSync(resolve(cwd, v.manifests))) throw new UsageError(`--manifests ${v.manifests}: no such file or directory`);
  }
  return {
    context: v.context,
    format: v.format as Format,
    all: v.all,
    ...(v.kubeconfig && { kubeconfig: resolve(cwd, v.kubeconfig) }),
    ...(target && { target }),
    ...(v.manifests && { manifests: resolve(cwd, v.manifests) }),
    ...(v.namespace?.length && { namespaces: v.namespace }),
  };
}

/** The kubeconfig, aimed at the named context; a context it lacks is bad input. */
export function loadContext(args: Pick<PreflightArgs, 'context' | 'kubeconfig'>, env: NodeJS.ProcessEnv): KubeConfig {
  const config = new KubeConfig();
  const file = args.kubeconfig ?? env.KUBECONFIG;
  try {
    if (args.kubeconfig) config.loadFromFile(args.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new UsageError(`cannot read kubeconfig ${file ?? '~/.kube/config'}: ${(error as Error).message}`);
  }
  if (!config.getContextObject(args.context)) {
    const known = config.getContexts().map((c) => c.name);
    throw new UsageError(`context ${JSON.stringify(args.context)} is not in kubeconfig ${file ?? '~/.kube/config'}${known.length ? ` (it has: ${known.join(', ')})` : ''}`);
  }
  config.setCurrentContext(args.context);
  return config;
}

export async function preflightCommand(argv: string[], io: CliIo, connect: (config: KubeConfig) => PreflightCluster = liveCluster): Promise<number> {
  const args = parsePreflightArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout.write(PREFLIGHT_USAGE);
    return ExitCode.passed;
  }
  const config = loadContext(args, io.env);
  const manifests = args.manifests && args.target ? scanManifests(args.manifests, args.target.minor) : undefined;
  const report = await runPreflight(connect(config), {
    context: args.context,
    ...(args.namespaces && { namespaces: args.namespaces }),
    ...(args.target && { target: args.target }),
    ...(manifests && { manifests }),
  });
  const code = report.blockers > 0 ? ExitCode.assertionFailed : ExitCode.passed;
  io.stdout.write(args.format === 'json' ? renderJson(report, code) : args.format === 'junit' ? renderJunit(report) : renderTable(report, { all: args.all }));
  return code;
}
