#!/usr/bin/env bash
# Renders the dev and prod overlays of deploy/k8s with `kubectl kustomize` and checks every rendered
# object with check_manifests.py (probes, resources, security contexts, pinned images, Secrets,
# Strimzi topics and users against events' Topics.java, CloudNativePG, NetworkPolicies).
# Prints `ok - ...` / `not ok - ...` per check and `N passed, M failed`; exits non-zero on a failure.
#
# kubectl: $KUBECTL if set, else the kubectl on PATH (any version: the kustomizations are written for
# kustomize v2.0.3 and later, and render the same objects with both), else Debian's package
# kubernetes-client is installed with apt (root only). PyYAML: python3-yaml from apt when missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
k8s=$(dirname "$here")
repo=$(cd "$k8s/../.." && pwd)

apt_install() {
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        echo "not ok - $1 is missing and cannot be installed here (needs root and apt-get)"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "# installing $2 with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }
}

kubectl=${KUBECTL:-}
if [ -z "$kubectl" ]; then
    command -v kubectl >/dev/null || apt_install kubectl kubernetes-client
    kubectl=$(command -v kubectl)
fi
python3 -c 'import yaml' 2>/dev/null || apt_install PyYAML python3-yaml

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0 rendered=()
echo "# $("$kubectl" version --client 2>/dev/null | head -n 2 | tr '\n' ' ')"
# The overlays, then test/variants/*: the optional parts no overlay uses (the Gateway API route, the CPU HPAs)
# rendered over the base, so that every part of the tree is checked.
targets=(overlays/dev overlays/prod)
for v in "$here"/variants/*/; do
    targets+=("test/variants/$(basename "$v")")
done
for target in "${targets[@]}"; do
    name=$(basename "$target")
    if "$kubectl" kustomize "$k8s/$target" >"$tmp/$name.yaml" 2>"$tmp/$name.err"; then
        echo "ok - kubectl kustomize deploy/k8s/$target renders ($(grep -c '^kind:' "$tmp/$name.yaml") objects)"
        passed=$((passed + 1))
        rendered+=("$name=$tmp/$name.yaml")
    else
        echo "not ok - kubectl kustomize deploy/k8s/$target: $(grep -v '^# Warning' "$tmp/$name.err" | grep -i -m 1 'error' | cut -c 1-300)"
        failed=$((failed + 1))
    fi
done

if [ ${#rendered[@]} -eq 0 ]; then
    echo "$passed passed, $failed failed"
    exit 1
fi
exec python3 "$here/check_manifests.py" --repo "$repo" --passed "$passed" --failed "$failed" "${rendered[@]}"
