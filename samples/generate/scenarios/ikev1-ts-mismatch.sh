# IKEv1, quick mode IDs (proxy IDs / encryption domain) do not match.
LESSON="IKEv1 proxy-ID mismatch: quick mode refused with an encrypted INVALID-ID-INFORMATION"
IKE_VERSION=1
VERSION=1
RES_REMOTE_TS=10.9.0.0/24
FINDINGS='[{"code":"ts-unacceptable","severity":"error","confidence":"likely"}]'
