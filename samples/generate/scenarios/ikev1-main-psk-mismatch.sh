# IKEv1 main mode, different pre-shared keys: the responder cannot decrypt MM5.
LESSON="IKEv1 main-mode PSK mismatch: MM5 is resent and never answered - no notify on the wire"
IKE_VERSION=1
VERSION=1
INI_PSK="ikescope sample pre-shared key"
RES_PSK="ikescope sample pre-shared kez"
FINDINGS='[{"code":"psk-mismatch","severity":"error","confidence":"likely"}]'
