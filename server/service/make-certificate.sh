#!/bin/sh
# A certificate the centre makes for its own server (no authority vouches for an address on the centre's
# network): EC P-256, ten years, for the addresses and names given (and 127.0.0.1 for the admin CLI).
# Kiosks trust it by the fingerprint the server prints at start (their settings' "serverCertificate").
#   sh make-certificate.sh 192.168.1.10 [linli-server.local ...]
set -eu
[ $# -ge 1 ] || { echo "usage: sh make-certificate.sh ADDRESS [ADDRESS|NAME ...]" >&2; exit 1; }
DIR="${LINLI_TLS_DIR:-/etc/linli/tls}"
SAN="IP:127.0.0.1"
for a in "$@"; do
  case "$a" in
    *[!0-9.]*) SAN="$SAN,DNS:$a" ;;
    *) SAN="$SAN,IP:$a" ;;
  esac
done
install -d -m 0750 "$DIR"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 3650 -nodes \
  -keyout "$DIR/server.key" -out "$DIR/server.crt" -subj "/CN=linli-server" -addext "subjectAltName=$SAN"
if getent group linli >/dev/null; then chgrp linli "$DIR/server.key" "$DIR/server.crt"; fi
chmod 0640 "$DIR/server.key"
chmod 0644 "$DIR/server.crt"
echo "证书已生成 / certificate made: $DIR/server.crt ($SAN)"
echo "fingerprint: sha256/$(openssl x509 -in "$DIR/server.crt" -outform der | openssl dgst -sha256 -binary | openssl base64 -A)"
