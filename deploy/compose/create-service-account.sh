#!/bin/sh
# Gives the sidecars their own account on the cluster through the security plugin's REST API, as
# the cluster's admin: the ml_sidecar role (ml-sidecar-role.json, the role README "State" lists),
# the user SIDECAR_USERNAME and the mapping between them. Safe to run again (PUT replaces).
set -eu
api=http://opensearch:9200/_plugins/_security/api
put() {
  curl -fsS -u "admin:${OPENSEARCH_INITIAL_ADMIN_PASSWORD}" -X PUT "${api}/$1" -H 'content-type: application/json' -d "$2"
  echo
}
put roles/ml_sidecar "$(cat /setup/ml-sidecar-role.json)"
put "internalusers/${SIDECAR_USERNAME}" "{\"password\": \"${SIDECAR_PASSWORD}\", \"backend_roles\": []}"
put rolesmapping/ml_sidecar "{\"users\": [\"${SIDECAR_USERNAME}\"]}"
