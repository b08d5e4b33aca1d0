# IKEv1 aggressive mode, different pre-shared keys: HASH_R in AM2 does not verify.
LESSON="IKEv1 aggressive-mode PSK mismatch: HASH_R in clear lets --psk prove the key offline"
IKE_VERSION=1
VERSION=1
AGGRESSIVE=yes
CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes"
INI_PSK="ikescope sample pre-shared key"
RES_PSK="ikescope sample pre-shared kez"
FINDINGS='[{"code":"psk-mismatch","severity":"error","confidence":"likely"}]'
