# IKEv2, the initiator sits behind a NAT router (192.0.2.1 -> 203.0.113.1); captured outside the NAT.
LESSON="NAT-T: NAT detection hashes mismatch, IKE floats to UDP 4500, ESP in UDP, 0xFF keepalives"
IKE_VERSION=2
NAT=yes
CAPTURE_IF=ethr
RES_REMOTE_ADDR=%any
ESP_BACKEND=kernel-libipsec
KEEP_ALIVE=2s
PING=4
SETTLE=5
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"}]'
