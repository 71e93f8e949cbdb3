#!/usr/bin/env bash
# Checks the locked dependencies against the registry's advisories: a known high or critical
# vulnerability fails the run. A registry that does not answer audits (a mirror, no network)
# is reported and skipped, since nothing can be learned from it.
set -uo pipefail
cd "$(dirname "$0")/.."

pnpm=(pnpm)
command -v pnpm >/dev/null || pnpm=(npx --yes pnpm@10.34.8)
output="$(timeout 120 "${pnpm[@]}" audit --audit-level high 2>&1)"
status=$?
if [ $status -eq 0 ]; then
  echo "Dependency audit: no known high or critical vulnerability."
elif grep -qE "ERR_PNPM_AUDIT_BAD_RESPONSE|ERR_PNPM_AUDIT_ENDPOINT|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN" <<<"$output" || [ $status -eq 124 ]; then
  echo "Dependency audit skipped: the registry did not answer the audit request."
else
  echo "$output"
  echo "Dependency audit failed: update the packages above (docs/security.md, 'Dependencies')." >&2
  exit 1
fi
