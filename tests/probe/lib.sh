# lib.sh - namespaces and a real strongSwan responder for the probe tests.
# Sourced by probe.sh.  Topology (addresses from the documentation ranges):
#
#   pr (192.0.2.1) --- eth0|ethl [rt] ethr|eth0 --- rs (198.51.100.1)
#
# rt routes (and NATs / drops with nftables when a case asks).  Everything is
# torn down on exit: daemons by PID, namespaces by name ($PFX has $$ in it).
set -u
PFX="ikp$$"
CHARON=/usr/lib/ipsec/charon
PIDS=()
NETNS=()
WORK=$(mktemp -d /tmp/ikp-probe.XXXXXX)

cleanup() {
    local rc=$?
    set +e
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
    done
    for p in "${NETNS[@]}"; do ip netns del "$p" 2>/dev/null; done
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
        for f in "$WORK"/*.log "$WORK"/*.out "$WORK"/*.err; do
            [ -s "$f" ] && { echo "---- $f"; tail -n 30 "$f"; }
        done
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

need_root() {
    [ "$(id -u)" -eq 0 ] || skip "needs root"
    ip netns add "${PFX}-chk" 2>/dev/null || skip "ip netns does not work here"
    ip netns del "${PFX}-chk"
    [ -x "$CHARON" ] && command -v swanctl >/dev/null || skip "strongSwan (charon, swanctl) is not installed: scripts/deps --test"
    command -v nft >/dev/null || skip "nftables is not installed"
}

ns() { printf '%s-%s' "$PFX" "$1"; }
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

add_ns() {
    local n; n=$(ns "$1")
    ip netns add "$n" || fail "ip netns add $n"
    NETNS+=("$n")
    ip -n "$n" link set lo up
}

# setup_net [nat]: with nat, rs lives behind rt at 10.9.0.1 and rt forwards
# 198.51.100.1 UDP 500/4500 to it (DNAT), as a gateway behind a NAT device.
setup_net() {
    add_ns pr; add_ns rt; add_ns rs
    ip -n "$(ns pr)" link add eth0 type veth peer name ethl netns "$(ns rt)" || fail veth
    ip -n "$(ns rs)" link add eth0 type veth peer name ethr netns "$(ns rt)" || fail veth
    ip -n "$(ns pr)" link set eth0 up
    ip -n "$(ns rs)" link set eth0 up
    ip -n "$(ns rt)" link set ethl up
    ip -n "$(ns rt)" link set ethr up
    ip -n "$(ns pr)" addr add 192.0.2.1/24 dev eth0
    ip -n "$(ns pr)" route add default via 192.0.2.254
    ip -n "$(ns rt)" addr add 192.0.2.254/24 dev ethl
    nsx rt sysctl -qw net.ipv4.ip_forward=1
    if [ "${1:-}" = nat ]; then
        RS_ADDR=10.9.0.1
        ip -n "$(ns rs)" addr add 10.9.0.1/24 dev eth0
        ip -n "$(ns rs)" route add default via 10.9.0.254
        ip -n "$(ns rt)" addr add 10.9.0.254/24 dev ethr
        ip -n "$(ns rt)" addr add 198.51.100.1/32 dev ethl
        nsx rt nft -f - <<NFT || fail "nft nat"
table ip nat {
  chain pre { type nat hook prerouting priority dstnat;
    ip daddr 198.51.100.1 udp dport { 500, 4500 } dnat to 10.9.0.1; }
  chain post { type nat hook postrouting priority srcnat;
    oifname "ethl" ip saddr 10.9.0.0/24 masquerade; }
}
NFT
    else
        RS_ADDR=198.51.100.1
        ip -n "$(ns rs)" addr add 198.51.100.1/24 dev eth0
        ip -n "$(ns rs)" route add default via 198.51.100.254
        ip -n "$(ns rt)" addr add 198.51.100.254/24 dev ethr
    fi
    nsx pr ping -c1 -W2 "$RS_ADDR" >/dev/null 2>&1 || [ "${1:-}" = nat ] || fail "no IP connectivity pr -> rs"
}

# drop_udp PORT: rt drops what pr sends to UDP PORT
drop_udp() {
    nsx rt nft -f - <<NFT || fail "nft drop"
table inet filt {
  chain fw { type filter hook forward priority filter; policy accept;
    udp dport $1 drop; }
}
NFT
}

# start_charon PROPOSALS [VERSION] [EXTRA strongswan.conf lines]
# PROPOSALS "default" leaves the proposals setting out (charon's defaults).
start_charon() {
    local props=$1 version=${2:-2} extra=${3:-}
    local d="$WORK/rs"
    mkdir -p "$d/swanctl"/{x509,x509ca,private,conf.d}
    cat > "$d/strongswan.conf" <<CONF
charon {
  load = random nonce aes sha1 sha2 md5 hmac gcm pem pkcs1 x509 pubkey openssl gmp kdf curve25519 kernel-netlink socket-default vici
  install_routes = no
  # the probes leave half-open IKE SAs: do not block or challenge them (but in the cookie case)
  block_threshold = 1000
  cookie_threshold_ip = ${COOKIE_IP:-1000}
  $extra
  filelog {
    log { path = $WORK/charon.log
      time_format = %H:%M:%S
      flush_line = yes
      default = 1
      ike = 2
      net = 2
      cfg = 2
    }
  }
  plugins { vici { socket = unix://$d/charon.vici } }
}
CONF
    local pl="proposals = $props"
    [ "$props" = default ] && pl=""
    cat > "$d/swanctl/swanctl.conf" <<CONF
connections {
  probe {
    version = $version
    local_addrs = $RS_ADDR
    remote_addrs = %any
    fragmentation = yes
    ${CONN_EXTRA:-}
    $pl
    local { auth = psk
      id = res.example.net }
    remote { auth = psk }
    children { net { local_ts = 10.2.0.0/24
      remote_ts = 10.1.0.0/24 } }
  }
}
secrets { ike-1 { secret = "ikescope probe test" } }
CONF
    STRONGSWAN_CONF="$d/strongswan.conf" ip netns exec "$(ns rs)" \
        unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs /run && exec "$0"' "$CHARON" \
        >"$WORK/charon.out" 2>&1 &
    PIDS+=($!)
    local i
    for i in $(seq 1 50); do [ -S "$d/charon.vici" ] && break; sleep 0.1; done
    [ -S "$d/charon.vici" ] || fail "charon did not start"
    STRONGSWAN_CONF="$d/strongswan.conf" SWANCTL_DIR="$d/swanctl" timeout 20 \
        ip netns exec "$(ns rs)" swanctl --load-all --uri "unix://$d/charon.vici" \
        >"$WORK/swanctl.out" 2>&1 || fail "swanctl --load-all"
}

# probe ARGS...: runs ikescope probe in pr (bounded), NDJSON into $WORK/probe.json
probe() {
    timeout 60 ip netns exec "$(ns pr)" "$IKESCOPE" probe --json "$@" \
        >"$WORK/probe.json" 2>"$WORK/probe.err"
    PROBE_RC=$?
    cat "$WORK/probe.json"
    [ -s "$WORK/probe.err" ] && cat "$WORK/probe.err" >&2
    validate_schema
    return 0
}

# every record valid under ../shared/design/ikescope.schema.json (when present)
validate_schema() {
    local schema="${SHARED:-$HERE/../../../shared}/design/ikescope.schema.json"
    [ -f "$schema" ] || return 0
    /usr/bin/python3 - "$schema" "$WORK/probe.json" <<'PY' || fail "schema"
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit(0)
s = json.load(open(sys.argv[1]))
for line in open(sys.argv[2]):
    if line.strip():
        jsonschema.validate(json.loads(line), s)
PY
}

# jq-less checks with python: check 'EXPR' over the list R of records
check() {
    /usr/bin/python3 - "$WORK/probe.json" "$1" <<'PY' || fail "check: $1"
import json, sys
R = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
P = [r for r in R if r.get("type") == "probe"]
ok = eval(sys.argv[2])
if not ok:
    print("check failed:", sys.argv[2]); sys.exit(1)
PY
}

# libreswan (pluto) as the responder, with its default IKE proposals.  It
# conflicts with the strongSwan packages, so it is used from an unpacked copy
# (samples/generate/lib.sh ensure_libreswan puts one in $LSW_ROOT); without it
# the case is skipped.
LSW_ROOT=${LSW_ROOT:-/var/tmp/ikescope-libreswan/root}
start_pluto() {
    [ -x "$LSW_ROOT/usr/libexec/ipsec/pluto" ] ||
        skip "libreswan is not unpacked in $LSW_ROOT (samples/generate/lib.sh ensure_libreswan)"
    command -v certutil >/dev/null || skip "certutil (libnss3-tools) is missing for libreswan"
    local d="$WORK/lsw"
    mkdir -p "$d/nss" "$d/run" "$d/ipsec.d"
    certutil -N -d "sql:$d/nss" --empty-password >/dev/null 2>&1 || fail "certutil -N"
    cat > "$d/ipsec.conf" <<CONF
config setup
    logfile=$WORK/pluto.log
    logappend=no
    nssdir=$d/nss
conn probe
    left=$RS_ADDR
    leftid=@res.example.net
    right=%any
    authby=secret
    auto=add
CONF
    printf '@res.example.net %%any : PSK "ikescope probe test"\n' > "$d/ipsec.secrets"
    cat > "$d/pluto.sh" <<SH
set -e
mount -t tmpfs tmpfs /run
mkdir -p /run/pluto
mount -t tmpfs tmpfs /usr/libexec 2>/dev/null || true
mkdir -p /usr/libexec/ipsec
mount --bind "$LSW_ROOT/usr/libexec/ipsec" /usr/libexec/ipsec
exec /usr/libexec/ipsec/pluto --nofork --config "$d/ipsec.conf" --secretsfile "$d/ipsec.secrets" \
    --ipsecdir "$d/ipsec.d" --nssdir "$d/nss" --rundir "$d/run" --logfile "$WORK/pluto.log"
SH
    ip netns exec "$(ns rs)" unshare -m --propagation private sh "$d/pluto.sh" >"$WORK/pluto.out" 2>&1 &
    PIDS+=($!)
    local i
    for i in $(seq 1 50); do [ -S "$d/run/pluto.ctl" ] && break; sleep 0.1; done
    [ -S "$d/run/pluto.ctl" ] || fail "pluto did not start"
    # wait until it listens on the address (it reads the interfaces after starting)
    for i in $(seq 1 30); do
        grep -q "adding UDP interface.*$RS_ADDR:500\|adding interface.*$RS_ADDR:500" "$WORK/pluto.log" 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.3
}
