#!/bin/bash
# tests/samples/regen_one.sh [SCENARIO]
#
# Regenerates ONE sample scenario end to end (network namespaces, real
# strongSwan daemons, tcpdump capture) into a temporary directory and checks:
#   1. the fresh capture holds IKE packets (tshark);
#   2. the fresh NAME.expect.json counts equal tshark's counts on the capture;
#   3. the key files decrypt the capture with tshark (IKE and ESP);
#   4. if $IKESCOPE is an executable, `$IKESCOPE --json -q -r FILE` reports, in
#      its last NDJSON line ({"type":"summary",...}), packets / ike_packets /
#      esp_packets equal to tshark's counts;
#   5. if $IKESCOPE is an executable and the scenario is IKEv2 with one PSK on
#      both sides: with the fresh ikev2_decryption_table and ikev2_auth_keys
#      (SK_d/SK_pi/SK_pr, written by extract-keys.pl from charon's log),
#      `--psk <the scenario's PSK>` gives psk_check "match" (on at least one
#      ike_sa record, the others "not-checkable": a rekeyed SA has no AUTH),
#      and a wrong PSK gives "mismatch" in their place plus a confirmed
#      psk-mismatch finding.
# Exit 0 pass, 1 fail, 77 skip (not root, or network namespaces unavailable).
# Bounded: the generator runs under `timeout`; the whole test takes ~10-20 s.
set -u
here=$(cd "$(dirname "$0")" && pwd)
gen="$here/../../samples/generate"
scenario=${1:-ikev2-success-aes-cbc}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
probe="iks-probe-$$"
ip netns add "$probe" 2>/dev/null || skip "cannot create network namespaces"
ip netns del "$probe"

