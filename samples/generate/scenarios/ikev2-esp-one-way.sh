# IKEv2 tunnel up, but the path drops the responder's ESP (ESP-in-UDP from 198.51.100.1:4500
# that is not IKE, i.e. does not start with the 4-byte zero non-ESP marker).
LESSON="ESP one way: tunnel is up, ESP leaves but none comes back - a filter or routing on the path"
IKE_VERSION=2
ESP_BACKEND=kernel-libipsec
ROUTER_RULES='ip saddr 198.51.100.1 udp sport 4500 @th,64,32 != 0 drop'
PING=6
FINDINGS='[{"code":"esp-one-way","severity":"error","confidence":"likely"},{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
