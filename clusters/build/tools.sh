#!/usr/bin/env bash
# Installs the pinned CLI tools (kind, k6, task, actionlint) into the
# version-keyed cache and links them, plus the cluster-version kubectl, into
# <repo>/.tools/bin. With names (tools.sh actionlint), only those tools.
# With Go: build from the module proxy. Without Go: official release binaries,
# or the same files from SHAKEDOWN_RELEASE_MIRROR (a mirror that keeps each
# download's host and path: <mirror>/<host>/<path>), for restricted networks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BIN="${SHAKEDOWN_TOOLS_BIN:-$REPO_ROOT/.tools/bin}"
mkdir -p "$BIN"
ONLY=" $* "
want() { [[ -z "${ONLY// /}" || "$ONLY" == *" $1 "* ]]; }

# An official download URL, or its place on the mirror.
release_url() {
  if [[ -n "${SHAKEDOWN_RELEASE_MIRROR:-}" ]]; then echo "${SHAKEDOWN_RELEASE_MIRROR%/}/${1#https://}"; else echo "$1"; fi
}

# name version go-package release-url (release-url is the no-Go fallback).
install_tool() {
  local name=$1 ver=$2 pkg=$3 url=$4
  local dir="$CACHE/tools/$name-$ver"
  if [[ -x "$dir/$name" ]]; then
    skip "$name $ver"
  elif have go; then
    log "go install $pkg@$ver"
    mkdir -p "$dir"
    CGO_ENABLED=0 GOBIN="$dir" go install -trimpath "$pkg@$ver"
  else
    url=$(release_url "$url")
    log "Go not found: downloading $url"
    mkdir -p "$dir"
    case "$url" in
      *.tar.gz) curl -fsSL "$url" | tar -xz -C "$dir" --wildcards --no-anchored --strip-components="${5:-0}" "$name" ;;
      *) curl -fsSLo "$dir/$name" "$url" ;;
    esac
    chmod +x "$dir/$name"
  fi
  ln -sfn "$dir/$name" "$BIN/$name"
}

arch=$(uname -m); case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
os=$(uname -s | tr '[:upper:]' '[:lower:]')

want kind && install_tool kind "$KIND_VERSION" sigs.k8s.io/kind \
  "https://kind.sigs.k8s.io/dl/$KIND_VERSION/kind-$os-$arch"
want k6 && install_tool k6 "$K6_VERSION" go.k6.io/k6 \
  "https://github.com/grafana/k6/releases/download/$K6_VERSION/k6-$K6_VERSION-$os-$arch.tar.gz" 1
want task && install_tool task "$TASK_VERSION" github.com/go-task/task/v3/cmd/task \
  "https://github.com/go-task/task/releases/download/$TASK_VERSION/task_${os}_$arch.tar.gz"

# actionlint keeps .github/workflows valid in the unit tier. Built with Go
# only: without Go (and no cached build) it is left out, and the unit test
# that needs it skips, saying so.
if want actionlint; then
  if have go || [[ -x "$CACHE/tools/actionlint-$ACTIONLINT_VERSION/actionlint" ]]; then
    install_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint ""
  else
    log "Go not found: actionlint not installed (the workflow lint in the unit tier skips)"
  fi
fi

# kubectl at the cluster's version (the version skew policy allows +-1 minor).
kubectl="$CACHE/kubernetes/$KUBERNETES_VERSION/bin/kubectl"
if ! want kubectl; then
  :
elif [[ -x "$kubectl" ]]; then
  ln -sfn "$kubectl" "$BIN/kubectl"
elif ! have go; then
  dir="$CACHE/tools/kubectl-$KUBERNETES_VERSION"; mkdir -p "$dir"
  [[ -x "$dir/kubectl" ]] || { curl -fsSLo "$dir/kubectl" "$(release_url "https://dl.k8s.io/release/$KUBERNETES_VERSION/bin/$os/$arch/kubectl")"; chmod +x "$dir/kubectl"; }
  ln -sfn "$dir/kubectl" "$BIN/kubectl"
else
  log "kubectl not built yet: run clusters/build/kubernetes.sh (all.sh does)"
fi
log "tools in $BIN: $(ls "$BIN" | tr '\n' ' ')"
