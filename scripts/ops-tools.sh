#!/usr/bin/env bash
# The operators' tools the tests in tests/ops use, installed when missing, each from its
# own registry: Debian packages for promtool and kcat, the Go module proxy for kustomize,
# npm for the AsyncAPI parser. Prints the tool's path (or folder) on stdout.
# Usage: scripts/ops-tools.sh {promtool|kcat|kustomize|asyncapi-parser}
# Needs root or sudo for the Debian packages; the others go into .build/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."

KUSTOMIZE_VERSION=v5.8.1      # v5.8.3 needs a newer Go than the machine's
ASYNCAPI_PARSER_VERSION=3.6.3

apt_install() {
    local sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "ops-tools.sh: install $* as root" >&2; exit 1; }
        sudo=(sudo)
    fi
    echo "ops-tools.sh: installing $*" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    # policy-rc.d or no init: the prometheus package's server is not started, only promtool used
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}

case "${1:-}" in
    promtool)
        command -v promtool >/dev/null || apt_install prometheus
        command -v promtool
        ;;
    kcat)
        command -v kcat >/dev/null || apt_install kcat
        command -v kcat
        ;;
    kustomize)
        bin="$PWD/.build/bin/kustomize"
        if [[ ! -x "$bin" ]]; then
            echo "ops-tools.sh: building kustomize $KUSTOMIZE_VERSION (Go module proxy)" >&2
            GOTOOLCHAIN=local GOBIN="$PWD/.build/bin" GOFLAGS=-mod=mod \
                go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
        fi
        echo "$bin"
        ;;
    asyncapi-parser)
        dir="$PWD/.build/asyncapi"
        if [[ ! -d "$dir/node_modules/@asyncapi/parser" ]]; then
            echo "ops-tools.sh: installing @asyncapi/parser $ASYNCAPI_PARSER_VERSION (npm)" >&2
            mkdir -p "$dir"
            [[ -f "$dir/package.json" ]] || echo '{"private": true}' > "$dir/package.json"
            npm install --prefix "$dir" --no-audit --no-fund --silent \
                "@asyncapi/parser@$ASYNCAPI_PARSER_VERSION" >&2
        fi
        echo "$dir"
        ;;
    *)
        echo "usage: $0 {promtool|kcat|kustomize|asyncapi-parser}" >&2
        exit 2
        ;;
esac
