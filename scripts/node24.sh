#!/usr/bin/env bash
# Prints the path of a Node 24 binary, fetched from the npm registry (the package
# node-linux-<arch>@24, which ships the official binary in bin/node) and kept under
# node_modules/.cache/node24. npm here blocks packages' install scripts, so the package is not
# installed: `npm pack` downloads its tarball and the binary is extracted from it. Needs nothing
# but the registry: it works from a clean clone (after `npm ci`, which wipes the cache with
# node_modules).
#
#   "$(scripts/node24.sh)" --version
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/node_modules/.cache/node24"

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node24.sh: no Node 24 package for $(uname -m)" >&2; exit 1 ;;
esac

if [ -x "$dir/bin/node" ] && "$dir/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  echo "$dir/bin/node"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "node-linux-$arch@24" --silent > /dev/null)
tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$tmp" package/bin/node
mkdir -p "$dir/bin"
mv "$tmp/package/bin/node" "$dir/bin/node"
chmod +x "$dir/bin/node"
version="$("$dir/bin/node" --version)"
case "$version" in
  v24.*) ;;
  *) echo "node24.sh: expected a v24 binary, got $version" >&2; exit 1 ;;
esac
echo "$dir/bin/node"
