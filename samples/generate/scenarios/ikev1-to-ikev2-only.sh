# The initiator is configured for IKEv1, the responder accepts only IKEv2.
LESSON="IKEv1 initiator vs IKEv2-only responder: main mode refused - check the IKE version on both"
IKE_VERSION=1
INI_VERSION=1
RES_VERSION=2
FINDINGS='[{"code":"no-proposal-chosen","severity":"error","confidence":"confirmed"}]'
