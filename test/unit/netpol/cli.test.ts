import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { netpolCommand } from '../../../src/cli/commands/netpol.ts';
import { InputError, UsageError } from '../../../src/errors.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/netpol/${name}`, import.meta.url));

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await netpolCommand(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('netpol expect --format json', () => {
  it('prints every ordered pair for every default port, in the exact shape', async () => {
    const { code, stdout } = await run('expect', '--manifests', fixture('web-db.yaml'), '--format', 'json');
    expect(code).toBe(0);
    const { cells } = JSON.parse(stdout) as { cells: Record<string, unknown>[] };
    // 3 pods -> 9 ordered pairs (self included) x default ports 5432 and 8080.
    expect(cells).toHaveLength(18);
    for (const cell of cells) expect(Object.keys(cell)).toEqual(['from', 'to', 'port', 'protocol', 'allowed']);
    expect(cells.slice(0, 3)).toEqual([
      { from: 'monitoring/prometheus', to: 'monitoring/prometheus', port: 5432, protocol: 'TCP', allowed: true },
      { from: 'monitoring/prometheus', to: 'monitoring/prometheus', port: 8080, protocol: 'TCP', allowed: true },
      { from: 'monitoring/prometheus', to: 'prod/db', port: 5432, protocol: 'TCP', allowed: false },
    ]);
    const find = (from: string, to: string, port: number) => cells.find((c) => c.from === from && c.to === to && c.port === port)?.allowed;
    expect(find('prod/web', 'prod/db', 5432)).toBe(true); // named port "pg"
    expect(find('monitoring/prometheus', 'prod/web', 8080)).toBe(true);
    expect(find('monitoring/prometheus', 'prod/db', 5432)).toBe(false);
    expect(find('prod/db', 'prod/web', 8080)).toBe(false);
  });

  it('honours --port and --protocol, repeatable', async () => {
    const { stdout } = await run('expect', '--manifests', fixture('web-db.yaml'), '--format', 'json', '--port', '53', '--port', '8080', '--protocol', 'UDP', '--protocol', 'tcp');
    const { cells } = JSON.parse(stdout) as { cells: { port: number; protocol: string }[] };
    expect(cells).toHaveLength(9 * 2 * 2);
    expect(cells.slice(0, 4).map((c) => `${c.port}/${c.protocol}`)).toEqual(['53/TCP', '53/UDP', '8080/TCP', '8080/UDP']);
  });

  it('adds reasons with --explain', async () => {
    const { stdout } = await run('expect', '--manifests', fixture('no-ports.yaml'), '--format', 'json', '--explain');
    const { cells } = JSON.parse(stdout) as { cells: { from: string; to: string; reason: string }[] };
    expect(cells.find((c) => c.from === 'lab/a' && c.to === 'lab/b')?.reason).toBe('egress: not isolated; ingress: allowed by lab/server-from-client');
    expect(cells.find((c) => c.from === 'lab/b' && c.to === 'lab/b')?.reason).toBe("loopback: a pod's traffic to itself follows no policy");
  });

  it('allows self traffic by default; --judge-self judges it by the policies', async () => {
    const self = async (...extra: string[]) => {
      const { stdout } = await run('expect', '--manifests', fixture('no-ports.yaml'), '--format', 'json', '--explain', ...extra);
      const { cells } = JSON.parse(stdout) as { cells: { from: string; to: string; allowed: boolean; reason: string }[] };
      return cells.find((c) => c.from === 'lab/b' && c.to === 'lab/b');
    };
    expect((await self())?.allowed).toBe(true);
    expect(await self('--judge-self')).toMatchObject({
      allowed: false,
      reason: 'ingress: denied, isolated by lab/server-from-client and no rule matches',
    });
  });
});

describe('netpol expect --format table', () => {
  it('draws a from-by-to grid per port with a legend (default port 80 when pods declare none)', async () => {
    const { code, stdout } = await run('expect', '--manifests', fixture('no-ports.yaml'), '--format', 'table');
    expect(code).toBe(0);
    expect(stdout).toBe(['Expected reachability (rows = from, columns = to; ✓ allowed, ✗ denied)', '', '80/TCP:', 'from \\ to   1  2', '1 lab/a     ✓  ✓', '2 lab/b     ✓  ✓', ''].join('\n'));
  });

  it('shows the self cell denied with --judge-self', async () => {
    const { stdout } = await run('expect', '--manifests', fixture('no-ports.yaml'), '--judge-self');
    expect(stdout).toContain('2 lab/b     ✓  ✗\n');
  });

  it('is the default format', async () => {
    const { stdout } = await run('expect', '--manifests', fixture('web-db.yaml'));
    expect(stdout).toContain('5432/TCP:');
    expect(stdout).toContain('8080/TCP:');
    expect(stdout).toContain('3 prod/web');
  });
});

describe('netpol expect: rejected input', () => {
  it.each([
    ['bad-operator.yaml', 'documents[3].spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: unknown operator "Inn" (expected In, NotIn, Exists, DoesNotExist)'],
    ['bad-protocol.yaml', 'documents[0].spec.ingress[0].ports[0].protocol: unsupported protocol "ICMP" (expected TCP, UDP, SCTP)'],
    ['missing-namespace.yaml', 'documents[1].metadata.namespace: missing namespace'],
    ['bad-yaml.yaml', 'documents[0]: invalid YAML at line '],
    ['unknown-kind.yaml', 'documents[1].kind: unknown kind "Deployment"'],
  ])('%s', async (name, expected) => {
    const error = await run('expect', '--manifests', fixture(name), '--format', 'json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).message).toContain(`${fixture(name)}: ${expected}`);
  });

  it('a missing manifest file is an InputError naming it', async () => {
    const error = await run('expect', '--manifests', fixture('nope.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('nope.yaml: cannot read file');
  });

  it.each([
    [[], /missing subcommand/],
    [['expect'], /--manifests is required/],
    [['check', '--manifests', 'x'], /unknown subcommand "check"/],
    [['expect', '--manifests', 'x', '--format', 'yaml'], /--format must be table or json/],
    [['expect', '--manifests', 'x', '--port', 'http'], /--port must be a number/],
    [['expect', '--manifests', 'x', '--port', '0'], /--port must be a number/],
    [['expect', '--manifests', 'x', '--protocol', 'ICMP'], /--protocol must be one of TCP, UDP, SCTP/],
    [['expect', '--manifest', 'x'], /Unknown option/],
    [['expect', '--manifests', 'x', '--allow-self'], /Unknown option '--allow-self'/],
  ])('usage error for %j', async (argv, pattern) => {
    const error = await run(...argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(pattern);
  });

  it('--help prints usage', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('netpol expect --manifests FILE');
    expect(stdout).toContain('--judge-self');
    expect(stdout).not.toContain('--allow-self');
  });
});