tmp=$(mktemp -d /tmp/ikescope-regen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if ! timeout 100 "$gen/run" "$scenario" "$tmp" > "$tmp/gen.log" 2>&1; then
    cat "$tmp/gen.log"
    fail "generator failed for $scenario"
fi
pcap="$tmp/$scenario.pcap"
[ -s "$pcap" ] || fail "no capture written"

count() { tshark -r "$pcap" ${1:+-Y "$1"} 2>/dev/null | wc -l; }
packets=$(count)
ike=$(count 'isakmp && !icmp && !icmpv6')
esp=$(count 'esp && !icmp && !icmpv6')
echo "tshark: packets=$packets ike_packets=$ike esp_packets=$esp"
[ "$ike" -gt 0 ] || fail "capture has no IKE packets"

# expect.json written by the generator must agree with tshark
json_counts() {   # FILE -> "packets ike esp" (from expect.json or a summary line)
    perl -MJSON::PP -e '
        local $/; my $t = <STDIN>; my $j = JSON::PP->new->decode($t);
        my $c = $j->{counts} // $j;
        print join(" ", map { $c->{$_} // "missing" } qw(packets ike_packets esp_packets)), "\n";'
}
exp=$(json_counts < "$tmp/$scenario.expect.json") || fail "bad expect.json"
[ "$exp" = "$packets $ike $esp" ] || fail "expect.json counts '$exp' != tshark '$packets $ike $esp'"

# key files must decrypt
grep -q 'keys: IKE: \([1-9][0-9]*\) of \1 encrypted messages decrypted, 0 integrity failures' "$tmp/gen.log" \
    || { grep 'keys:' "$tmp/gen.log"; fail "IKE key files do not decrypt every encrypted message"; }
if [ "$esp" -gt 0 ]; then
    grep -q "ESP: $esp of $esp packets with good ICV, 0 bad" "$tmp/gen.log" \
        || { grep 'keys:' "$tmp/gen.log"; fail "ESP key file does not authenticate every ESP packet"; }
fi

# ikescope, when built
if [ -n "${IKESCOPE:-}" ] && [ -x "${IKESCOPE}" ]; then
    out=$("$IKESCOPE" --json -q -r "$pcap" 2>"$tmp/ikescope.err")
    rc=$?
    [ $rc -eq 0 ] || { cat "$tmp/ikescope.err"; fail "ikescope exited $rc"; }
    last=$(printf '%s\n' "$out" | grep -v '^[[:space:]]*$' | tail -n 1)
    got=$(printf '%s' "$last" | json_counts) || fail "last NDJSON line is not JSON: $last"
    echo "ikescope: $got"
    [ "$got" = "$packets $ike $esp" ] || fail "ikescope counts '$got' != tshark '$packets $ike $esp'"

    # IKEv2 PSK check with the SK_pi/SK_pr extension line.  The PSK comes from
    # the scenario settings, evaluated the way ./run does (lib.sh defaults,
    # then the scenario file), in a subshell.
    psk_settings=$(
        . "$gen/lib.sh" >/dev/null 2>&1 || exit 1
        set_defaults
        sf="$gen/scenarios/$scenario.sh"; [ -f "$scenario" ] && sf=$scenario
        . "$sf" >/dev/null 2>&1 || exit 1
        if [ "$IKE_VERSION" = 2 ] && [ "$(nv INI AUTH)" = psk ] && [ "$(nv RES AUTH)" = psk ] \
            && [ "$(nv INI PSK)" = "$(nv RES PSK)" ]; then
            printf 'psk\n%s' "$(nv INI PSK)"
        else
            printf 'none'
        fi
    ) || fail "cannot read the settings of scenario $scenario"
    kd="$tmp/$scenario.keys"
    if [ "${psk_settings%%$'\n'*}" = psk ]; then
        psk=${psk_settings#*$'\n'}
        [ -s "$kd/ikev2_decryption_table" ] || fail "no fresh ikev2_decryption_table"
        [ -s "$kd/ikev2_auth_keys" ] || fail "extract-keys.pl wrote no ikev2_auth_keys"
        # FILE of NDJSON -> "psk_check values of the ike_sa records;confirmed psk-mismatch findings"
        psk_result() {
            perl -MJSON::PP -ne '
                next unless /\S/; my $j = JSON::PP->new->decode($_);
                push @c, $j->{psk_check} // "missing" if $j->{type} eq "ike_sa";
                $m++ if $j->{type} eq "finding" && $j->{code} eq "psk-mismatch"
                        && $j->{confidence} eq "confirmed";
                END { print join(",", @c) . ";" . ($m // 0) . "\n" }' "$1"
        }
        run_psk() {   # PSK -> writes $tmp/psk.json, prints psk_result
            "$IKESCOPE" --json --keys "$kd/ikev2_decryption_table" --keys "$kd/ikev2_auth_keys" \
                --psk "$1" -r "$pcap" > "$tmp/psk.json" 2>"$tmp/ikescope.err"
            local rc=$?
            [ $rc -eq 0 ] || { cat "$tmp/ikescope.err" >&2; echo "exit $rc"; return 1; }
            psk_result "$tmp/psk.json"
        }
        good=$(run_psk "$psk") || fail "ikescope --psk (right key): $good"
        echo "ikescope --psk right key: psk_check=${good%;*} confirmed psk-mismatch=${good#*;}"
        # every ike_sa record: WANT or not-checkable, and at least one WANT
        psk_ok() {   # "v1,v2,...;n" WANT
            local l; l=$(printf '%s' "${1%;*}" | tr ',' '\n')
            printf '%s\n' "$l" | grep -qx "$2" && [ -z "$(printf '%s\n' "$l" | grep -vx -e "$2" -e not-checkable)" ]
        }
        psk_ok "$good" match || fail "right PSK: psk_check '${good%;*}' (want match)"
        [ "${good#*;}" = 0 ] || fail "right PSK raised psk-mismatch"
        bad=$(run_psk "$psk, but wrong") || fail "ikescope --psk (wrong key): $bad"
        echo "ikescope --psk wrong key: psk_check=${bad%;*} confirmed psk-mismatch=${bad#*;}"
        psk_ok "$bad" mismatch || fail "wrong PSK: psk_check '${bad%;*}' (want mismatch)"
        [ "${bad#*;}" -gt 0 ] || fail "wrong PSK raised no confirmed psk-mismatch finding"
    else
        echo "note: $scenario is not IKEv2 with one PSK on both sides; --psk check skipped"
    fi
else
    echo "note: IKESCOPE not set or not executable; checked the tshark side only"
fi
echo "PASS: $scenario regenerated ($packets packets, $ike IKE, $esp ESP)"
exit 0
