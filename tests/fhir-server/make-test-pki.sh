#!/usr/bin/env bash
# Makes a throwaway test PKI in OUTDIR with the openssl CLI, for the loopback FHIR server and the
# kiosk's TLS tests. Never use these keys for anything real. Prints nothing but errors.
# Files: ca.{crt,key} server.{crt,key} client.{crt,key} untrusted-ca.{crt,key} untrusted-server.{crt,key}
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out=$1
mkdir -p "$out"
umask 077
days=365

# Runs a command quietly; shows its output only when it fails.
run() {
  local log
  if ! log=$("$@" 2>&1); then
    printf '%s\n' "make-test-pki: failed: $*" "$log" >&2
    exit 1
  fi
}

# make_ca NAME SUBJECT
make_ca() {
  run openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out/$1.key" -out "$out/$1.crt" -days "$days" -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
}

# make_leaf NAME SUBJECT CA EXTENSIONS
make_leaf() {
  local ext="$out/.$1.ext" csr="$out/.$1.csr"
  printf '%s\n' "$4" \
    "basicConstraints=critical,CA:FALSE" \
    "subjectKeyIdentifier=hash" \
    "authorityKeyIdentifier=keyid" >"$ext"
  run openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out/$1.key" -out "$csr" -subj "$2"
  run openssl x509 -req -in "$csr" -CA "$out/$3.crt" -CAkey "$out/$3.key" \
    -set_serial "0x$(openssl rand -hex 15)" -days "$days" -sha256 -extfile "$ext" -out "$out/$1.crt"
  rm -f "$ext" "$csr"
}

server_ext=$'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth'
client_ext=$'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth'

make_ca ca "/O=iop-kiosk test/CN=iop-kiosk test CA"
make_leaf server "/O=iop-kiosk test/CN=localhost" ca "$server_ext"
make_leaf client "/O=iop-kiosk test/CN=iop-kiosk test client" ca "$client_ext"

make_ca untrusted-ca "/O=iop-kiosk untrusted/CN=iop-kiosk untrusted CA"
make_leaf untrusted-server "/O=iop-kiosk untrusted/CN=localhost" untrusted-ca "$server_ext"

# Certificates are public; keys stay owner-only (umask above).
chmod 644 "$out"/*.crt
run openssl verify -CAfile "$out/ca.crt" "$out/server.crt" "$out/client.crt"
run openssl verify -CAfile "$out/untrusted-ca.crt" "$out/untrusted-server.crt"
