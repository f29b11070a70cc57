#!/usr/bin/env bash
# Builds the container images the node image preloads, from the binaries of
# kubernetes.sh and components.sh, all tagged under the bare "shakedown/"
# repository. Static Go binaries go FROM scratch; kube-proxy and kube-router
# need iptables & co., so they build on a Debian rootfs imported with
# `docker import`. Builds run with --network none (nothing may leave the
# machine) and are skipped when the tag carries the same recipe label.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

K8S_BIN="$CACHE/kubernetes/$KUBERNETES_VERSION/bin"
COMP="$CACHE/components"
CTX="$CACHE/images/ctx"
LABEL=dev.shakedown.recipe

# build_image TAG DOCKERFILE-TEXT FILE... : FILEs are copied into the context.
build_image() {
  local tag=$1 dockerfile=$2; shift 2
  local f id=""
  for f in "$@"; do [[ -e "$f" ]] || die "$tag: missing $f (run kubernetes.sh / components.sh)"; done
  # Recipe = Dockerfile text + each input's name, size and mtime (cheap).
  local hash; hash=$( { echo "$dockerfile"; stat -L -c '%n %s %Y' "$@"; } | sha256sum | cut -c1-12)
  if [[ "$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$tag" 2>/dev/null)" == "$hash" ]]; then
    skip "image $tag"; return
  fi
  log "building $tag"
  local dir="$CTX/${tag//[\/:]/_}"
  rm -rf "$dir"; mkdir -p "$dir"
  for f in "$@"; do cp -L "$f" "$dir/"; done
  printf '%s\nLABEL %s=%s\n' "$dockerfile" "$LABEL" "$hash" > "$dir/Dockerfile"
  docker_build "$tag" "$dir"
  rm -rf "$dir"
}

# scratch_image TAG BINARY [ENTRYPOINT]: a static binary in /usr/local/bin.
scratch_image() {
  local tag=$1 bin=$2 entry=${3:-}
  local df="FROM scratch
COPY $(basename "$bin") /usr/local/bin/
ENV PATH=/usr/local/bin:/usr/bin:/bin"
  [[ -n "$entry" ]] && df+=$'\n'"ENTRYPOINT [\"/usr/local/bin/$(basename "$bin")\"]"
  build_image "$tag" "$df" "$bin"
}

# Debian base with the networking tools, shared by kube-proxy, kube-router
# and local-path-provisioner's helper pods.
NET_IMAGE="$IMAGE_REPO/debian-net:$DEBIAN_SUITE"
net_tar=$(debian_rootfs net "${NET_PACKAGES[@]}")
net_hash=$(basename "$net_tar" .tar)
if [[ "$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$NET_IMAGE" 2>/dev/null)" == "$net_hash" ]]; then
  skip "image $NET_IMAGE"
else
  log "importing $NET_IMAGE"
  docker import -c "LABEL $LABEL=$net_hash" -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$net_tar" "$NET_IMAGE" >/dev/null
fi
net_id=$(docker image inspect -f '{{ .Id }}' "$NET_IMAGE")

for c in kube-apiserver kube-controller-manager kube-scheduler; do
  scratch_image "$IMAGE_REPO/$c:$KUBERNETES_VERSION" "$K8S_BIN/$c"
done
scratch_image "$IMAGE_REPO/etcd:$ETCD_IMAGE_TAG" "$COMP/etcd-$ETCD_VERSION/etcd"
# kubeadm's CoreDNS Deployment and containerd's sandboxes pass only args.
scratch_image "$IMAGE_REPO/coredns:$COREDNS_VERSION" "$COMP/coredns-$COREDNS_VERSION/coredns" entry
scratch_image "$IMAGE_REPO/pause:$PAUSE_VERSION" "$COMP/pause-$PAUSE_VERSION/pause" entry
scratch_image "$IMAGE_REPO/local-path-provisioner:$LOCAL_PATH_VERSION" \
  "$COMP/local-path-provisioner-$LOCAL_PATH_VERSION/local-path-provisioner"
if [[ -x "$COMP/metrics-server-$METRICS_SERVER_VERSION/metrics-server" ]]; then
  scratch_image "$IMAGE_REPO/metrics-server:$METRICS_SERVER_VERSION" \
    "$COMP/metrics-server-$METRICS_SERVER_VERSION/metrics-server" entry
else
  log "metrics-server binary not built: no metrics-server image"
fi

# The net image's ID is part of these recipes (FROM line), so a new rootfs
# rebuilds them.
build_image "$IMAGE_REPO/kube-proxy:$KUBERNETES_VERSION" "FROM $NET_IMAGE
# base $net_id
COPY kube-proxy /usr/local/bin/" "$K8S_BIN/kube-proxy"
build_image "$IMAGE_REPO/kube-router:$KUBE_ROUTER_VERSION" "FROM $NET_IMAGE
# base $net_id
COPY kube-router /usr/local/bin/
ENTRYPOINT [\"/usr/local/bin/kube-router\"]" "$COMP/kube-router-$KUBE_ROUTER_VERSION/kube-router"

build_image "$IMAGE_REPO/agent:$AGENT_VERSION" "$(cat "$REPO_ROOT/clusters/images/agent/Dockerfile")" \
  "$COMP/agent-current/agent"

log "images ready: $(preload_images | tr '\n' ' ')"
