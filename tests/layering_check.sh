#!/usr/bin/env bash
# Fails when a module includes a header from a module it may not depend on
# (the dependency rules in ARCHITECTURE.md). Usage: tests/layering_check.sh [repo-root]
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root/src/pioneer"

# module -> modules it may include (besides itself)
declare -A allowed=(
  [base]=""
  [model]="base"
  [formats]="base model"
  [synth]="base model formats"
  [store]="base model formats"
  [ingest]="base model formats store"
  [link]="base model formats store"
  [metrics]="base model formats store timeline"
  [timeline]="base model formats store"
  [quality]="base model formats store timeline"
  [plan]="base"
  [report]="base model formats store timeline metrics plan"
  [risk]="base model formats store timeline"
  [tools]="*"
)

bad=0
for module in */; do
  module="${module%/}"
  [ "${allowed[$module]+set}" = set ] || { echo "layering: module '$module' has no rule in tests/layering_check.sh and ARCHITECTURE.md"; bad=1; }
done
# One pass over every include: "<module>/<file>:<included module>".
while IFS=: read -r module file dep; do
  [ "$dep" = "$module" ] && continue
  rule="${allowed[$module]-}"
  [ "$rule" = "*" ] && continue
  case " $rule " in
    *" $dep "*) ;;
    *) echo "layering: $module/$file includes pioneer/$dep/ (not allowed)"; bad=1 ;;
  esac
done < <(grep -rHo '#include "pioneer/[a-z_]*/' . | sed -E 's|^\./([a-z_]+)/(.*):#include "pioneer/([a-z_]+)/$|\1:\2:\3|')
exit $bad
