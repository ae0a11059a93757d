#!/bin/sh
# A stand-in for kubectl in the end-to-end tests. It answers exactly the read-only queries of
# "Detect Cluster Network with kubectl" with the outputs in ./recorded (a copy of
# test/fixtures/kubectl/<cluster>/), logs every call to ./calls.log, and fails on anything else.
here=$(dirname "$0")
printf '%s\n' "$*" >> "$here/calls.log"
case "$*" in
  "config current-context --request-timeout=15s") exec cat "$here/recorded/current-context.txt" ;;
  "get svc kubernetes -n default -o jsonpath={.spec.clusterIP} --request-timeout=15s") exec cat "$here/recorded/svc-clusterip.txt" ;;
  "get nodes -o jsonpath={.items[*].spec.podCIDR} --request-timeout=15s") exec cat "$here/recorded/nodes-podcidr.txt" ;;
  "cluster-info dump --request-timeout=15s") exec cat "$here/recorded/cluster-info-dump.txt" ;;
  *) echo "error: fake kubectl does not know: kubectl $*" >&2; exit 1 ;;
esac
