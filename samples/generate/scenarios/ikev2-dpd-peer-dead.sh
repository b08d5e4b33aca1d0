# IKEv2 tunnel up; then the responder vanishes (the router drops everything to and from it).
# The initiator's DPD (empty INFORMATIONAL requests) goes unanswered until it gives up.
LESSON="Dead peer: empty INFORMATIONAL (DPD) requests resent, never answered, IKE SA torn down"
IKE_VERSION=2
ESP_BACKEND=kernel-libipsec
INI_DPD_DELAY=2s
PING=3
FINDINGS='[{"code":"dpd-timeout","severity":"warning","confidence":"likely"},{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
scenario_run() {
    initiate ini
    do_ping
    router_rule ip saddr 198.51.100.1 drop
    router_rule ip daddr 198.51.100.1 drop
    # DPD after 2 s idle, then 1 + 4 retransmits (about 11 s) before charon gives up
    local i
    for i in $(seq 1 40); do
        grep -q 'giving up after' "$WORK/ini/charon.log" 2>/dev/null && break
        sleep 0.5
    done
}
