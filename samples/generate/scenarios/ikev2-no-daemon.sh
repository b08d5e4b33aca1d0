# IKEv2, nothing listens on UDP 500 at the peer: ICMP port unreachable comes back.
LESSON="No IKE daemon at the peer: every IKE_SA_INIT draws an ICMP port unreachable"
IKE_VERSION=2
RES_DAEMON=no
INITIATE_TIMEOUT=25
FINDINGS='[{"code":"port-unreachable","severity":"error","confidence":"confirmed"}]'
