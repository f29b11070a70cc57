#!/usr/bin/env bash
# Builds the Kubernetes binaries (kubelet, kubeadm, kubectl and the control
# plane) from the k8s.io/kubernetes module on the Go module proxy.
# Output: $CACHE/kubernetes/<version>/bin/. Skips when all binaries exist.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$BUILD_DIR/gomod.sh"

BINS=(kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
OUT="$CACHE/kubernetes/$KUBERNETES_VERSION"

missing=()
for b in "${BINS[@]}"; do [[ -x "$OUT/bin/$b" ]] || missing+=("$b"); done
if [[ ${#missing[@]} -eq 0 ]]; then skip "kubernetes $KUBERNETES_VERSION binaries in $OUT/bin"; exit 0; fi
have go || die "Go is required to build Kubernetes"

# k8s.io/kubernetes' go.mod points each staging module (k8s.io/api, ...) at
# ./staging; a requiring module must map them to their published v0.x tags.
minor=${KUBERNETES_VERSION#v1.}
staging_ver="v0.${minor}"
src=$(gomod_path k8s.io/kubernetes "$KUBERNETES_VERSION")

# The etcd, CoreDNS and pause images pinned for this minor must be the ones
# its kubeadm asks for, or the node image boots without them (no registry).
constants="$(gomod_dir k8s.io/kubernetes "$KUBERNETES_VERSION")/cmd/kubeadm/app/constants/constants.go"
kubeadm_wants() { sed -nE "s/^\s*$1\s*=\s*\"([^\"]+)\".*/\1/p" "$constants" | head -1; }
for check in "DefaultEtcdVersion ETCD_IMAGE_TAG" "CoreDNSVersion COREDNS_VERSION" "PauseVersion PAUSE_VERSION"; do
  read -r const pinned <<<"$check"
  want=$(kubeadm_wants "$const")
  [[ -n "$want" ]] || die "cannot read $const from $constants"
  [[ "$want" == "${!pinned}" ]] || die "kubeadm $KUBERNETES_VERSION expects $const $want, versions.env pins $pinned ${!pinned} for this minor: change the pin"
done
mapfile -t staging < <(grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$src" | awk '{print $1}')
[[ ${#staging[@]} -gt 10 ]] || die "could not read the staging modules from $src"
extra=()
for m in "${staging[@]}"; do extra+=("replace $m => $m $staging_ver"); done

work="$OUT/work"
wrapper_module "$work" k8s.io/kubernetes "$KUBERNETES_VERSION" "${extra[@]}"

# Version stamps, or the binaries report v0.0.0-master (hack/lib/version.sh
# sets the same variables in both packages).
IFS=. read -r major mnr _ <<<"${KUBERNETES_VERSION#v}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$mnr"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
done

pkgs=(); for b in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
log "building ${missing[*]} $KUBERNETES_VERSION (several minutes on 2 cores)"
mkdir -p "$OUT/bin"
# -mod=mod fills go.sum from the proxy's checksums on first build.
(cd "$work" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "$ldflags" -o "$OUT/bin/" "${pkgs[@]}")
"$OUT/bin/kubectl" version --client
