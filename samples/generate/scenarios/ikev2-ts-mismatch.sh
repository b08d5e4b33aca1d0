# IKEv2, the responder's remote subnet does not cover what the initiator proposes.
LESSON="IKEv2 traffic-selector mismatch: IKE SA up, CHILD SA refused with TS_UNACCEPTABLE (encrypted)"
IKE_VERSION=2
RES_REMOTE_TS=10.9.0.0/24
FINDINGS='[{"code":"ts-unacceptable","severity":"error","confidence":"likely"}]'
