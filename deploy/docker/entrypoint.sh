#!/bin/sh
# The container's command: grid.jar with the arguments given, or with GRID_ROLE (head, worker)
# when there are none; --help when neither says what to run.
#
# Inside a container the node must advertise an address other containers can reach, and bind
# every interface of its own network namespace: GRID_HOST defaults to this container's IP,
# GRID_BIND_HOST to 0.0.0.0. Pekko Management (with GRID_DISCOVERY) binds and advertises
# GRID_MANAGEMENT_HOST, this container's IP by default: Cluster Bootstrap compares it with the
# addresses discovery lists, so it must be the IP even when GRID_HOST is a DNS name. All of them
# can be set from outside (Kubernetes sets them from the pod's IP). JAVA_OPTS passes JVM flags.
# GRID_DRY_RUN=on prints the settings and the command instead of running it.
set -eu
if [ $# -eq 0 ]; then
  if [ -n "${GRID_ROLE:-}" ]; then set -- "$GRID_ROLE"; else set -- --help; fi
fi
container_ip() {
  hostname -i | awk '{print $1}'
}
: "${GRID_HOST:=$(container_ip)}"
: "${GRID_BIND_HOST:=0.0.0.0}"
: "${GRID_MANAGEMENT_HOST:=$(container_ip)}"
# Prometheus and the head's JSON API must be reachable from outside the container too; the
# container's network is the boundary (publish or expose these ports deliberately).
: "${GRID_METRICS_HOST:=0.0.0.0}"
: "${GRID_HTTP_HOST:=0.0.0.0}"
export GRID_HOST GRID_BIND_HOST GRID_MANAGEMENT_HOST GRID_METRICS_HOST GRID_HTTP_HOST
jar=${GRID_JAR:-/opt/grid/grid.jar}
if [ "${GRID_DRY_RUN:-off}" = "on" ]; then
  env | grep '^GRID_' | grep -v -e '^GRID_DRY_RUN=' -e '^GRID_HTTP_TOKEN=' -e '^GRID_JOURNAL_PASSWORD=' | sort
  # shellcheck disable=SC2086
  printf '%s\n' "java ${JAVA_OPTS:-} -jar $jar $*" | tr -s ' '
  exit 0
fi
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
