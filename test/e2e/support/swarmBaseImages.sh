#!/usr/bin/env bash
# Makes the base image file systems the swarm e2e test imports (no registry pull is possible
# here) and caches them, so they are built once per machine:
#
#   test/e2e/support/swarmBaseImages.sh    # prints the two tarball paths: debian, node
#
# debian: debootstrap --variant=minbase bookworm (+ ca-certificates, libstdc++6 for node), trusting
#         the extra CAs this machine trusts (/usr/local/share/ca-certificates: a TLS-inspecting
#         egress proxy signs registry traffic with one; import the node image with
#         NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt so npm trusts them too).
# node:   the debian tree plus this machine's node binary and its npm.
# Cache: ${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}/images/<key>.tar, keyed by suite,
# packages and node version; a tarball appears only once complete.
set -euo pipefail

CACHE=${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}/images
SUITE=bookworm
INCLUDE=ca-certificates,libstdc++6
NODE_BIN=$(command -v node)
NODE_VERSION=$("$NODE_BIN" --version)
NPM_DIR=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
EXTRA_CAS=(/usr/local/share/ca-certificates/*.crt)
[[ -e ${EXTRA_CAS[0]} ]] || EXTRA_CAS=()
KEY=$({ printf '%s\n' "$INCLUDE"; cat "${EXTRA_CAS[@]}" </dev/null; } | sha256sum | cut -c1-8)
DEBIAN_TAR=$CACHE/debian-$SUITE-minbase-$KEY.tar
NODE_TAR=$CACHE/node-$NODE_VERSION-$(basename "$DEBIAN_TAR")

mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ ! -s $DEBIAN_TAR ]]; then
  command -v debootstrap >/dev/null || { echo "swarmBaseImages: debootstrap missing (apt-get install -y debootstrap)" >&2; exit 1; }
  # The mirror is read from this machine's apt sources, never written into the repository.
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  nice -n 10 debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  if ((${#EXTRA_CAS[@]} > 0)); then
    cp "${EXTRA_CAS[@]}" "$work/rootfs/usr/local/share/ca-certificates/"
    chroot "$work/rootfs" update-ca-certificates >/dev/null
  fi
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -cf "$work/debian.tar" .
  mv "$work/debian.tar" "$DEBIAN_TAR"
  rm -rf "$work/rootfs"
fi

if [[ ! -s $NODE_TAR ]]; then
  mkdir -p "$work/node/usr/bin" "$work/node/usr/lib/node_modules"
  tar -C "$work/node" -xf "$DEBIAN_TAR"
  cp "$NODE_BIN" "$work/node/usr/bin/node"
  cp -a "$NPM_DIR" "$work/node/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/node/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/node/usr/bin/npx"
  tar -C "$work/node" -cf "$work/node.tar" .
  mv "$work/node.tar" "$NODE_TAR"
fi

printf '%s\n%s\n' "$DEBIAN_TAR" "$NODE_TAR"
