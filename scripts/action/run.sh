#!/usr/bin/env bash
# The airgap-lint GitHub action's step (action.yml), kept in a script so the tests run it as is.
#
# Inputs come from the environment:
#   AIRGAP_LINT_PATHS    files or folders, one per line (default ".")
#   AIRGAP_LINT_FAIL_ON  error | warning (default "error")
#   AIRGAP_LINT_CONFIG   optional --config file
#   AIRGAP_LINT_SARIF    where to write SARIF (default "airgap-lint.sarif")
#   AIRGAP_LINT_CLI      optional path of a built cli.js; otherwise the action's own checkout is
#                        built once (npm ci, npm run build) and its dist/cli.js used
# Exit status is the CLI's: 0 clean, 1 findings at or above fail-on, 2 usage or input error.
set -euo pipefail

action_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cli="${AIRGAP_LINT_CLI:-$action_root/dist/cli.js}"
if [[ ! -f "$cli" ]]; then
  echo "::group::Building airgap-lint"
  (cd "$action_root" && npm ci --no-audit --no-fund && npm run build)
  echo "::endgroup::"
fi

fail_on="${AIRGAP_LINT_FAIL_ON:-error}"
sarif="${AIRGAP_LINT_SARIF:-airgap-lint.sarif}"

# One path per line; blank lines and surrounding spaces ignored, so YAML block scalars work.
paths=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -n "$line" ]] && paths+=("$line")
done <<< "${AIRGAP_LINT_PATHS:-.}"
[[ ${#paths[@]} -gt 0 ]] || paths=(.)

common=(--fail-on "$fail_on")
[[ -n "${AIRGAP_LINT_CONFIG:-}" ]] && common+=(--config "$AIRGAP_LINT_CONFIG")

mkdir -p "$(dirname "$sarif")"
status=0
node "$cli" check "${common[@]}" --format sarif "${paths[@]}" > "$sarif" || status=$?
if [[ $status -eq 2 ]]; then
  # Usage or input error: the CLI said why on stderr; no report was written.
  rm -f "$sarif"
  exit 2
fi

# The same findings as workflow commands: annotations on the run and the pull request.
node "$cli" check "${common[@]}" --format github "${paths[@]}" || true

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
fi
if [[ $status -eq 1 ]]; then
  echo "airgap-lint: findings at or above '$fail_on' (see the annotations and $sarif)" >&2
fi
exit "$status"
