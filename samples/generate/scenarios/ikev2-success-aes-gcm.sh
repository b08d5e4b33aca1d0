# IKEv2 with AEAD: AES-GCM for the IKE SA and for ESP (no separate integrity transform).
LESSON="IKEv2 with AES-GCM (AEAD): no integrity transform, ESP both ways; decrypt with the key files"
IKE_VERSION=2
ESP_BACKEND=kernel-libipsec
PROPOSALS=aes256gcm16-prfsha256-ecp256
ESP_PROPOSALS=aes256gcm16
PING=5
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
