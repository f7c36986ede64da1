#!/bin/sh
# Reads configuration secrets from files: for every configuration variable NAME_FILE=/path whose NAME
# is a configuration key (it contains "__", like Database__ConnectionString), exports NAME with the
# file's content. compose.yaml sets Database__ConnectionString_FILE=/run/secrets/portal-db-connection,
# so the password is in neither the compose file nor `docker inspect`. Other *_FILE variables
# (SSL_CERT_FILE...) are left alone.
set -eu
for name in $(env | sed -n 's/^\([A-Za-z0-9_]*__[A-Za-z0-9_]*\)_FILE=.*/\1/p'); do
  file=$(printenv "${name}_FILE")
  value=$(cat "$file")
  export "$name=$value"
  unset "${name}_FILE"
done
exec "$@"
