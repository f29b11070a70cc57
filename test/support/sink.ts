// A sink on this machine for testing the fence: a network namespace behind
// a veth pair (host 203.0.113.1/24, sink 203.0.113.10/24) with a tiny TCP
// server that answers SINK. Traffic aimed at it never leaves the machine.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export const SINK_IP = '203.0.113.10';
const NS = 'shk-sink';
const HOST_IF = 'shk-sink-h';
const SINK_IF = 'shk-sink-s';

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export class Sink {
  server?: ChildProcess;

  start(): void {
    this.stop();
    sh('ip', ['netns', 'add', NS]);
    sh('ip', ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', SINK_IF]);
    sh('ip', ['link', 'set', SINK_IF, 'netns', NS]);
    sh('ip', ['addr', 'add', '203.0.113.1/24', 'dev', HOST_IF]);
    sh('ip', ['link', 'set', HOST_IF, 'up']);
    sh('ip', ['netns', 'exec', NS, 'ip', 'addr', 'add', `${SINK_IP}/24`, 'dev', SINK_IF]);
    sh('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', SINK_IF, 'up']);
    sh('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
    sh('ip', ['netns', 'exec', NS, 'ip', 'route', 'add', 'default', 'via', '203.0.113.1']);
    const server = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("${SINK_IP}", 80)); s.listen(16)
while True:
    c, _ = s.accept()
    try:
        c.recv(1024); c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nSINK\\n")
    finally:
        c.close()
`;
    this.server = spawn('ip', ['netns', 'exec', NS, 'python3', '-c', server], { stdio: 'ignore' });
  }

  /** The route to the sink goes out of its veth, not the default gateway. */
  routedLocally(): boolean {
    return sh('ip', ['route', 'get', SINK_IP]).includes(`dev ${HOST_IF}`);
  }

  stop(): void {
    this.server?.kill();
    try {
      sh('ip', ['link', 'del', HOST_IF]);
    } catch {}
    try {
      sh('ip', ['netns', 'del', NS]);
    } catch {}
  }
}
