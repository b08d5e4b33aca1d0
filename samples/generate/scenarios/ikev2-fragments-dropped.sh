# IKEv2 with RSA-4096 certificates + intermediate CAs; the initiator does not do RFC 7383
# fragmentation, so its ~4 KB IKE_AUTH leaves as IP fragments, which the path drops.
LESSON="Big certificate IKE_AUTH sent as IP fragments, path drops fragments: retransmits, no answer"
IKE_VERSION=2
AUTH=pubkey
CERT_BITS=4096
INI_FRAGMENTATION=no
ROUTER_RULES="ip frag-off & 0x3fff != 0 drop"
INITIATE_TIMEOUT=25
FINDINGS='[{"code":"fragments-dropped","severity":"error","confidence":"likely"},{"code":"ike-fragmentation-missing","severity":"warning","confidence":"confirmed"}]'
