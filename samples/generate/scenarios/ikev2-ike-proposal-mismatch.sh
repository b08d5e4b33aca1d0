# IKEv2, no common IKE SA proposal.
LESSON="IKEv2 IKE proposal mismatch: IKE_SA_INIT answered with NO_PROPOSAL_CHOSEN in clear"
IKE_VERSION=2
INI_PROPOSALS=aes128gcm16-prfsha256-ecp256
RES_PROPOSALS=aes256-sha256-modp2048
FINDINGS='[{"code":"no-proposal-chosen","severity":"error","confidence":"confirmed"}]'
