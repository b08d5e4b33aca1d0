# lib.sh - shared code for the ikescope sample generators.  Sourced by ./run.
#
# A scenario (scenarios/NAME.sh) is a small file of settings that overrides the
# defaults below and, where needed, the hook functions scenario_net,
# scenario_run and scenario_after.  lib.sh builds the namespaces
#
#     ini (192.0.2.1) --- ethl [rtr] ethr --- (198.51.100.1) res
#
# with veth links, starts the real daemons (strongSwan charon + swanctl, or
# libreswan pluto) in ini and res, captures on one router-side veth with
# tcpdump, writes NAME.pcap, NAME.expect.json, NAME.keys/ and NAME.log into
# OUTDIR, and tears everything down again (trap on EXIT).
#
# Settings can be given for both nodes (VAR) or per node (INI_VAR, RES_VAR).

set -u
set -o pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TPL_DIR="$GEN_DIR/templates"
CHARON=/usr/lib/ipsec/charon
LSW_ROOT=${LSW_ROOT:-/var/tmp/ikescope-libreswan/root}   # unpacked libreswan (never committed)

log()  { printf '[%s] %s\n' "${NAME:-gen}" "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- defaults
set_defaults() {
    LESSON=""
    FINDINGS="[]"
    IKE_VERSION=2
    ESP_BACKEND=kernel              # kernel | kernel-libipsec (| none: label only, see interop-*)
    INI_IMPL=strongswan             # strongswan | libreswan
    RES_IMPL=strongswan
    CAPTURE_IF=ethl                 # ethl: initiator side of the router, ethr: responder side
    NAT=no                          # yes: rtr masquerades ini behind 203.0.113.1
    MTU=1500
    PING=0                          # pings through the tunnel after it is up
    PING_INTERVAL=0.3
    SETTLE=1                        # seconds to keep capturing after scenario_run
    INITIATE_TIMEOUT=30             # bound for swanctl --initiate
    ROUTER_RULES=""                 # nft rules for rtr's forward chain (before the run)
    ROUTER_RAW_RULES=""             # nft rules for rtr's prerouting chain at priority raw
    # swanctl.conf
    VERSION=2
    PROPOSALS=aes256-sha256-modp2048
    ESP_PROPOSALS=aes128-sha256
    AGGRESSIVE=no
    MOBIKE=no
    FRAGMENTATION=yes
    ENCAP=no
    DPD_DELAY=0s
    DPD_ACTION=clear
    REKEY_TIME=4h
    OVER_TIME=0s
    CHILD_REKEY_TIME=1h
    AUTH=psk
    PSK="ikescope sample pre-shared key"
    INI_ID=ini.example.net
    RES_ID=res.example.net
    INI_ADDR=192.0.2.1
    RES_ADDR=198.51.100.1
    INI_LOCAL_TS=10.1.0.0/24
    INI_REMOTE_TS=10.2.0.0/24
    RES_LOCAL_TS=10.2.0.0/24
    RES_REMOTE_TS=10.1.0.0/24
    EXTRA_CONN=""
    EXTRA_CHILD=""
    CERT_BITS=2048
    # strongswan.conf
    RETRANSMIT_TIMEOUT=1.0
    RETRANSMIT_BASE=1.4
    RETRANSMIT_TRIES=4
    KEEP_ALIVE=20s
    CHARON_EXTRA=""
    # tshark "Decode As" for ports it hands to another protocol (e.g. "udp.port==1194,udpencap"):
    # expect.json keeps tshark's plain counts and adds "ikescope_counts" (tshark's counts
    # with this decode-as) and "tshark_misses" (TSHARK_MISSES); the key check uses it too.
    TSHARK_DECODE_AS=""
    TSHARK_MISSES=""
    # libreswan ipsec.conf conn body (when a node runs pluto)
    LSW_CONN=""
    DAEMON=yes                      # INI_DAEMON=no / RES_DAEMON=no: no daemon on that node
}

# value of INI_X / RES_X if set, else X
nv() { local n="${1}_$2"; if [ -n "${!n+x}" ]; then printf '%s' "${!n}"; elif [ -n "${!2+x}" ]; then printf '%s' "${!2}"; fi; }

# render a template, replacing @NAME@ by the exported variable T_NAME
render() { perl -pe 's/@([A-Z0-9_]+)@/exists $ENV{"T_$1"} ? $ENV{"T_$1"} : die "template: \@$1\@ unset\n"/ge' "$1"; }

# ---------------------------------------------------------------- dependencies
ensure_deps() {
    local need=()
    [ -x "$CHARON" ]                         || need+=(strongswan-charon)
    command -v swanctl >/dev/null            || need+=(strongswan-swanctl)
    command -v pki >/dev/null                || need+=(strongswan-pki)
    [ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || need+=(libcharon-extra-plugins)
    [ -e /usr/lib/ipsec/plugins/libstrongswan-gcm.so ] || need+=(libstrongswan-extra-plugins)
    [ -e /usr/lib/ipsec/plugins/libstrongswan-kdf.so ] || need+=(libstrongswan-standard-plugins)
    command -v tcpdump >/dev/null            || need+=(tcpdump)
    command -v tshark >/dev/null             || need+=(tshark)
    command -v nft >/dev/null                || need+=(nftables)
    command -v ip >/dev/null                 || need+=(iproute2)
    command -v ping >/dev/null               || need+=(iputils-ping)
    # perl-base has /usr/bin/perl but not JSON::PP, which the scripts use.
    perl -MJSON::PP -e 1 2>/dev/null         || need+=(perl)
    command -v sysctl >/dev/null             || need+=(procps)
    if [ ${#need[@]} -gt 0 ]; then
        log "installing ${need[*]}"
        apt-get update -q >&2 || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2 \
            || die "apt-get install ${need[*]} failed"
    fi
}

# libreswan conflicts with the strongSwan packages: unpack it privately.
ensure_libreswan() {
    [ -x "$LSW_ROOT/usr/libexec/ipsec/pluto" ] && return 0
    local dir; dir=$(dirname "$LSW_ROOT")
    mkdir -p "$dir"
    log "unpacking libreswan into $dir (apt-get download + dpkg -x)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libldns3 libevent-pthreads-2.1-7 \
        libevent-core-2.1-7 libnss3-tools libunbound8 libcurl3-nss libcap-ng0 dns-root-data >&2 \
        || die "libreswan dependencies"
    ( cd "$dir" && rm -f libreswan_*.deb && apt-get download libreswan >&2 ) || die "apt-get download libreswan"
    dpkg -x "$dir"/libreswan_*.deb "$LSW_ROOT" || die "dpkg -x libreswan"
}

# ---------------------------------------------------------------- cleanup
PIDS=()
NETNS=()
cleanup() {
    local rc=$?
    set +e
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$p" 2>/dev/null
    done
    for p in "${NETNS[@]}"; do ip netns del "$p" 2>/dev/null; done
    if [ -n "${WORK:-}" ] && [ -d "$WORK" ] && [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
    exit $rc
}

ns() { printf '%s-%s' "$PFX" "$1"; }
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

# ---------------------------------------------------------------- network
add_ns() {
    local n; n=$(ns "$1")
    ip netns add "$n" || die "ip netns add $n"
    NETNS+=("$n")
    ip -n "$n" link set lo up
    nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

setup_net() {
    add_ns rtr; add_ns ini; add_ns res
    ip -n "$(ns ini)" link add eth0 type veth peer name ethl netns "$(ns rtr)" || die "veth"
    ip -n "$(ns res)" link add eth0 type veth peer name ethr netns "$(ns rtr)" || die "veth"
    local m
    for m in "ini eth0" "res eth0" "rtr ethl" "rtr ethr"; do
        set -- $m
        ip -n "$(ns "$1")" link set "$2" mtu "$MTU" up
    done
    ip -n "$(ns ini)" addr add "$INI_ADDR/24" dev eth0
    ip -n "$(ns ini)" route add default via 192.0.2.254
    ip -n "$(ns res)" addr add "$RES_ADDR/24" dev eth0
    ip -n "$(ns res)" route add default via 198.51.100.254
    ip -n "$(ns rtr)" addr add 192.0.2.254/24 dev ethl
    ip -n "$(ns rtr)" addr add 198.51.100.254/24 dev ethr
    nsx rtr sysctl -qw net.ipv4.ip_forward=1
    # inner networks (traffic selectors) live on lo
    ip -n "$(ns ini)" addr add 10.1.0.1/32 dev lo
    ip -n "$(ns res)" addr add 10.2.0.1/32 dev lo
    if [ "$NAT" = yes ]; then
        ip -n "$(ns rtr)" addr add 203.0.113.1/32 dev ethr
        nsx rtr nft -f - <<EOF || die "nft nat"
table ip nat {
  chain post { type nat hook postrouting priority srcnat; oifname "ethr" ip saddr 192.0.2.0/24 snat to 203.0.113.1; }
}
EOF
    fi
    # filter rules: no conntrack in this table, so IP fragments are seen as they are
    nsx rtr nft -f - <<EOF || die "nft filter"
table inet filt {
  chain fw { type filter hook forward priority filter; policy accept;
$ROUTER_RULES
  }
}
EOF
    nsx ini ping -c1 -W2 "$RES_ADDR" >/dev/null || die "no IP connectivity ini -> res"
}

# add nft rules to rtr's forward chain later (e.g. after the tunnel is up)
router_rule() { nsx rtr nft add rule inet filt fw "$@"; }

# ---------------------------------------------------------------- strongSwan
node_dir() { printf '%s/%s' "$WORK" "$1"; }

charon_conf() {   # NODE (INI|RES)
    local N=$1 n; n=$(echo "$1" | tr A-Z a-z)
    local d; d=$(node_dir "$n")
    mkdir -p "$d/swanctl"/{x509,x509ca,private}
    local load="random nonce aes sha1 sha2 md5 hmac gcm pem pkcs1 pkcs8 x509 pubkey openssl gmp kdf curve25519 revocation constraints"
    if [ "$(nv "$N" ESP_BACKEND)" = kernel-libipsec ]; then
        load="$load kernel-libipsec kernel-netlink"
    else
        load="$load kernel-netlink"
    fi
    load="$load socket-default vici"
    export T_CHARON_LOAD="$load" T_NODEDIR="$d" \
        T_RETRANSMIT_TIMEOUT="$(nv "$N" RETRANSMIT_TIMEOUT)" T_RETRANSMIT_BASE="$(nv "$N" RETRANSMIT_BASE)" \
        T_RETRANSMIT_TRIES="$(nv "$N" RETRANSMIT_TRIES)" T_KEEP_ALIVE="$(nv "$N" KEEP_ALIVE)" \
        T_CHARON_EXTRA="$(nv "$N" CHARON_EXTRA)"
    render "$TPL_DIR/strongswan.conf.in" > "$d/strongswan.conf" || die "render strongswan.conf"

    local other=RES; [ "$N" = RES ] && other=INI
    local certs="" la ra rid
    [ "$(nv "$N" AUTH)" = pubkey ] && certs="certs = $n.pem"
    la=$(nv "$N" LOCAL_ADDR); ra=$(nv "$N" REMOTE_ADDR); rid=$(nv "$N" REMOTE_ID)
    export T_LOCAL_ADDR="${la:-$(nv "$N" ADDR)}" T_REMOTE_ADDR="${ra:-$(nv "$other" ADDR)}" \
        T_REMOTE_ID="${rid:-$(nv "$other" ID)}" T_LOCAL_ID="$(nv "$N" ID)" \
        T_VERSION="$(nv "$N" VERSION)" T_PROPOSALS="$(nv "$N" PROPOSALS)" T_ESP_PROPOSALS="$(nv "$N" ESP_PROPOSALS)" \
        T_AGGRESSIVE="$(nv "$N" AGGRESSIVE)" T_MOBIKE="$(nv "$N" MOBIKE)" \
        T_FRAGMENTATION="$(nv "$N" FRAGMENTATION)" T_ENCAP="$(nv "$N" ENCAP)" \
        T_DPD_DELAY="$(nv "$N" DPD_DELAY)" T_DPD_ACTION="$(nv "$N" DPD_ACTION)" \
        T_REKEY_TIME="$(nv "$N" REKEY_TIME)" T_OVER_TIME="$(nv "$N" OVER_TIME)" \
        T_CHILD_REKEY_TIME="$(nv "$N" CHILD_REKEY_TIME)" T_AUTH="$(nv "$N" AUTH)" \
        T_LOCAL_CERTS="$certs" T_LOCAL_TS="$(nv "$N" LOCAL_TS)" T_REMOTE_TS="$(nv "$N" REMOTE_TS)" \
        T_EXTRA_CONN="$(nv "$N" EXTRA_CONN)" T_EXTRA_CHILD="$(nv "$N" EXTRA_CHILD)" T_PSK="$(nv "$N" PSK)"
    render "$TPL_DIR/swanctl.conf.in" > "$d/swanctl/swanctl.conf" || die "render swanctl.conf"
}

start_charon() {   # NODE
    local N=$1 n; n=$(echo "$1" | tr A-Z a-z)
    local d; d=$(node_dir "$n")
    charon_conf "$N"
    [ "$(nv "$N" AUTH)" = pubkey ] && install_certs "$n"
    # private /run per daemon: charon insists on /var/run/charon.pid
    STRONGSWAN_CONF="$d/strongswan.conf" ip netns exec "$(ns "$n")" \
        sh -c 'mount -t tmpfs tmpfs /run && exec "$0"' "$CHARON" >"$d/charon.stdout" 2>&1 &
    PIDS+=($!)
    echo $! > "$d/charon.pid"
    local i
    for i in $(seq 1 50); do [ -S "$d/charon.vici" ] && break; sleep 0.1; done
    [ -S "$d/charon.vici" ] || die "charon in $n did not start"
    swanctl_ "$n" --load-all >/dev/null || die "swanctl --load-all in $n"
}

swanctl_() {   # node args...
    local n=$1; shift
    local d; d=$(node_dir "$n")
    STRONGSWAN_CONF="$d/strongswan.conf" SWANCTL_DIR="$d/swanctl" timeout "${SWANCTL_TIMEOUT:-20}" \
        ip netns exec "$(ns "$n")" swanctl "$@" --uri "unix://$d/charon.vici" 2>>"$d/swanctl.err"
}

initiate() {   # [node] - bounded swanctl --initiate
    local n=${1:-ini}
    SWANCTL_TIMEOUT=$((INITIATE_TIMEOUT + 5)) swanctl_ "$n" --initiate --child net --timeout "$INITIATE_TIMEOUT" \
        > "$(node_dir "$n")/initiate.out" 2>&1
    local rc=$?
    log "initiate: $(tail -n 1 "$(node_dir "$n")/initiate.out") (rc $rc)"
    return 0
}

# ---------------------------------------------------------------- certificates
make_pki() {
    [ -s "$WORK/pki/ini.pem" ] && return 0
    local p="$WORK/pki"; mkdir -p "$p"
    log "generating a root CA, one intermediate CA per side and RSA-$CERT_BITS end-entity certificates"
    pki --gen --type rsa --size 3072 --outform pem > "$p/root.key" 2>>"$p/pki.err"
    pki --self --ca --lifetime 3650 --in "$p/root.key" --dn "C=ZZ, O=ikescope samples, CN=ikescope Root CA" \
        --outform pem > "$p/root.pem" 2>>"$p/pki.err"
    local s
    for s in ini res; do
        pki --gen --type rsa --size "$CERT_BITS" --outform pem > "$p/$s-int.key" 2>>"$p/pki.err"
        pki --issue --cacert "$p/root.pem" --cakey "$p/root.key" --in "$p/$s-int.key" --type priv --ca \
            --lifetime 1825 --dn "C=ZZ, O=ikescope samples, OU=$s site, CN=ikescope Intermediate CA $s" \
            --outform pem > "$p/$s-int.pem" 2>>"$p/pki.err"
        pki --gen --type rsa --size "$CERT_BITS" --outform pem > "$p/$s.key" 2>>"$p/pki.err"
        local id; id=$( [ $s = ini ] && echo "$INI_ID" || echo "$RES_ID")
        pki --issue --cacert "$p/$s-int.pem" --cakey "$p/$s-int.key" --in "$p/$s.key" --type priv \
            --lifetime 365 --dn "C=ZZ, O=ikescope samples, OU=$s site, CN=$id" --san "$id" \
            --flag serverAuth --outform pem > "$p/$s.pem" 2>>"$p/pki.err"
        [ -s "$p/$s.pem" ] || die "pki failed: $(tail -3 "$p/pki.err")"
    done
}
install_certs() {   # node
    local n=$1 d; d=$(node_dir "$1")/swanctl
    cp "$WORK/pki/root.pem" "$d/x509ca/root.pem"
    cp "$WORK/pki/$n-int.pem" "$d/x509ca/$n-int.pem"
    cp "$WORK/pki/$n.pem" "$d/x509/$n.pem"
    cp "$WORK/pki/$n.key" "$d/private/$n.key"
}

# ---------------------------------------------------------------- libreswan
# pluto runs in the node's namespace inside a private mount namespace where the
# unpacked libreswan is bind-mounted over the paths it expects.
start_pluto() {   # NODE
    local N=$1 n; n=$(echo "$1" | tr A-Z a-z)
    local d; d=$(node_dir "$n")
    ensure_libreswan
    mkdir -p "$d/nss" "$d/run" "$d/ipsec.d"
    certutil -N -d "sql:$d/nss" --empty-password >/dev/null 2>&1 || die "certutil -N"
    local other=RES; [ "$N" = RES ] && other=INI
    {
        echo "config setup"
        echo "    logfile=$d/pluto.log"
        echo "    logtime=yes"
        echo "    logappend=no"
        echo "    plutodebug=\"base crypt private\""
        echo "    ikev1-policy=accept"
        echo "    nssdir=$d/nss"
        echo "conn s2s"
        echo "    left=$(nv "$N" ADDR)"
        echo "    leftid=@$(nv "$N" ID)"
        echo "    leftsubnet=$(nv "$N" LOCAL_TS)"
        echo "    right=$(nv "$other" ADDR)"
        echo "    rightid=@$(nv "$other" ID)"
        echo "    rightsubnet=$(nv "$N" REMOTE_TS)"
        echo "    authby=secret"
        echo "    auto=add"
        echo "    retransmit-timeout=12s"
        echo "    retransmit-interval=1000"
        nv "$N" LSW_CONN | sed 's/^/    /'
        echo
    } > "$d/ipsec.conf"
    printf '@%s @%s : PSK "%s"\n' "$(nv "$N" ID)" "$(nv "$other" ID)" "$(nv "$N" PSK)" > "$d/ipsec.secrets"
    cat > "$d/pluto.sh" <<EOF
set -e
mount -t tmpfs tmpfs /run
mkdir -p /run/pluto
mount -t tmpfs tmpfs /usr/libexec 2>/dev/null || { mkdir -p /tmp/lsw-libexec; }
mkdir -p /usr/libexec/ipsec
mount --bind "$LSW_ROOT/usr/libexec/ipsec" /usr/libexec/ipsec
exec /usr/libexec/ipsec/pluto --nofork --config "$d/ipsec.conf" --secretsfile "$d/ipsec.secrets" \
    --ipsecdir "$d/ipsec.d" --nssdir "$d/nss" --rundir "$d/run" --logfile "$d/pluto.log"
EOF
    ip netns exec "$(ns "$n")" unshare -m --propagation private sh "$d/pluto.sh" > "$d/pluto.stdout" 2>&1 &
    PIDS+=($!)
    echo $! > "$d/pluto.pid"
    local i
    for i in $(seq 1 50); do [ -S "$d/run/pluto.ctl" ] && break; sleep 0.1; done
    [ -S "$d/run/pluto.ctl" ] || die "pluto in $n did not start: $(tail -3 "$d/pluto.stdout" "$d/pluto.log" 2>/dev/null)"
    sleep 0.5
}

whack_() {   # node args...
    local n=$1; shift
    local d; d=$(node_dir "$n")
    ip netns exec "$(ns "$n")" "$LSW_ROOT/usr/libexec/ipsec/whack" --rundir "$d/run" "$@"
}

# ---------------------------------------------------------------- capture
start_capture() {
    tcpdump_out="$WORK/capture.pcap"
    ip netns exec "$(ns rtr)" tcpdump -i "$CAPTURE_IF" --immediate-mode -U -s 0 -Z root \
        -w "$tcpdump_out" 'not arp' 2>"$WORK/tcpdump.err" &
    CAP_PID=$!
    PIDS+=($CAP_PID)
    local i
    for i in $(seq 1 30); do grep -q 'listening on' "$WORK/tcpdump.err" 2>/dev/null && break; sleep 0.1; done
    sleep 0.3
}
stop_capture() {
    sleep 0.3
    kill -INT "$CAP_PID" 2>/dev/null
    local i
    for i in $(seq 1 30); do kill -0 "$CAP_PID" 2>/dev/null || break; sleep 0.1; done
}

# ---------------------------------------------------------------- default hooks
scenario_net() { :; }          # extra network setup before the daemons start
scenario_run() {               # what happens while capturing
    initiate ini
    do_ping
}
scenario_after() { :; }        # after the capture stopped

do_ping() {
    [ "$PING" -gt 0 ] || return 0
    nsx ini ping -n -q -c "$PING" -i "$PING_INTERVAL" -W 1 -I 10.1.0.1 10.2.0.1 >"$WORK/ping.out" 2>&1
    log "ping: $(grep -E 'packets transmitted' "$WORK/ping.out")"
}

# ---------------------------------------------------------------- outputs
tshark_count() { tshark -r "$1" ${2:+-Y "$2"} 2>/dev/null | wc -l; }
# tshark_count with TSHARK_DECODE_AS
tshark_count_da() { tshark -d "$TSHARK_DECODE_AS" -r "$1" ${2:+-Y "$2"} 2>/dev/null | wc -l; }

write_outputs() {
    local pcap="$OUTDIR/$NAME.pcap"
    cp "$tcpdump_out" "$pcap"
    local packets ike esp
    packets=$(tshark_count "$pcap")
    ike=$(tshark_count "$pcap" 'isakmp && !icmp && !icmpv6')
    esp=$(tshark_count "$pcap" 'esp && !icmp && !icmpv6')
    local extra=""
    if [ -n "$TSHARK_DECODE_AS" ]; then
        local dp di de
        dp=$(tshark_count_da "$pcap")
        di=$(tshark_count_da "$pcap" 'isakmp && !icmp && !icmpv6')
        de=$(tshark_count_da "$pcap" 'esp && !icmp && !icmpv6')
        extra=",
  \"ikescope_counts\": {\"packets\": $dp, \"ike_packets\": $di, \"esp_packets\": $de},
  \"tshark_misses\": $(TSHARK_MISSES="$TSHARK_MISSES" perl -MJSON::PP -e 'print JSON::PP->new->encode($ENV{TSHARK_MISSES})')"
        log "counts with -d $TSHARK_DECODE_AS: packets=$dp ike=$di esp=$de"
    fi
    # key material
    rm -rf "$OUTDIR/$NAME.keys"
    mkdir -p "$OUTDIR/$NAME.keys"
    local logs=() f
    for f in "$WORK"/ini/charon.log "$WORK"/res/charon.log; do [ -s "$f" ] && logs+=("$f"); done
    if [ ${#logs[@]} -gt 0 ]; then
        perl "$GEN_DIR/extract-keys.pl" "$OUTDIR/$NAME.keys" "${logs[@]}" >&2
    fi
    [ -n "$(ls -A "$OUTDIR/$NAME.keys")" ] || rmdir "$OUTDIR/$NAME.keys"
    # the daemons' own words, without key material (level <= 1 lines)
    {
        for f in ini res; do
            if [ -s "$WORK/$f/charon.log" ]; then
                grep -vE '\[(DMN|LIB)\]|loaded plugins|^\S+ \S+ (<[^>]+> )?\s+[0-9]+: ' \
                    "$WORK/$f/charon-summary.log" | sed "s/^/$f charon: /"
            fi
            if [ -s "$WORK/$f/pluto.log" ]; then
                # pluto's own lines about the connection (no debug "| " lines, no start-up tables)
                grep -vE ': \| ' "$WORK/$f/pluto.log" | grep -E 'Starting Pluto|"s2s"|ERROR|packet from' \
                    | sed "s/^/$f pluto: /"
            fi
        done
    } > "$OUTDIR/$NAME.log"
    # expect.json
    local impl
    impl="$(impl_name "$INI_IMPL") <-> $(impl_name "$RES_IMPL")"
    local backend="$ESP_BACKEND"
    LESSON="$LESSON" FINDINGS="$FINDINGS" EXTRA="$extra" perl -MJSON::PP -e '
        my ($name, $ver, $impl, $backend, $p, $i, $e) = @ARGV;
        my $j = JSON::PP->new->canonical(0)->indent->space_after;
        my $f = JSON::PP->new->decode($ENV{FINDINGS});
        die "lesson longer than 100 chars\n" if length $ENV{LESSON} > 100;
        my $o = "{\n  \"name\": " . JSON::PP->new->encode($name)
              . ",\n  \"lesson\": " . JSON::PP->new->encode($ENV{LESSON})
              . ",\n  \"ike_version\": $ver"
              . ",\n  \"implementations\": " . JSON::PP->new->encode($impl)
              . ",\n  \"esp_backend\": " . JSON::PP->new->encode($backend)
              . ",\n  \"counts\": {\"packets\": $p, \"ike_packets\": $i, \"esp_packets\": $e}"
              . $ENV{EXTRA}
              . ",\n  \"findings\": [" . join(",", map { "\n    " . JSON::PP->new->canonical->encode($_) } @$f)
              . (@$f ? "\n  " : "") . "]\n}\n";
        print $o;' "$NAME" "$IKE_VERSION" "$impl" "$backend" "$packets" "$ike" "$esp" \
        > "$OUTDIR/$NAME.expect.json" || die "expect.json"
    log "counts: packets=$packets ike=$ike esp=$esp"
}

impl_name() {
    case $1 in
        strongswan) printf 'strongSwan %s' "$("$CHARON" --version 2>/dev/null | sed -n 's/.*strongSwan \([0-9.]*\).*/\1/p' | head -1)";;
        libreswan)  printf 'libreswan %s' "$("$LSW_ROOT/usr/libexec/ipsec/pluto" --version 2>/dev/null | awk '{print $2; exit}')";;
    esac
}

# Decrypt the capture with tshark and the key files; report what decrypted.
verify_keys() {
    local pcap="$OUTDIR/$NAME.pcap" kd="$OUTDIR/$NAME.keys"
    [ -d "$kd" ] || { log "keys: none (nothing to decrypt)"; return 0; }
    local t; t=$(mktemp -d)
    mkdir -p "$t/wireshark/profiles/k"
    cp "$kd"/* "$t/wireshark/profiles/k/"
    local ts=(env XDG_CONFIG_HOME="$t" tshark -C k -o esp.enable_encryption_decode:TRUE
              -o esp.enable_authentication_check:TRUE ${TSHARK_DECODE_AS:+-d "$TSHARK_DECODE_AS"} -r "$pcap")
    local enc dec bad espn espd espbad
    # IKEv2: SK/SKF payloads; IKEv1: messages with the encryption flag (decrypted ones show HASH)
    enc=$("${ts[@]}" -Y 'isakmp.enc.data || isakmp.enc.iv || (isakmp.version == 0x10 && isakmp.flags & 0x01)' 2>/dev/null | wc -l)
    dec=$("${ts[@]}" -Y 'isakmp.enc.decrypted || (isakmp.version == 0x10 && isakmp.flags & 0x01 && (isakmp.hash || isakmp.sig))' 2>/dev/null | wc -l)
    bad=$("${ts[@]}" -Y '_ws.expert.message contains "Integrity Checksum Data is incorrect"' 2>/dev/null | wc -l)
    if [ -n "$TSHARK_DECODE_AS" ]; then espn=$(tshark_count_da "$pcap" 'esp'); else espn=$(tshark_count "$pcap" 'esp'); fi
    espd=$("${ts[@]}" -Y 'esp.icv_good == 1' 2>/dev/null | wc -l)
    espbad=$("${ts[@]}" -Y 'esp.icv_bad == 1' 2>/dev/null | wc -l)
    KEYCHECK="IKE: $dec of $enc encrypted messages decrypted, $bad integrity failures; ESP: $espd of $espn packets with good ICV, $espbad bad"
    log "keys: $KEYCHECK"
    echo "$KEYCHECK" > "$WORK/keycheck"
    rm -rf "$t"
}

# ---------------------------------------------------------------- main
run_scenario() {   # SCENARIO-FILE OUTDIR
    local sfile=$1
    OUTDIR=$2
    NAME=$(basename "$sfile" .sh)
    set_defaults
    # shellcheck disable=SC1090
    . "$sfile"
    [ "$(id -u)" = 0 ] || die "must run as root"
    ensure_deps
    { [ "$INI_IMPL" = libreswan ] || [ "$RES_IMPL" = libreswan ]; } && ensure_libreswan
    mkdir -p "$OUTDIR"
    OUTDIR=$(cd "$OUTDIR" && pwd)
    WORK=$(mktemp -d /tmp/ikescope-gen.XXXXXX)
    PFX="iks$$"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$WORK/ini" "$WORK/res"
    log "scenario $NAME (work $WORK, namespaces $PFX-*)"
    if [ "$(nv INI AUTH)" = pubkey ] || [ "$(nv RES AUTH)" = pubkey ]; then make_pki; fi
    setup_net
    scenario_net
    local N impl
    for N in RES INI; do
        [ "$(nv "$N" DAEMON)" = no ] && continue
        impl=$(nv "$N" IMPL)
        case $impl in
            strongswan) start_charon "$N";;
            libreswan)  start_pluto "$N";;
            *) die "unknown implementation '$impl'";;
        esac
    done
    start_capture
    scenario_run
    sleep "$SETTLE"
    stop_capture
    scenario_after
    write_outputs
    verify_keys
    log "wrote $OUTDIR/$NAME.pcap ($(stat -c %s "$OUTDIR/$NAME.pcap") bytes)"
}
