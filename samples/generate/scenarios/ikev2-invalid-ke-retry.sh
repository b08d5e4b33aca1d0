# IKEv2, the initiator guesses ECP-256 for its KE payload, the responder only does MODP-2048.
LESSON="INVALID_KE_PAYLOAD: responder wants another DH group; initiator retries and the tunnel comes up"
IKE_VERSION=2
ESP_BACKEND=kernel-libipsec
INI_PROPOSALS=aes256-sha256-ecp256-modp2048
RES_PROPOSALS=aes256-sha256-modp2048
PING=3
FINDINGS='[{"code":"invalid-ke","severity":"info","confidence":"confirmed"},{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
