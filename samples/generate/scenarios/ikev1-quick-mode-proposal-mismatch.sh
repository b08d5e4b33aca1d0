# IKEv1, main mode fine but quick mode proposals do not match.
LESSON="IKEv1 phase-2 mismatch: main mode completes, quick mode answered by an encrypted notify"
IKE_VERSION=1
VERSION=1
INI_ESP_PROPOSALS=aes256gcm16
RES_ESP_PROPOSALS=aes128-sha256
FINDINGS='[{"code":"child-no-proposal","severity":"error","confidence":"likely"}]'
