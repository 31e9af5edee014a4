#!/usr/bin/env bash
# npm run start: starts the embedded local platform again after npm run stop (or a crash, a
# reboot): the docker engine, registry, buildkit, control plane and node, then waits until the
# app answers. The dev stack must exist; it is not deployed again (no build, no pulumi up), so a
# start changes nothing of the stack: the objects in etcd come back as they were, with their data.
#
#   platform/start.sh     # prints the app URL last
#
# It is platform/up.sh in its start mode: the same checks, phases and clean-up on failure.
set -euo pipefail
PLATFORM_UP_MODE=start exec bash "$(dirname "${BASH_SOURCE[0]}")/up.sh" "$@"
