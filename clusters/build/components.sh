#!/usr/bin/env bash
# Builds the other cluster binaries from the Go module proxy (etcd, coredns,
# kube-router, local-path-provisioner, metrics-server), the pause binary (C,
# from the k8s.io/kubernetes module) and our own agent.
# Output: $CACHE/components/<name>-<version>/<binary>; skips what exists.
# Sequential on purpose: each Go build already uses every core.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$BUILD_DIR/gomod.sh"

COMP="$CACHE/components"

# go_component NAME VERSION MODULE PACKAGE LDFLAGS [extra go.mod lines...]
go_component() {
  local name=$1 ver=$2 mod=$3 pkg=$4 ldflags=$5; shift 5
  local out="$COMP/$name-$ver"
  if [[ -x "$out/$name" ]]; then skip "$name $ver"; return; fi
  log "building $name $ver"
  local t0=$SECONDS
  # Many of these modules are only buildable as the main module (their own
  # replace directives), so each gets a throwaway wrapper module.
  wrapper_module "$out/work" "$mod" "$ver" "$@"
  (cd "$out/work" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "-s -w $ldflags" -o "$out/$name.tmp" "$pkg")
  mv "$out/$name.tmp" "$out/$name"
  log "built $name $ver in $((SECONDS - t0)) s"
}

if ! have go; then die "Go is required to build the cluster components"; fi

# pause: a tiny static C program from the Kubernetes source.
out="$COMP/pause-$PAUSE_VERSION"
if [[ -x "$out/pause" ]]; then skip "pause $PAUSE_VERSION"; else
  src="$(gomod_dir k8s.io/kubernetes "$KUBERNETES_VERSION")/build/pause/linux/pause.c"
  mkdir -p "$out"
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION" -o "$out/pause" "$src"
  strip "$out/pause"
  log "built pause $PAUSE_VERSION"
fi

# agent: our own program, from this repository (stdlib only).
agent_hash=$(recipe_hash "$REPO_ROOT"/clusters/images/agent/*.go "$REPO_ROOT/clusters/images/agent/go.mod")
out="$COMP/agent-$AGENT_VERSION-$agent_hash"
if [[ -x "$out/agent" ]]; then skip "agent $AGENT_VERSION ($agent_hash)"; else
  mkdir -p "$out"
  (cd "$REPO_ROOT/clusters/images/agent" && CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X main.version=$AGENT_VERSION" -o "$out/agent" .)
  log "built agent $AGENT_VERSION ($agent_hash)"
fi
ln -sfn "$out" "$COMP/agent-current"

go_component etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3 ""

go_component coredns "$COREDNS_VERSION" github.com/coredns/coredns github.com/coredns/coredns \
  "-X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION"

go_component local-path-provisioner "$LOCAL_PATH_VERSION" github.com/rancher/local-path-provisioner \
  github.com/rancher/local-path-provisioner "-X main.VERSION=$LOCAL_PATH_VERSION"

# kube-router pins a netlink pseudo-version the proxy refuses; v1.3.1 works.
go_component kube-router "$KUBE_ROUTER_VERSION" github.com/cloudnativelabs/kube-router/v2 \
  github.com/cloudnativelabs/kube-router/v2/cmd/kube-router \
  "-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION -X github.com/cloudnativelabs/kube-router/v2/pkg/version.BuildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "replace github.com/vishvananda/netlink => github.com/vishvananda/netlink $KUBE_ROUTER_NETLINK_VERSION"

# metrics-server is optional (SKIP_METRICS_SERVER=1 leaves it out).
if [[ "${SKIP_METRICS_SERVER:-0}" != 1 ]]; then
  go_component metrics-server "$METRICS_SERVER_VERSION" sigs.k8s.io/metrics-server \
    sigs.k8s.io/metrics-server/cmd/metrics-server \
    "-X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION"
fi
