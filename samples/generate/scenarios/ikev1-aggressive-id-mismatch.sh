# IKEv1 aggressive mode: the responder does not know the identity the initiator sends (in clear).
LESSON="IKEv1 aggressive-mode ID mismatch: the initiator's ID is in clear and the responder refuses it"
IKE_VERSION=1
VERSION=1
AGGRESSIVE=yes
CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes"
RES_REMOTE_ID=branch7.example.net
FINDINGS='[{"code":"id-mismatch","severity":"error","confidence":"likely"}]'
