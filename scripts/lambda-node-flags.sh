#!/bin/bash
# AWS_LAMBDA_EXEC_WRAPPER: Lambda starts the runtime through this script, with node, the
# runtime's own flags and its entry script as the arguments. The runtime sizes V8's heap from the
# function's memory on that command line, and a command-line flag wins over NODE_OPTIONS. So the
# heap flags of NODE_OPTIONS are said again here, after the runtime's, just before its entry
# script: the heap is sized as serverless.yml says (README, Benchmark, "The young generation").
# Anything else is unchanged.
set -euo pipefail
# NODE_OPTIONS is split into words below, never expanded as file names.
set -f

heap_flags=()
for flag in ${NODE_OPTIONS:-}; do
  case "$flag" in
    --max-semi-space-size=* | --max-old-space-size=*) heap_flags+=("$flag") ;;
  esac
done

if [ "$#" -lt 2 ] || [ "${#heap_flags[@]}" -eq 0 ]; then
  exec "$@"
fi
last=$(($# - 1))
args=("$@")
exec "${args[@]:0:last}" "${heap_flags[@]}" "${args[last]}"
