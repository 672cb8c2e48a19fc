#!/usr/bin/env bash
# Build the lab's container images with no registry (tests/lab/containers/README.md):
#   1. base: `debootstrap --variant=minbase bookworm` imported with `podman import` (once: kept while it exists);
#   2. the fakes: Containerfile targets winrm and cloud FROM that base (podman's layer cache makes a rebuild
#      with unchanged sources take seconds, and a changed fake is always picked up).
# Needs root, debootstrap and podman (install-system-packages.sh). Prints how long each step took.
# Tooling only: what the images do not emulate is in the Containerfile's header.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
podman=$here/lab-podman
base=localhost/mdi-lab/debian:bookworm
mirror=${MDI_LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The image names container_lab.py runs.
declare -A images=([winrm]=localhost/mdi-lab/fake-winrm:latest [cloud]=localhost/mdi-lab/fake-cloud:latest)

# One build at a time per storage (other engineers share it): podman's info says where that is.
store=$("$podman" info --format '{{.Store.GraphRoot}}')
exec 9>"$store/../build.lock"
flock 9

if "$podman" image exists "$base"; then
  echo "base image $base: present"
else
  started=$SECONDS
  rootfs=$(mktemp -d "$store/../rootfs.XXXXXX")
  trap 'rm -rf "$rootfs" "$rootfs.log"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; exit 1; }
  echo "debootstrap: $((SECONDS - started)) s"
  started=$SECONDS
  # The config debian:bookworm-slim has (an imported tarball has none).
  tar -C "$rootfs" -c . | "$podman" import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  echo "base image $base: imported in $((SECONDS - started)) s"
fi

# pip in the build trusts what pip trusts here: a TLS-inspecting proxy's CA may be in that bundle only.
ca_bundle=${PIP_CERT:-${REQUESTS_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}}
for target in winrm cloud; do
  started=$SECONDS
  "$podman" build --quiet --network host --build-arg BASE="$base" \
    --secret id=pip-ca,src="$ca_bundle" \
    --ignorefile "$here/containerignore" --file "$here/Containerfile" --target "$target" \
    --tag "${images[$target]}" "$here/.." >/dev/null
  echo "image ${images[$target]}: built in $((SECONDS - started)) s"
done
