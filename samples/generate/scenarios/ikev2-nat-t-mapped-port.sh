# IKEv2 behind a NAT that maps the initiator's UDP 4500 to 203.0.113.1:1194 (OpenVPN's port);
# captured outside the NAT, so IKE_AUTH, ESP in UDP and keepalives run 1194 <-> 4500 on the wire.
LESSON="NAT maps 4500 to 1194: IKE_AUTH, ESP-in-UDP, keepalives on 1194<->4500; tshark calls it OpenVPN"
IKE_VERSION=2
NAT=yes
CAPTURE_IF=ethr
RES_REMOTE_ADDR=%any
ESP_BACKEND=kernel-libipsec
KEEP_ALIVE=2s
PING=4
SETTLE=5
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
# tshark (no preferences) tries the lower port first: UDP 1194 is OpenVPN's, so the
# 1194<->4500 frames become malformed OpenVPN.  expect.json's "counts" stay tshark's;
# "ikescope_counts" are tshark's with Decode As UDP 1194 -> UDPENCAP, which is what
# ikescope reports (it keys NAT-T on the 4500 side whatever the other port is).
TSHARK_DECODE_AS="udp.port==1194,udpencap"
TSHARK_MISSES="tshark tries the lower UDP port first and hands 1194<->4500 to OpenVPN: it misses IKE_AUTH (2), ESP in UDP (8) and the NAT keepalives (2); ikescope_counts are tshark's with -d udp.port==1194,udpencap"

# Ahead of lib.sh's "snat to 203.0.113.1": UDP from source port 4500 leaves as port 1194
# (UDP 500 keeps port 500 under the general rule).  No UDP flow exists yet, so conntrack
# binds the first datagram from 192.0.2.1:4500 to this mapping.
scenario_net() {
    nsx rtr nft insert rule ip nat post oifname ethr ip saddr 192.0.2.0/24 udp sport 4500 \
        snat to 203.0.113.1:1194 || die "nft snat 4500 -> 1194"
}
