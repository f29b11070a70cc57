#!/usr/bin/env bash
# Makes sure a Docker engine answers. A running engine is never touched.
# On a root Debian machine without one: install Debian's docker.io, register
# an OCI runtime wrapper that drops CAP_SYS_RESOURCE (the host's bounding set
# lacks it, so privileged run/exec, which kind needs, fail otherwise), and
# start dockerd in the background. Exit 3 when neither is possible.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WRAPPER=/usr/local/bin/shakedown-runc
DOCKERD_LOG=/var/log/shakedown-dockerd.log

if docker info >/dev/null 2>&1; then skip "a Docker engine is already running"; exit 0; fi
if [[ $(id -u) -ne 0 ]] || ! grep -qi '^ID=debian' /etc/os-release 2>/dev/null; then
  log "no Docker engine answers, and this is not a root Debian machine: start Docker yourself"
  exit 3
fi

if ! have dockerd; then
  log "installing Debian's docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
else
  skip "docker.io already installed"
fi

# The wrapper edits the OCI spec runc is about to apply, then hands over.
cat > "$WRAPPER.tmp" <<'PY'
#!/usr/bin/python3
# shakedown: drop CAP_SYS_RESOURCE (missing from this host's bounding set)
# from OCI specs, then exec runc.
import json, os, sys

CAP = "CAP_SYS_RESOURCE"

def strip(path, key=None):
    try:
        with open(path) as f:
            doc = json.load(f)
    except OSError:
        return
    caps = (doc.get(key) or {}).get("capabilities") if key else doc.get("capabilities")
    if not caps:
        return
    changed = False
    for name, lst in caps.items():
        if isinstance(lst, list) and CAP in lst:
            caps[name] = [c for c in lst if c != CAP]
            changed = True
    if changed:
        with open(path, "w") as f:
            json.dump(doc, f)

def opt(args, *names):
    for i, a in enumerate(args):
        for n in names:
            if a == n and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(n + "="):
                return a.split("=", 1)[1]
    return None

args = sys.argv[1:]
cmds = [a for a in args if a in ("create", "run", "exec")]
if cmds:
    cmd = cmds[0]
    rest = args[args.index(cmd) + 1:]
    if cmd in ("create", "run"):
        bundle = opt(rest, "--bundle", "-b") or os.getcwd()
        strip(os.path.join(bundle, "config.json"), "process")
    else:
        proc = opt(rest, "--process", "-p")
        if proc:
            strip(proc)
os.execv("/usr/sbin/runc", ["runc"] + args)
PY
chmod 755 "$WRAPPER.tmp"; mv "$WRAPPER.tmp" "$WRAPPER"

# Register it as the default runtime (kind cannot choose one), keeping any
# other daemon.json settings.
mkdir -p /etc/docker
python3 - "$WRAPPER" <<'PY'
import json, os, sys
path = "/etc/docker/daemon.json"
cfg = json.load(open(path)) if os.path.exists(path) else {}
cfg.setdefault("runtimes", {})["shakedown-runc"] = {"path": sys.argv[1]}
cfg["default-runtime"] = "shakedown-runc"
json.dump(cfg, open(path, "w"), indent=2)
PY

log "starting dockerd (log: $DOCKERD_LOG)"
# setsid: dockerd outlives the shell (and process group) that started it.
setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 < /dev/null &
for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
docker info >/dev/null 2>&1 || die "dockerd did not answer within 60 s; see $DOCKERD_LOG"

# Self-test with an image made from the host's busybox-static (no pulls).
if ! have busybox || ! busybox --list >/dev/null 2>&1 || ldd "$(command -v busybox)" >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
img="$IMAGE_REPO/selftest:busybox"
if ! docker image inspect "$img" >/dev/null 2>&1; then
  root=$(mktemp -d); mkdir -p "$root/bin"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for a in sh true sleep cat; do ln -s busybox "$root/bin/$a"; done
  tar -C "$root" -c . | docker import - "$img" >/dev/null
  rm -rf "$root"
fi
docker run --rm --privileged --network none "$img" true
cid=$(docker run -d --privileged --network none "$img" sleep 30)
docker exec --privileged "$cid" true
docker rm -f "$cid" >/dev/null
log "engine ready: privileged run and exec work"
