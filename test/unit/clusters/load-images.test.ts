// Images put into kind nodes' containerd over the Docker API: skipped where
// the node already holds them or is no local container, imported otherwise,
// and a failed import is exit 3 with what ctr said.
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../src/core/events.ts';
import { InfraError } from '../../../src/errors.ts';

const notFound = (what: string) => Object.assign(new Error(`(HTTP code 404) no such container - No such container: ${what} `), { statusCode: 404 });
const fake = vi.hoisted(() => ({
  local: new Set<string>(),
  /** node -> containerd names it holds; a node not here is no container. */
  nodes: new Map<string, Set<string>>(),
  imports: [] as { node: string; command: string[]; archive: string }[],
  importAnswer: { exitCode: 0, stdout: 'unpacking...done\n', stderr: '' },
}));
vi.mock('../../../src/clusters/kind/engine.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/clusters/kind/engine.ts')>()),
  dockerImagePresent: async (image: string) => fake.local.has(image),
  execIn: async (node: string, command: string[]) => {
    const held = fake.nodes.get(node);
    if (!held) throw notFound(node);
    const name = command.at(-1)!.replace(/^name==/, '');
    return { exitCode: 0, stdout: held.has(name) ? `${name}\n` : '', stderr: '' };
  },
  imageArchive: async (image: string) => Readable.from([`tar of ${image}`]),
  execWithInput: async (node: string, command: string[], input: Readable) => {
    let archive = '';
    for await (const chunk of input) archive += chunk;
    fake.imports.push({ node, command, archive });
    return fake.importAnswer;
  },
}));
const { containerdName, loadLocalImages } = await import('../../../src/clusters/kind/load-images.ts');

beforeEach(() => {
  fake.local = new Set(['shakedown/agent:1']);
  fake.nodes = new Map([
    ['shk-control-plane', new Set<string>()],
    ['shk-worker', new Set([containerdName('shakedown/agent:1')])],
  ]);
  fake.imports.length = 0;
  fake.importAnswer = { exitCode: 0, stdout: 'unpacking...done\n', stderr: '' };
});

function logged(bus: EventBus): string[] {
  const lines: string[] = [];
  bus.on((e) => e.kind === 'log' && lines.push(e.message));
  return lines;
}

describe('loading local images into kind nodes', () => {
  it('imports into nodes that lack the image, streaming docker save into ctr import with --digests', async () => {
    const bus = new EventBus();
    const log = logged(bus);
    expect(await loadLocalImages(['shakedown/agent:1', 'registry.example/other:2'], ['shk-control-plane', 'shk-worker'], bus)).toEqual(['registry.example/other:2']);
    expect(fake.imports).toEqual([{ node: 'shk-control-plane', command: ['ctr', '-n', 'k8s.io', 'images', 'import', '--digests', '-'], archive: 'tar of shakedown/agent:1' }]);
    expect(log).toContain('loaded shakedown/agent:1 into shk-control-plane');
  });

  it('leaves nodes that are no container here to pull for themselves', async () => {
    const bus = new EventBus();
    const log = logged(bus);
    await loadLocalImages(['shakedown/agent:1'], ['remote-node'], bus);
    expect(fake.imports).toEqual([]);
    expect(log).toContain('node remote-node is not a local container; it will pull shakedown/agent:1 itself');
  });

  it('fails with exit 3 and what ctr said when the import fails', async () => {
    fake.importAnswer = { exitCode: 1, stdout: '', stderr: 'ctr: failed to ingest: no space left on device\n' };
    const error = await loadLocalImages(['shakedown/agent:1'], ['shk-control-plane'], new EventBus()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    expect((error as InfraError).message).toBe('loading shakedown/agent:1 into node shk-control-plane failed: ctr: failed to ingest: no space left on device');
  });
});
