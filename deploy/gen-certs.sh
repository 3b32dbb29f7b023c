#!/usr/bin/env bash
# Makes a private CA and one PKCS12 keystore per node for Artery TLS (mutual authentication).
#
#   deploy/gen-certs.sh OUT_DIR NODE [NODE ...]
#
# NODE is a name, optionally with the addresses the node is reached at (needed only with
# hostname verification on):  coordinator=ip:10.0.0.1,dns:coord.example.org
#
# The password protecting every store comes from GRPO_TLS_PASSWORD_FILE or GRPO_TLS_PASSWORD;
# with neither, a random one is written to OUT_DIR/password (mode 600). It is passed to keytool
# through the environment, never on a command line.
#
# Writes, in OUT_DIR:
#   ca.p12            the CA's private key: keep it off the cluster (only needed to add nodes)
#   ca.crt            the CA certificate (PEM)
#   truststore.p12    the CA certificate: give it to every node (GRPO_TLS_TRUSTSTORE)
#   NODE.p12          that node's key and certificate chain (GRPO_TLS_KEYSTORE on that node only)
#
# Running it again with the same OUT_DIR reuses the CA and adds or replaces the named nodes.
# Environment: KEYTOOL (default: keytool on PATH, else $JAVA_HOME/bin/keytool), VALIDITY_DAYS (default 825).
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR NODE[=ip:A,dns:B] [NODE ...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
out=$1; shift

keytool=${KEYTOOL:-}
if [ -z "$keytool" ]; then
  if command -v keytool >/dev/null; then keytool=keytool
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ]; then keytool=$JAVA_HOME/bin/keytool
  else echo "$0: keytool not found (install a JDK, or set KEYTOOL or JAVA_HOME)" >&2; exit 2
  fi
fi
days=${VALIDITY_DAYS:-825}

mkdir -p "$out"
umask 077
if [ -n "${GRPO_TLS_PASSWORD_FILE:-}" ]; then
  [ -r "$GRPO_TLS_PASSWORD_FILE" ] || { echo "$0: cannot read GRPO_TLS_PASSWORD_FILE $GRPO_TLS_PASSWORD_FILE" >&2; exit 2; }
  GRPO_TLS_PASSWORD=$(cat "$GRPO_TLS_PASSWORD_FILE")
elif [ -z "${GRPO_TLS_PASSWORD:-}" ]; then
  if [ -f "$out/password" ]; then
    GRPO_TLS_PASSWORD=$(cat "$out/password")
  else
    GRPO_TLS_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
    printf '%s\n' "$GRPO_TLS_PASSWORD" > "$out/password"
    echo "random store password written to $out/password" >&2
  fi
fi
export GRPO_TLS_PASSWORD
[ ${#GRPO_TLS_PASSWORD} -ge 6 ] || { echo "$0: the store password must have at least 6 characters" >&2; exit 2; }

kt() { "$keytool" "$@" -storetype PKCS12 -storepass:env GRPO_TLS_PASSWORD; }

if [ ! -f "$out/ca.p12" ]; then
  kt -genkeypair -keystore "$out/ca.p12" -alias ca -keyalg EC -groupname secp256r1 -validity "$days" \
     -dname "CN=GRPO cluster CA" -ext bc:c=ca:true -ext ku:c=keyCertSign,cRLSign 2>/dev/null
  echo "new CA in $out/ca.p12" >&2
fi
kt -exportcert -rfc -keystore "$out/ca.p12" -alias ca -file "$out/ca.crt" 2>/dev/null
rm -f "$out/truststore.p12"
kt -importcert -noprompt -keystore "$out/truststore.p12" -alias grpo-ca -file "$out/ca.crt" >/dev/null 2>&1

for spec in "$@"; do
  name=${spec%%=*}
  san=""
  [ "$spec" != "$name" ] && san=${spec#*=}
  case $name in ''|*/*|.*) echo "$0: bad node name '$name'" >&2; exit 2;; esac
  ks="$out/$name.p12"
  rm -f "$ks" "$out/$name.csr" "$out/$name.crt"
  kt -genkeypair -keystore "$ks" -alias node -keyalg EC -groupname secp256r1 -validity "$days" \
     -dname "CN=$name, O=GRPO cluster" 2>/dev/null
  kt -certreq -keystore "$ks" -alias node -file "$out/$name.csr" 2>/dev/null
  ext=(-ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth)
  [ -n "$san" ] && ext+=(-ext "san=$san")
  kt -gencert -keystore "$out/ca.p12" -alias ca -validity "$days" -infile "$out/$name.csr" -outfile "$out/$name.crt" \
     -rfc "${ext[@]}" 2>/dev/null
  kt -importcert -noprompt -keystore "$ks" -alias ca -file "$out/ca.crt" >/dev/null 2>&1
  kt -importcert -noprompt -keystore "$ks" -alias node -file "$out/$name.crt" >/dev/null 2>&1
  rm -f "$out/$name.csr"
  echo "$ks: CN=$name${san:+, $san}" >&2
done
