# IKEv1 main mode (6 messages) + quick mode (3 messages), then ESP both ways.
LESSON="IKEv1 main mode + quick mode that works: MM1-MM6, QM1-QM3, then ESP in both directions"
IKE_VERSION=1
VERSION=1
ESP_BACKEND=kernel-libipsec
PROPOSALS=aes256-sha256-modp2048
ESP_PROPOSALS=aes128-sha256
PING=5
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
