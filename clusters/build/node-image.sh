#!/usr/bin/env bash
# Builds the kind node image for machines without a registry:
#   shakedown/node:<k8s version>-<recipe hash>
# A Debian rootfs (mmdebstrap) + kind's node files (from the kind Go module)
# + our Kubernetes binaries, with kube-router as kind's default CNI,
# local-path-provisioner as default storage, and every image preloaded and
# pinned in containerd. Prints the tag and writes it to $CACHE/node-images/<version>.tag (one image per version).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$BUILD_DIR/gomod.sh"

K8S_BIN="$CACHE/kubernetes/$KUBERNETES_VERSION/bin"
MANIFESTS="$REPO_ROOT/clusters/manifests"
TAG_FILE="$CACHE/node-images/$KUBERNETES_VERSION.tag"; mkdir -p "$CACHE/node-images"
R=$IMAGE_REPO

mapfile -t images < <(preload_images)
for i in "${images[@]}"; do docker image inspect "$i" >/dev/null 2>&1 || die "missing image $i (run images.sh)"; done
for b in kubelet kubeadm kubectl; do [[ -x "$K8S_BIN/$b" ]] || die "missing $K8S_BIN/$b (run kubernetes.sh)"; done
rootfs=$(debian_rootfs node "${NODE_PACKAGES[@]}")
kind_dir=$(gomod_dir sigs.k8s.io/kind "$KIND_VERSION")

# Recipe: this script, the pins, the rootfs, binaries, manifests, image IDs.
hash=$( {
  cat "$0" "$BUILD_DIR/versions.env" "$MANIFESTS/kube-router.yaml" "$MANIFESTS/local-path.yaml"
  echo "$rootfs"; stat -L -c '%n %s %Y' "$K8S_BIN"/{kubelet,kubeadm,kubectl}
  docker image inspect -f '{{ .Id }}' "${images[@]}"
} | sha256sum | cut -c1-10)
TAG="$R/node:$KUBERNETES_VERSION-$hash"
if docker image inspect "$TAG" >/dev/null 2>&1; then
  skip "node image $TAG"; echo "$TAG" > "$TAG_FILE"; echo "$TAG"; exit 0
fi

# 1. The rootfs as an image (kept: it only changes with the package list).
base="$R/node-rootfs:$(basename "$rootfs" .tar)"
if docker image inspect "$base" >/dev/null 2>&1; then skip "image $base"; else
  log "importing $base"; docker import "$rootfs" "$base" >/dev/null
fi

# 2. kind's node files and our binaries, the steps of kind's
#    images/base/Dockerfile that apply to a Debian-packaged containerd.
ctx="$CACHE/node-image/ctx-$hash"
rm -rf "$ctx"; mkdir -p "$ctx/manifests"
cp -r "$kind_dir/images/base/files" "$ctx/files"
chmod -R u+w,go-w,a+rX "$ctx/files"
chmod 755 "$ctx"/files/usr/local/bin/* "$ctx"/files/kind/bin/*
cp "$K8S_BIN"/{kubelet,kubeadm,kubectl} "$ctx/"
sed "s|@KUBE_ROUTER_IMAGE@|$R/kube-router:$KUBE_ROUTER_VERSION|g" \
  "$MANIFESTS/kube-router.yaml" > "$ctx/manifests/default-cni.yaml"
sed -e "s|@LOCAL_PATH_IMAGE@|$R/local-path-provisioner:$LOCAL_PATH_VERSION|g" \
    -e "s|@HELPER_IMAGE@|$R/debian-net:$DEBIAN_SUITE|g" \
  "$MANIFESTS/local-path.yaml" > "$ctx/manifests/default-storage.yaml"
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $base
COPY files/ /
COPY kubelet kubeadm kubectl /usr/bin/
COPY manifests/ /kind/manifests/
# Debian keeps containerd in /usr/bin and CNI plugins in /usr/lib/cni;
# kind's units and manifests expect /usr/local/bin and /opt/cni/bin.
# containerd: our pause image, and restrict_oom_score_adj (no process here
# may set a negative oom_score_adj; with false every sandbox fails).
RUN set -eu; \
    for f in /usr/bin/containerd* /usr/bin/ctr; do ln -sf "\$f" /usr/local/bin/; done; \
    mkdir -p /opt/cni && rm -rf /opt/cni/bin && ln -s /usr/lib/cni /opt/cni/bin; \
    sed -i -E -e 's|^(\s*sandbox_image = ).*|\1"$R/pause:$PAUSE_VERSION"|' \
      -e 's|^(\s*restrict_oom_score_adj = ).*|\1true|' /etc/containerd/config.toml; \
    grep -q '"$R/pause:$PAUSE_VERSION"' /etc/containerd/config.toml; \
    grep -q 'restrict_oom_score_adj = true' /etc/containerd/config.toml; \
    ctr oci spec \
      | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \
      | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json; \
    find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete; \
    rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
      /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
      /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*; \
    echo "ReadKMsg=no" >> /etc/systemd/journald.conf; \
    ln -sf /lib/systemd/systemd /sbin/init; \
    systemctl enable kubelet.service containerd.service undo-mount-hacks.service; \
    systemctl mask systemd-binfmt.service; \
    mkdir -p /etc/kubernetes/manifests; \
    echo "$KUBERNETES_VERSION" > /kind/version
DOCKERFILE
stage="$R/node-stage:$hash"
log "building $stage"
docker_build "$stage" "$ctx"
rm -rf "$ctx"

# 3. Preload: import every image into the node's containerd (k8s.io
#    namespace, as CRI sees it) inside a privileged container, pin them, and
#    commit. --no-unpack: CRI unpacks on first use.
name="shakedown-preload-$hash"
docker rm -f "$name" >/dev/null 2>&1 || true
docker run -d --name "$name" --privileged --network none --entrypoint sleep "$stage" infinity >/dev/null
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT
docker exec -d "$name" sh -c 'containerd >/var/log/preload-containerd.log 2>&1'
for _ in $(seq 30); do docker exec "$name" ctr version >/dev/null 2>&1 && break; sleep 1; done
log "preloading ${#images[@]} images"
docker save "${images[@]}" | docker exec -i "$name" ctr -n k8s.io images import --all-platforms --no-unpack --digests - >/dev/null
docker exec "$name" sh -c 'for i in $(ctr -n k8s.io images ls -q); do ctr -n k8s.io images label "$i" io.cri-containerd.pinned=pinned >/dev/null; done'
docker exec "$name" ctr -n k8s.io images ls -q | grep -vE '@sha256:|^sha256:' | sed 's/^/  preloaded: /' >&2
# Stop containerd cleanly so its database is consistent in the commit.
docker exec "$name" sh -c 'pkill containerd; while pgrep -x containerd >/dev/null; do sleep 0.2; done; rm -rf /run/containerd /var/log/preload-containerd.log'
committed="$R/node-preloaded:$hash"
docker commit "$name" "$committed" >/dev/null
docker rm -f "$name" >/dev/null; trap - EXIT

# 4. docker commit cannot set STOPSIGNAL: one more (RUN-less) build sets
#    kind's runtime config.
printf '%s\n' "FROM $committed" 'ENV container=docker' 'STOPSIGNAL SIGRTMIN+3' \
  'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' 'CMD []' \
  | docker_build "$TAG" -
docker rmi "$committed" "$stage" >/dev/null 2>&1 || true
echo "$TAG" > "$TAG_FILE"
log "node image $TAG"
echo "$TAG"
