#!/usr/bin/env bash
# What tests/CloudAssembly.Deploy.Tests needs besides .NET: kubectl (its built-in kustomize renders the overlays) and the
# offline schema validator in eng/k8s-validate (npm: kubernetes-models, @kubernetes-models/keda, ajv for Kueue's CRDs
# kept in eng/k8s-validate/kueue). Idempotent and quiet:
# npm runs only when package-lock.json changed since the last install.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "[k8s-tools] FAILED: $*" >&2; exit 1; }

# kubectl comes with this project's machines. Debian's own kubernetes-client (1.20) is too old: its kustomize predates
# the `labels` field the overlays use, so it is no substitute.
command -v kubectl >/dev/null 2>&1 || fail "kubectl is not installed; install kubectl 1.27 or newer (kustomize v5) to render k8s/."
command -v node >/dev/null 2>&1 || fail "node is not installed; the manifest schema check needs Node.js 20 or newer."

validator="$HERE/k8s-validate"
stamp="$validator/node_modules/.package-lock.sha256"
want=$(sha256sum "$validator/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  npm ci --prefix "$validator" --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci in $validator"
  echo "$want" > "$stamp"
fi
