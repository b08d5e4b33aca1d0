#!/usr/bin/env bash
# The active probe against real responders in network namespaces (lib.sh).
# Usage: probe.sh CASE  (one meson test per case; exit 0 pass, 77 skip).
HERE=$(cd "$(dirname "$0")" && pwd)
IKESCOPE=${IKESCOPE:-build/ikescope}
case "$IKESCOPE" in /*) ;; *) IKESCOPE="$PWD/$IKESCOPE" ;; esac
. "$HERE/lib.sh"
CASE=${1:?case}
need_root

T=198.51.100.1
case "$CASE" in
default)
    # stock strongSwan (default proposals) takes the default probe at once
    setup_net
    start_charon default 2 "send_vendor_id = yes"
    probe "$T"
    [ "$PROBE_RC" -eq 0 ] || fail "exit $PROBE_RC"
    check 'len(P) == 1 and P[0]["result"] == "answered" and P[0]["notify_types"] == []'
    check 'P[-1]["chosen"]["encr"].startswith("AES_") and P[-1]["chosen"]["dh"] == "CURVE25519"'
    check '"strongSwan" in P[-1]["vendor_ids"] and P[-1]["fragmentation"] is True'
    check 'P[-1]["nat_detected"] is False and 0 < P[-1]["rtt_ms"] < 1000'
    check 'P[-1]["target"] == "198.51.100.1" and P[-1]["port"] == 500 and P[-1]["ike_version"] == 2'
    # the same in text, to UDP 4500 (non-ESP marker)
    timeout 30 ip netns exec "$(ns pr)" "$IKESCOPE" probe --port 4500 "$T" >"$WORK/text.out" 2>&1 \
        || fail "text probe to 4500: $(cat "$WORK/text.out")"
    cat "$WORK/text.out"
    grep -q '^198.51.100.1:4500 IKEv2 .*answered in .* ms; chose AES_.*; vendor IDs: strongSwan; fragmentation yes; NAT none$' \
        "$WORK/text.out" || fail "text line"
    ;;
ikev1)
    # IKEv1 main mode and aggressive mode against an IKEv1 connection
    setup_net
    CONN_EXTRA="aggressive = yes" start_charon default 1 "i_dont_care_about_security_and_use_aggressive_mode_psk = yes
  send_vendor_id = yes"
    probe --ikev1 "$T"
    check 'len(P) == 1 and P[0]["result"] == "answered" and P[0]["ike_version"] == 1 and P[0]["mode"] == "main"'
    check 'P[0]["chosen"] == {"encr": "AES-CBC_256", "hash": "SHA2-256", "auth": "Pre-shared key", "dh": "MODP_2048"}'
    check '"strongSwan" in P[0]["vendor_ids"] and "RFC 3947 NAT-T" in P[0]["vendor_ids"] and P[0]["fragmentation"] is True'
    probe --aggressive --id ini.example.net "$T"
    check 'len(P) == 1 and P[0]["result"] == "answered" and P[0]["mode"] == "aggressive" and P[0]["ke_group"] == "MODP_2048"'
    check 'P[0]["chosen"]["dh"] == "MODP_2048" and P[0]["notify_types"] == []'
    ;;
no-proposal)
    # a profile the responder refuses: Azure route-based's MODP_1024 against modp2048 only
    setup_net
    start_charon aes256-sha256-modp2048
    probe --profile azure-route-based "$T"
    check 'len(P) == 1 and P[0]["result"] == "answered" and P[0]["notify_types"] == [14] and "chosen" not in P[0]'
    grep -q 'received proposals unacceptable' "$WORK/charon.log" || fail "charon did not refuse the proposal"
    ;;
invalid-ke)
    # responder wants ECP_256; the probe offers MODP_2048 and ECP_256, KE of MODP_2048
    setup_net
    start_charon aes256-sha256-ecp256
    probe --dh MODP_2048,ECP_256 "$T"
    check 'len(P) == 2 and P[0]["notify_types"] == [17] and P[0]["dh_wanted"] == "ECP_256" and P[0]["ke_group"] == "MODP_2048"'
    check 'P[1]["result"] == "answered" and P[1]["ke_group"] == "ECP_256" and P[1]["chosen"]["dh"] == "ECP_256" and P[1]["notify_types"] == []'
    ;;
cookie)
    # a responder under "load" (cookie_threshold_ip = 1): the cookie is sent back once
    setup_net
    COOKIE_IP=1 start_charon default
    probe "$T"
    check 'len(P) == 1 and "chosen" in P[0]'
    probe "$T"
    check 'len(P) == 2 and P[0]["notify_types"] == [16390] and "chosen" not in P[0]'
    check 'P[1].get("cookie_sent") is True and "chosen" in P[1] and P[1]["sport"] == P[0]["sport"]'
    ;;
dropped)
    setup_net
    start_charon default
    drop_udp 500
    start=$(date +%s%N)
    probe --timeout 0.3 --retries 2 "$T"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    check 'len(P) == 1 and P[0]["result"] == "no-response" and P[0]["tries"] == 3'
    # 0.3 + 0.6 + 1.2 s of waiting: the back-off really happened
    [ "$ms" -ge 2000 ] && [ "$ms" -lt 10000 ] || fail "took $ms ms"
    ;;
no-daemon)
    setup_net
    probe "$T"
    check 'len(P) == 1 and P[0]["result"] == "icmp-unreachable" and P[0]["icmp"]["type"] == 3 and P[0]["icmp"]["code"] == 3'
    check 'P[0]["icmp"]["from"] == "198.51.100.1" and P[0]["icmp"]["what"] == "port unreachable"'
    ;;
nat)
    # the responder sits behind rt (DNAT 198.51.100.1 -> 10.9.0.1)
    setup_net nat
    start_charon default
    probe "$T"
    check 'P[-1]["result"] == "answered" and P[-1]["nat_detected"] is True'
    check 'P[-1]["nat"]["peer_behind_nat"] is True and P[-1]["nat"]["local_behind_nat"] is False'
    ;;
enumerate)
    setup_net
    start_charon aes256-sha256-modp2048,aes128-sha1-ecp256
    probe --enumerate --encr AES_CBC_128,AES_CBC_256 --integ HMAC_SHA1_96,HMAC_SHA2_256_128 \
        --dh MODP_2048,ECP_256 --rate 20 --timeout 0.5 "$T"
    check 'len(P) == 8 and all(p["result"] == "answered" for p in P)'
    check '[p["offered"] for p in P if p["accepted"]] == ["AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256", "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"]'
    # the text summary lists the same two
    timeout 60 ip netns exec "$(ns pr)" "$IKESCOPE" probe --enumerate --encr AES_CBC_128,AES_CBC_256 \
        --integ HMAC_SHA1_96,HMAC_SHA2_256_128 --dh MODP_2048,ECP_256 --rate 20 --timeout 0.5 "$T" \
        >"$WORK/enum.txt" 2>&1 || fail "text enumerate"
    tail -n 3 "$WORK/enum.txt"
    [ "$(tail -n 3 "$WORK/enum.txt")" = "198.51.100.1: 2 of 8 combinations accepted
  AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256
  AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" ] || fail "text enumerate summary"
    check 'sorted(p["offered"] for p in P if "chosen" in p) == ["AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256", "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"]'
    check 'all(p["notify_types"] == [14] for p in P if "chosen" not in p)'
    ;;
ipv6)
    # raw IPv6: ICMPv6 port unreachable without a daemon, then charon's answer
    add_ns pr; add_ns rs
    ip -n "$(ns pr)" link add eth0 type veth peer name eth0 netns "$(ns rs)" || fail veth
    ip -n "$(ns pr)" link set eth0 up
    ip -n "$(ns rs)" link set eth0 up
    ip -n "$(ns pr)" addr add 2001:db8::1/64 dev eth0 nodad
    ip -n "$(ns rs)" addr add 2001:db8::2/64 dev eth0 nodad
    for _ in $(seq 1 30); do nsx pr ping -6 -c1 -W1 2001:db8::2 >/dev/null 2>&1 && break; sleep 0.1; done
    probe 2001:db8::2
    check 'len(P) == 1 and P[0]["result"] == "icmp-unreachable" and P[0]["icmp"]["type"] == 1 and P[0]["icmp"]["code"] == 4'
    RS_ADDR=2001:db8::2
    start_charon default
    probe 2001:db8::2
    check 'P[-1]["result"] == "answered" and "chosen" in P[-1] and P[-1]["target"] == "2001:db8::2" and P[-1]["nat_detected"] is False'
    ;;
libreswan)
    # libreswan 4 (pluto) with its default proposals takes the default probe too
    setup_net
    start_pluto
    probe "$T"
    check 'P[-1]["result"] == "answered" and "chosen" in P[-1] and P[-1]["notify_types"] == []'
    check 'len(P) <= 2 and all(p["notify_types"] in ([], [17]) for p in P)'
    check 'P[-1]["fragmentation"] is True and P[-1]["nat_detected"] is False'
    ;;
errors)
    setup_net
    # an interface without an address: one end of a veth pair
    ip -n "$(ns pr)" link add dum0 type veth peer name dum1 || fail "veth dum0"
    ip -n "$(ns pr)" link set dum0 up
    # not root
    timeout 20 ip netns exec "$(ns pr)" setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$IKESCOPE" probe "$T" >"$WORK/nr.out" 2>&1
    rc=$?; cat "$WORK/nr.out"
    [ "$rc" -eq 1 ] && grep -q '^ikescope: probe: raw sockets need root' "$WORK/nr.out" || fail "non-root: rc $rc"
    # unresolvable host
    timeout 30 ip netns exec "$(ns pr)" "$IKESCOPE" probe no-such-host.invalid >"$WORK/nx.out" 2>&1
    rc=$?; cat "$WORK/nx.out"
    [ "$rc" -eq 1 ] && grep -q "^ikescope: probe: cannot resolve 'no-such-host.invalid'" "$WORK/nx.out" || fail "unresolvable: rc $rc"
    # an interface without an address
    timeout 20 ip netns exec "$(ns pr)" "$IKESCOPE" probe -i dum0 "$T" >"$WORK/if.out" 2>&1
    rc=$?; cat "$WORK/if.out"
    [ "$rc" -eq 1 ] && grep -q '^ikescope: probe: -i dum0: the interface has no IPv4 address$' "$WORK/if.out" || fail "no address: rc $rc"
    # usage errors
    "$IKESCOPE" probe --aggressive "$T" >/dev/null 2>&1; [ $? -eq 2 ] || fail "--aggressive without --id"
    "$IKESCOPE" probe --port 501 "$T" >/dev/null 2>&1; [ $? -eq 2 ] || fail "--port 501"
    "$IKESCOPE" probe >/dev/null 2>&1; [ $? -eq 2 ] || fail "no host"
    ;;
*)
    fail "unknown case $CASE"
    ;;
esac
echo "pass: $CASE"
exit 0
