# IKEv1 aggressive mode with PSK (3 messages, identities in clear), then ESP.
LESSON="IKEv1 aggressive mode works in 3 messages but exposes IDs and a crackable PSK hash in clear"
IKE_VERSION=1
VERSION=1
AGGRESSIVE=yes
CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes"
ESP_BACKEND=kernel-libipsec
PROPOSALS=aes256-sha256-modp2048
ESP_PROPOSALS=aes128-sha256
PING=5
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
