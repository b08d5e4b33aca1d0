# IKEv1 main mode, a legacy initiator (3DES/SHA-1/MODP-1024) against a modern responder.
LESSON="IKEv1 phase-1 mismatch: legacy 3DES/SHA1/MODP1024 offer refused by NO-PROPOSAL-CHOSEN"
IKE_VERSION=1
VERSION=1
INI_PROPOSALS=3des-sha1-modp1024
RES_PROPOSALS=aes256-sha256-modp2048
FINDINGS='[{"code":"no-proposal-chosen","severity":"error","confidence":"confirmed"},{"code":"weak-crypto","severity":"warning","confidence":"confirmed"}]'
