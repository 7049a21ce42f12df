#!/usr/bin/env bash
# Runs the Postman collection with newman against a running service.
# Usage: postman/run-newman.sh [baseUrl] [environment file]
#   defaults: http://localhost:8080, postman/embedded.postman_environment.json
set -euo pipefail
cd "$(dirname "$0")/.."
base_url="${1:-http://localhost:8080}"
environment="${2:-postman/embedded.postman_environment.json}"
mkdir -p target/newman
exec npx --yes newman@6.2.2 run postman/product-store.postman_collection.json \
	-e "$environment" --env-var "baseUrl=$base_url" \
	--timeout-request 10000 --timeout 300000 \
	--reporters cli,junit --reporter-junit-export target/newman/junit.xml
