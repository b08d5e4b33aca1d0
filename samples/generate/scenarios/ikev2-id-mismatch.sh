# IKEv2, the initiator asks for a responder identity the responder does not have.
LESSON="IKEv2 identity mismatch looks like a PSK mismatch on the wire; only the keys tell them apart"
IKE_VERSION=2
INI_REMOTE_ID=vpn.example.org
FINDINGS='[{"code":"psk-mismatch","severity":"error","confidence":"likely"}]'
