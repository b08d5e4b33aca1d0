# libreswan's pluto (initiator) against strongSwan's charon (responder), IKEv2 PSK.
LESSON="libreswan -> strongSwan IKEv2: SAs negotiated; pluto cannot install ESP here, so no ESP"
IKE_VERSION=2
INI_IMPL=libreswan
RES_ESP_BACKEND=kernel-libipsec
ESP_BACKEND=none
INI_LSW_CONN="ikev2=yes
ike=aes256-sha2_256;modp2048
esp=aes128-sha2_256"
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
scenario_run() {
    whack_ ini --name s2s --initiate --asynchronous >/dev/null 2>&1
    local i
    for i in $(seq 1 20); do
        grep -qE 'established Child SA|IPsec SA established|failed|ERROR' "$WORK/ini/pluto.log" 2>/dev/null && break
        sleep 0.5
    done
    sleep 2
}
