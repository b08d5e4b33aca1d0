# IKEv2, a firewall on the path drops UDP 500: IKE_SA_INIT retransmitted, never answered.
LESSON="Peer silent: IKE_SA_INIT resent with growing gaps (1, 1.4, 2, 2.7, 3.8 s), nothing comes back"
IKE_VERSION=2
ROUTER_RULES="udp dport 500 drop"
INITIATE_TIMEOUT=25
FINDINGS='[{"code":"peer-unreachable","severity":"error","confidence":"likely"}]'
