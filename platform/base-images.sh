#!/usr/bin/env bash
# Base images made on this machine, since nothing can be pulled: a Debian bookworm root file
# system from debootstrap (the machine's own apt mirror), and the same with this machine's
# Node.js. Built once into $PLATFORM_CACHE/images (keyed by release and Node version), then
# imported into the given engine and pushed to the given registry.
#
#   DOCKER_HOST=unix://… platform/base-images.sh <registry host:port>
#
# Prints two lines, NAME=reference, for the build arguments:
#   DEBIAN_IMAGE=<registry>/base/debian:bookworm
#   NODE_IMAGE=<registry>/base/node:<node major>-bookworm   (also pushed as <full version>-bookworm)
set -euo pipefail
LOG_NAME=base-images
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 ]] || { echo "usage: DOCKER_HOST=… $0 <registry host:port>" >&2; exit 2; }
REGISTRY=$1
RELEASE=bookworm
NODE_VERSION=$(node -p 'process.versions.node')
NODE_MAJOR=${NODE_VERSION%%.*}
CACHE=$PLATFORM_CACHE/images
# The machine's CA bundle goes into the images: package registries here are reached through a
# TLS-inspecting proxy whose CA only this machine's trust store holds. Its hash keys the cache.
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
CA_KEY=$(sha256sum "$CA_BUNDLE" 2>/dev/null | cut -c1-8 || echo none)
DEBIAN_TAR=$CACHE/debian-$RELEASE-minbase-ca$CA_KEY-v2.tar
NODE_TAR=$CACHE/node-$NODE_VERSION-$RELEASE-ca$CA_KEY-v2.tar
mkdir -p "$CACHE"

make_debian_tar() {
  [[ -s $DEBIAN_TAR ]] && return 0
  apt_ensure debootstrap
  local root
  root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  log "debootstrap $RELEASE (minbase) from the machine's mirror; takes about a minute"
  debootstrap --variant=minbase "$RELEASE" "$root" "$(debian_mirror)" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; rm -rf "$root"; die "debootstrap failed"; }
  # Smaller and reproducible enough: no apt lists or caches in the image.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  if [[ -s $CA_BUNDLE ]]; then install -D -m 0644 "$CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"; fi
  tar -C "$root" --numeric-owner -cf "$DEBIAN_TAR.tmp" .
  mv "$DEBIAN_TAR.tmp" "$DEBIAN_TAR"
  rm -rf "$root"
}

make_node_tar() {
  [[ -s $NODE_TAR ]] && return 0
  local root node npm_dir
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  root=$(mktemp -d "$CACHE/noderoot.XXXXXX")
  log "adding Node.js $NODE_VERSION ($node) to the Debian root file system"
  tar -C "$root" -xf "$DEBIAN_TAR"
  install -D -m 0755 "$node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  tar -C "$root" --numeric-owner -cf "$NODE_TAR.tmp" .
  mv "$NODE_TAR.tmp" "$NODE_TAR"
  rm -rf "$root"
}

# publish TAR REFERENCE ENV_JSON CMD_JSON: loads TAR as a one-layer image whose config is fixed
# (no creation time: the epoch), unless the engine has it, then pushes it. `docker import` would
# stamp the time of the import, so each state folder's engine made the same tar a new image with
# a new digest, and every build step after FROM missed whatever BuildKit had cached; loaded like
# this, the same tar is the same image (digest) in every state folder and on every run.
publish() {
  local tar=$1 ref=$2 env_json=$3 cmd_json=$4 dir diff_id
  if ! docker image inspect "$ref" >/dev/null 2>&1; then
    dir=$(mktemp -d "$CACHE/load.XXXXXX")
    # The layer's digest is the tar's own (uncompressed) sha256; cached beside it, it is read once.
    [[ -s $tar.sha256 && $tar.sha256 -nt $tar ]] || sha256sum "$tar" | cut -d' ' -f1 >"$tar.sha256"
    diff_id=sha256:$(<"$tar.sha256")
    printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":%s,"Cmd":%s},"rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"platform/base-images.sh"}]}' \
      "$env_json" "$cmd_json" "$diff_id" >"$dir/config.json"
    printf '[{"Config":"config.json","RepoTags":["%s"],"Layers":["%s"]}]' "$ref" "$(basename "$tar")" >"$dir/manifest.json"
    # The layer goes in as it is (docker save's format: a tar holding the layer tar).
    tar -cf - -C "$dir" config.json manifest.json -C "$(dirname "$tar")" "$(basename "$tar")" | docker load -q >/dev/null
    rm -rf "$dir"
  fi
  docker push -q "$ref" >/dev/null
}

make_debian_tar
make_node_tar
PATH_ENV='"PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"'
publish "$DEBIAN_TAR" "$REGISTRY/base/debian:$RELEASE" "[$PATH_ENV]" '["/bin/bash"]'
publish "$NODE_TAR" "$REGISTRY/base/node:$NODE_VERSION-$RELEASE" \
  "[$PATH_ENV,\"NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\"]" '["node"]'
docker tag "$REGISTRY/base/node:$NODE_VERSION-$RELEASE" "$REGISTRY/base/node:$NODE_MAJOR-$RELEASE"
docker push -q "$REGISTRY/base/node:$NODE_MAJOR-$RELEASE" >/dev/null
log "base images pushed to $REGISTRY"
echo "DEBIAN_IMAGE=$REGISTRY/base/debian:$RELEASE"
echo "NODE_IMAGE=$REGISTRY/base/node:$NODE_MAJOR-$RELEASE"
