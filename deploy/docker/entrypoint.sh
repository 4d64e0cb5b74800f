#!/bin/sh
# Inside a container the node must advertise an address other containers can reach, and
# bind every interface of its own network namespace: GRID_HOST defaults to this container's
# IP, GRID_BIND_HOST to 0.0.0.0. Both can be set from outside (Kubernetes sets GRID_HOST
# to the pod IP). JAVA_OPTS passes JVM flags (heap, GC).
set -eu
: "${GRID_HOST:=$(hostname -i | awk '{print $1}')}"
: "${GRID_BIND_HOST:=0.0.0.0}"
# Prometheus and the head's JSON API must be reachable from outside the container too; the
# container's network is the boundary (publish or expose these ports deliberately).
: "${GRID_METRICS_HOST:=0.0.0.0}"
: "${GRID_HTTP_HOST:=0.0.0.0}"
export GRID_HOST GRID_BIND_HOST GRID_METRICS_HOST GRID_HTTP_HOST
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /opt/grid/grid.jar "$@"
