# strongSwan's charon (initiator) against libreswan's pluto (responder), IKEv1 main mode PSK.
# libreswan requires PFS by default (pfs=yes); strongSwan's esp_proposals has no DH group.
LESSON="strongSwan -> libreswan IKEv1: libreswan wants PFS, quick mode has no DH -> NO_PROPOSAL_CHOSEN"
IKE_VERSION=1
VERSION=1
RES_IMPL=libreswan
INI_ESP_BACKEND=kernel-libipsec
ESP_BACKEND=none
PROPOSALS=aes256-sha256-modp2048
ESP_PROPOSALS=aes128-sha256
RES_LSW_CONN="ikev2=no
ike=aes256-sha2_256;modp2048
esp=aes128-sha2_256"
FINDINGS='[{"code":"child-no-proposal","severity":"error","confidence":"likely"},{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
