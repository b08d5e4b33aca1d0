# IKEv2, IKE SA fine but no common ESP proposal for the CHILD SA.
LESSON="IKEv2 ESP proposal mismatch: IKE SA comes up, IKE_AUTH reply lacks SA/TS, no ESP follows"
IKE_VERSION=2
INI_ESP_PROPOSALS=aes256gcm16
RES_ESP_PROPOSALS=aes128-sha256
FINDINGS='[{"code":"child-no-proposal","severity":"error","confidence":"likely"}]'
