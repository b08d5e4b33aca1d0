# IKEv2 responder under (simulated) load: another initiator (ini2, 203.0.113.2) left a half-open
# IKE SA, and with cookie_threshold = 1 the responder demands a COOKIE from the next initiator.
LESSON="COOKIE challenge: responder under load answers IKE_SA_INIT with COOKIE; initiator resends"
IKE_VERSION=2
ESP_BACKEND=kernel-libipsec
RES_REMOTE_ADDR=%any
RES_CHARON_EXTRA="cookie_threshold = 1"
INI2_ADDR=203.0.113.2
INI2_ID=ini2.example.net
INI2_ESP_BACKEND=kernel
INI2_LOCAL_TS=10.3.0.0/24
INI2_REMOTE_TS=10.2.0.0/24
PING=3
FINDINGS='[{"code":"cookie-challenge","severity":"info","confidence":"confirmed"},{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
scenario_net() {
    add_ns ini2
    ip -n "$(ns ini2)" link add eth0 type veth peer name ethc netns "$(ns rtr)"
    ip -n "$(ns ini2)" link set eth0 up
    ip -n "$(ns rtr)" link set ethc up
    ip -n "$(ns ini2)" addr add 203.0.113.2/24 dev eth0
    ip -n "$(ns ini2)" route add default via 203.0.113.254
    ip -n "$(ns rtr)" addr add 203.0.113.254/24 dev ethc
    # the answers to ini2 never arrive: its IKE SA at the responder stays half-open
    router_rule ip daddr 203.0.113.2 drop
    mkdir -p "$WORK/ini2"
}
scenario_run() {
    start_charon INI2
    swanctl_ ini2 --initiate --child net --timeout 3 >/dev/null 2>&1 &
    local bg=$!
    sleep 1.5
    initiate ini
    do_ping
    wait $bg
}
