# Same certificates and the same fragment-dropping path, but both peers do RFC 7383 IKE
# fragmentation: IKE_AUTH is split into encrypted SKF fragments that fit the MTU.
LESSON="RFC 7383 IKE fragmentation: big IKE_AUTH split into SKF payloads survives a no-fragments path"
IKE_VERSION=2
AUTH=pubkey
CERT_BITS=4096
FRAGMENTATION=yes
ROUTER_RULES="ip frag-off & 0x3fff != 0 drop"
ESP_BACKEND=kernel-libipsec
PING=3
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
