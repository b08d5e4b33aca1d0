# IKEv2 PSK tunnel that comes up; ESP in both directions (AES-CBC + HMAC-SHA2).
LESSON="A healthy IKEv2 tunnel: 4 IKE messages, then ESP both ways - the baseline to compare against"
IKE_VERSION=2
ESP_BACKEND=kernel-libipsec
PROPOSALS=aes256-sha256-modp2048
ESP_PROPOSALS=aes128-sha256
PING=5
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
