#!/usr/bin/env node
// Entry point, in plain JavaScript so that any Node can read it: the sources
// are TypeScript, which Node runs directly from 22.18 (type stripping). An
// older Node hands over to the project's own (.tools/bin/node, made by
// `task deps`) or says which Node is needed, before any .ts is imported.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 18)) {
  import('../src/cli/main.ts').then(({ runCli }) => runCli(process.argv.slice(2)));
} else {
  handOver();
}

function handOver() {
  const projectNode = fileURLToPath(new URL('../.tools/bin/node', import.meta.url));
  // The marker stops a loop should .tools/bin/node itself be too old.
  const usable = existsSync(projectNode) && !process.env.SHAKEDOWN_LAUNCHED_BY && realpathSync(projectNode) !== realpathSync(process.execPath);
  if (!usable) {
    process.stderr.write(`shakedown: needs Node.js >= 22.18 (this is ${process.version}, ${process.execPath}); run \`task deps\` or \`bash scripts/ensure-node.sh\` in ${fileURLToPath(new URL('..', import.meta.url))} to get it as .tools/bin/node\n`);
    process.exit(3);
  }
  const child = spawn(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, SHAKEDOWN_LAUNCHED_BY: process.execPath },
  });
  // Ctrl-C reaches the child from the terminal itself (same process group),
  // and a second SIGINT makes it exit at once, so SIGINT is not passed on;
  // signals sent to this process alone are.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`shakedown: cannot start ${projectNode}: ${error.message}\n`);
    process.exit(3);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
