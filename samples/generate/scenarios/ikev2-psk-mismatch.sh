# IKEv2, the two gateways hold different pre-shared keys.
LESSON="IKEv2 PSK mismatch: tiny encrypted IKE_AUTH reply (AUTHENTICATION_FAILED), no ESP afterwards"
IKE_VERSION=2
INI_PSK="ikescope sample pre-shared key"
RES_PSK="ikescope sample pre-shared kez"
FINDINGS='[{"code":"psk-mismatch","severity":"error","confidence":"likely"}]'
