#!/usr/bin/env bash
# The Kubernetes manifests as a cluster would take them, without a cluster: renders
# deploy/k8s/base and every overlay under deploy/k8s/overlays/ with `kubectl kustomize`, validates
# each rendering strictly against the Kubernetes API schemas (kubernetes-validate --strict, from
# PyPI; Strimzi's KafkaTopic and KafkaUser have no schema there and only warn), then checks them
# with Tests/Schemas/check_k8s_policies.py (each service its own Kafka user over SASL_SSL, the
# NetworkPolicies, the topic table's topics, users and ACLs, real channels in the overlays).
#
# kubectl: the one on PATH, else Debian's kubernetes-client (kubectl 1.20 with kustomize v2.0.3;
# the kustomizations are written for it as well as for kustomize v5). Never installed beside an
# existing kubectl: the packages conflict.
#
#   LAYAR_K8S_VERSION      Kubernetes version to validate against (default: the newest that the
#                          installed kubernetes-validate knows)
#   LAYAR_K8S_RENDER_DIR   keep the renderings there (default: a temporary directory, removed)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if ! command -v kubectl >/dev/null; then
  log "installing Debian's kubernetes-client (kubectl)"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends kubernetes-client >/dev/null
fi
# Run as `python3 -m kubernetes_validate`: the same as the kubernetes-validate command, whatever
# directory pip put that command in.
python3 -c "import kubernetes_validate" 2>/dev/null || python3 -m pip install -q kubernetes-validate
python3 -c "import yaml" 2>/dev/null || python3 -m pip install -q pyyaml
version=${LAYAR_K8S_VERSION:-$(python3 -c "import kubernetes_validate.utils as u; print(u.latest_version())")}

if [ -n "${LAYAR_K8S_RENDER_DIR:-}" ]; then
  out=$LAYAR_K8S_RENDER_DIR
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

# `kubectl kustomize` of one directory into $out/<name>.yaml. kustomize v5 warns that commonLabels,
# bases and patchesStrategicMerge are deprecated: they are what v2.0.3 understands, so those
# warnings are expected and not shown; anything else it says is.
render() {  # directory name
  if ! kubectl kustomize "$1" >"$out/$2.yaml" 2>"$out/$2.stderr"; then
    cat "$out/$2.stderr" >&2
    die "kubectl kustomize ${1#"$ROOT"/} failed"
  fi
  grep -v "^# Warning: '\(commonLabels\|bases\|patchesStrategicMerge\)' is deprecated" "$out/$2.stderr" >&2 || true
}

# kubernetes-validate --strict of one rendering: every resource must match its schema exactly;
# only Strimzi's kinds (kafka.strimzi.io) may lack one.
validate() {  # name
  local rc=0 report strimzi
  report=$(python3 -m kubernetes_validate --strict --quiet -k "$version" "$out/$1.yaml" 2>&1) || rc=$?
  strimzi=$(grep -c "Couldn't find schema for kind Kafka[A-Za-z]* with api version kafka.strimzi.io/" <<<"$report" || true)
  report=$(grep -v "Couldn't find schema for kind Kafka[A-Za-z]* with api version kafka.strimzi.io/" <<<"$report" || true)
  if [ -n "$report" ]; then
    printf '%s\n' "$report" >&2
  fi
  [ "$rc" -eq 0 ] || die "$1: kubernetes-validate --strict found invalid resources (Kubernetes $version)"
  if grep -q "Couldn't find schema" <<<"$report"; then
    die "$1: resources without a schema for Kubernetes $version (a wrong apiVersion or kind?)"
  fi
  log "  $1: $(($(grep -c '^kind:' "$out/$1.yaml") - strimzi)) resources valid (strict) for Kubernetes $version, $strimzi Strimzi ones without a schema there (warned)"
}

kubectl_version=$(kubectl version --client -o json 2>/dev/null \
  | python3 -c "import json, sys; print(json.load(sys.stdin)['clientVersion']['gitVersion'])" || echo "(version unknown)")
log "kubectl $kubectl_version: rendering deploy/k8s into $out"
render "$ROOT/deploy/k8s/base" base
validate base
overlays=()
for overlay in "$ROOT"/deploy/k8s/overlays/*/; do
  [ -f "$overlay/kustomization.yaml" ] || continue
  name=overlay-$(basename "$overlay")
  render "${overlay%/}" "$name"
  validate "$name"
  overlays+=("$out/$name.yaml")
done
[ ${#overlays[@]} -gt 0 ] || die "no overlay under deploy/k8s/overlays"

# The base is the development one (its channels write to the log); every overlay is a deployment.
python3 "$ROOT/Tests/Schemas/check_k8s_policies.py" --development "$out/base.yaml" "${overlays[@]}"
