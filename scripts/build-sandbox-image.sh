#!/usr/bin/env bash
# Builds the bundled tasks' sandbox image offline from Debian packages (no image registry needed):
# debootstrap a minimal bookworm with python3, pytest, git and patch, add the non-root user `agent`
# (uid 1000), and `docker import` the root filesystem as agent-dagger/sandbox:<tag> (+ :latest).
# The tag is the first 12 hex digits of this script's sha256, so editing the script rebuilds the image.
# Idempotent: nothing happens when the tagged image exists; the rootfs tarball is cached under
# $AGENT_DAGGER_HOME so that a rebuild after losing Docker's state is a quick import. Run as root.
set -euo pipefail

home="${AGENT_DAGGER_HOME:-$HOME/.cache/agent-dagger}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tag="$(sha256sum "$here/build-sandbox-image.sh" | cut -c1-12)"
repo="agent-dagger/sandbox"
image="$repo:$tag"
cache="$home/sandbox-image"
tarball="$cache/rootfs-$tag.tar"
packages="python3,python3-pytest,git,patch,procps,coreutils,findutils,grep,sed,diffutils,ca-certificates"

if docker image inspect "$image" >/dev/null 2>&1; then
  docker tag "$image" "$repo:latest"
  echo "$image"
  exit 0
fi

if [ ! -s "$tarball" ]; then
  # The mirror the machine's apt already uses (deb822 sources first, then the classic list).
  mirror="$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1 || true)"
  if [ -z "$mirror" ]; then
    mirror="$(sed -n 's/^deb[[:space:]]\+\(http[^[:space:]]*\/debian\)[[:space:]].*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1 || true)"
  fi
  [ -n "$mirror" ] || { echo "build-sandbox-image: no Debian mirror found in apt's sources (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list); set one there, then rerun" >&2; exit 1; }
  if ! command -v debootstrap >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "build-sandbox-image: debootstrap is missing and this is not root; apt-get install -y debootstrap, then rerun" >&2; exit 1; }
    echo "build-sandbox-image: installing debootstrap from apt" >&2
    apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"; }
    apt_get install -y -q --no-install-recommends debootstrap >&2 || { apt_get update -q >&2 && apt_get install -y -q --no-install-recommends debootstrap >&2; }
  fi

  mkdir -p "$cache"
  rootfs="$(mktemp -d "$cache/rootfs-$tag.XXXXXX")"
  trap 'rm -rf "$rootfs"' EXIT
  echo "build-sandbox-image: debootstrap bookworm from $mirror into $rootfs" >&2
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >&2
  chroot "$rootfs" useradd --uid 1000 --create-home --shell /bin/bash agent
  # The agent's default workspace, and the place the tools' helper scripts go.
  mkdir -p "$rootfs/workspace" "$rootfs/opt/agent-dagger"
  chroot "$rootfs" chown agent:agent /workspace
  git_config="$rootfs/etc/gitconfig"
  printf '[user]\n\tname = agent\n\temail = agent@agent-dagger.local\n[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n' >"$git_config"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
  tar --numeric-owner -C "$rootfs" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
fi

echo "build-sandbox-image: importing $tarball as $image" >&2
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'WORKDIR /workspace' \
  --change 'CMD ["/bin/bash"]' \
  "$tarball" "$image" >/dev/null
docker tag "$image" "$repo:latest"
echo "$image"
