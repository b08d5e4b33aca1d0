# IKEv2 tunnel with very short lifetimes: CHILD SA rekeyed, IKE SA rekeyed (CREATE_CHILD_SA),
# old SAs deleted (INFORMATIONAL with D), finally the tunnel is closed.
LESSON="Rekeying: CREATE_CHILD_SA makes new SAs, INFORMATIONAL deletes the old; ESP SPIs change"
IKE_VERSION=2
ESP_BACKEND=kernel-libipsec
INI_CHILD_REKEY_TIME=3s
INI_REKEY_TIME=7s
INI_OVER_TIME=30s
INI_EXTRA_CONN="rand_time = 0s"
INI_EXTRA_CHILD="rand_time = 0s
        life_time = 60s"
PING=32
PING_INTERVAL=0.3
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
scenario_run() {
    initiate ini
    do_ping
    swanctl_ ini --terminate --ike s2s --timeout 5 >/dev/null
}
