# Shared helpers for clusters/build/*.sh (sourced, not executed).
BUILD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BUILD_DIR/../.." && pwd)"
# A KUBERNETES_VERSION from the environment picks which known version to build.
wanted_kubernetes=${KUBERNETES_VERSION:-}
# shellcheck source=versions.env
source "$BUILD_DIR/versions.env"
KUBERNETES_VERSION=${wanted_kubernetes:-$KUBERNETES_VERSION}
unset wanted_kubernetes
# The etcd, CoreDNS and pause pins of this version's minor (K8S_1_35_ETCD_VERSION, ...).
minor_pins() {
  local prefix; prefix="K8S_$(cut -d. -f1,2 <<<"${KUBERNETES_VERSION#v}" | tr . _)"
  local name var
  for name in ETCD_VERSION ETCD_IMAGE_TAG COREDNS_VERSION PAUSE_VERSION; do
    var="${prefix}_$name"
    if [[ -z "${!var:-}" ]]; then
      printf '[%s] error: Kubernetes %s is not one this build knows (%s); versions.env has no %s\n' \
        "$(basename "$0" .sh)" "$KUBERNETES_VERSION" "$KUBERNETES_VERSIONS" "$var" >&2
      exit 1
    fi
    printf -v "$name" '%s' "${!var}"
  done
}
minor_pins
CACHE="${SHAKEDOWN_CACHE:-$HOME/.cache/shakedown}"
# dockerd, iptables and sysctl live in sbin, which some PATHs lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
mkdir -p "$CACHE"
# The module cache stays the user's (shared with other Go work); the build
# cache follows it. Only our outputs live under $CACHE.
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
skip() { log "skip: $*"; }
die() { log "error: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Short hash of files/strings describing a recipe: a changed recipe rebuilds.
recipe_hash() { cat "$@" | sha256sum | cut -c1-12; }

# debian_rootfs NAME PACKAGES... -> prints the path of a cached Debian root
# filesystem tarball (mmdebstrap, minbase + PACKAGES). Built once per
# package list. Uses this machine's apt sources when it runs the same suite,
# so a local mirror configuration is honoured.
debian_rootfs() {
  local name=$1; shift
  local hash; hash=$(printf '%s\n' "$DEBIAN_SUITE" "$@" | sha256sum | cut -c1-12)
  local tar="$CACHE/rootfs/$name-$DEBIAN_SUITE-$hash.tar"
  if [[ -s "$tar" ]]; then skip "rootfs $name ($hash)"; echo "$tar"; return; fi
  have mmdebstrap || { log "installing mmdebstrap"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null; }
  local sources=()
  if grep -qs "^VERSION_CODENAME=$DEBIAN_SUITE" /etc/os-release; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
      [[ -s "$f" ]] && sources+=("$f")
    done
  fi
  log "building rootfs $name ($hash) with mmdebstrap"
  mkdir -p "$CACHE/rootfs"
  local pkgs; pkgs=$(IFS=,; echo "$*")
  mmdebstrap --quiet --format=tar --variant=minbase --include="$pkgs" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$DEBIAN_SUITE" "$tar.tmp" "${sources[@]}" </dev/null >&2
  mv "$tar.tmp" "$tar"
  echo "$tar"
}

# Package list of the kind node root filesystem (docs/environment.md).
NODE_PACKAGES=(systemd containerd runc containernetworking-plugins iptables nftables
  conntrack ipset iproute2 ethtool util-linux mount kmod libseccomp2 pigz
  fuse-overlayfs ca-certificates curl jq procps bash)
# Networking tools for the kube-proxy and kube-router images (and a shell
# for local-path-provisioner's helper pods).
NET_PACKAGES=(iptables nftables conntrack ipset iproute2 kmod ca-certificates)

# Every image the node image preloads (images.sh builds them).
preload_images() {
  local r=$IMAGE_REPO
  printf '%s\n' "$r/kube-apiserver:$KUBERNETES_VERSION" "$r/kube-controller-manager:$KUBERNETES_VERSION" \
    "$r/kube-scheduler:$KUBERNETES_VERSION" "$r/kube-proxy:$KUBERNETES_VERSION" \
    "$r/etcd:$ETCD_IMAGE_TAG" "$r/coredns:$COREDNS_VERSION" "$r/pause:$PAUSE_VERSION" \
    "$r/kube-router:$KUBE_ROUTER_VERSION" "$r/local-path-provisioner:$LOCAL_PATH_VERSION" \
    "$r/debian-net:$DEBIAN_SUITE" "$r/agent:$AGENT_VERSION"
  if docker image inspect "$r/metrics-server:$METRICS_SERVER_VERSION" >/dev/null 2>&1; then
    echo "$r/metrics-server:$METRICS_SERVER_VERSION"
  fi
}

# docker_build TAG CONTEXT: a quiet build without network (nothing may leave
# the machine). The classic builder: no buildx needed, and our Dockerfiles
# use nothing newer. Output only on failure (it warns about deprecation).
docker_build() {
  local out
  if ! out=$(DOCKER_BUILDKIT=0 docker build -q --network none -t "$1" "$2" 2>&1); then
    printf '%s\n' "$out" >&2; die "docker build of $1 failed"
  fi
}
