#!/usr/bin/env bash
# One entry point for the no-registry cluster build (task cluster:images):
# engine, tools, Kubernetes, components, images, node image. Each step
# skips what the cache ($SHAKEDOWN_CACHE, default ~/.cache/shakedown)
# already holds, so a warm run takes seconds.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
timings=()
step() {
  local t0=$SECONDS
  echo "==> $1" >&2
  "$dir/$1.sh"
  timings+=("$(printf '%-14s %4d s' "$1" $((SECONDS - t0)))")
}
start=$SECONDS
step docker-engine
step kubernetes   # before tools.sh, which links the kubectl it builds
# Another version's build (KUBERNETES_VERSION=v1.35.4) leaves the tools, and
# their kubectl of the default version, as they are.
default_version=$(sed -n 's/^KUBERNETES_VERSION=//p' "$dir/versions.env")
if [[ -z "${KUBERNETES_VERSION:-}" || "$KUBERNETES_VERSION" == "$default_version" ]]; then step tools; fi
# A CNI that boots kind's upstream node image and pulls its own images
# (CNI=kindnet|calico|cilium, e.g. on a hosted CI runner) needs none of the
# images built here, and their build needs root on Debian.
case "${CNI:-auto}" in
  kindnet | calico | cilium) echo "==> skip: components, images, node image (CNI ${CNI} uses kind's upstream node image)" >&2 ;;
  *)
    step components
    step images
    step node-image
    ;;
esac
echo "==> timings" >&2
printf '  %s\n' "${timings[@]}" "$(printf '%-14s %4d s' total $((SECONDS - start)))" >&2
