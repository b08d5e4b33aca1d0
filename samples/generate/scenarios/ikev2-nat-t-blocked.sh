# IKEv2 behind NAT, UDP 4500 blocked on the path: IKE_SA_INIT works on 500, IKE_AUTH on 4500 dies.
LESSON="UDP 4500 blocked: IKE_SA_INIT fine on 500, IKE_AUTH floated to 4500 is never answered"
IKE_VERSION=2
NAT=yes
CAPTURE_IF=ethl
RES_REMOTE_ADDR=%any
ROUTER_RULES="udp dport 4500 drop"
INITIATE_TIMEOUT=25
FINDINGS='[{"code":"nat-detected","severity":"info","confidence":"confirmed"},{"code":"nat-t-blocked","severity":"error","confidence":"likely"}]'
