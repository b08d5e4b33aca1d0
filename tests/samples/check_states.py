"""IKE SA states on the real samples: the negotiation state in an engineer's words
(MM_WAIT_MSG6, AG_WAIT_MSG3, QM_IDLE, IKE_SA_INIT_SENT ...) and the verdict
(established, failed, incomplete), with no message out of place in any sample:
real implementations follow the protocol's order."""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

# sample: [(state, phase_state), ...] for its IKE SAs in order of first frame
WANT = {
    "ikev1-main-success": [("established", "QM_IDLE")],
    "ikev1-aggressive-success": [("established", "QM_IDLE")],
    # The responder never answers MM5: the initiator waits for MM6 (Cisco's MM_WAIT_MSG6).
    "ikev1-main-psk-mismatch": [("failed", "MM_WAIT_MSG6")],
    "ikev1-aggressive-psk-mismatch": [("failed", "AG_WAIT_MSG3")],
    "ikev1-aggressive-id-mismatch": [("failed", "AG_WAIT_MSG2")],
    "ikev1-ike-proposal-mismatch": [("failed", "MM_WAIT_MSG2")],
    "ikev1-to-ikev2-only": [("failed", "MM_WAIT_MSG2")],
    # Phase 1 is up; the quick mode is what failed.
    "ikev1-quick-mode-proposal-mismatch": [("failed", "QM_IDLE")],
    "ikev1-ts-mismatch": [("failed", "QM_IDLE")],
    "interop-ikev1-pfs-mismatch": [("failed", "QM_IDLE")],
    "ikev2-success-aes-cbc": [("established", "IKE_AUTH_DONE")],
    "ikev2-success-aes-gcm": [("established", "IKE_AUTH_DONE")],
    "ikev2-ike-proposal-mismatch": [("failed", "IKE_SA_INIT_REFUSED")],
    "ikev2-peer-silent": [("failed", "IKE_SA_INIT_SENT")],
    "ikev2-no-daemon": [("failed", "IKE_SA_INIT_SENT")],
    "ikev2-psk-mismatch": [("failed", "IKE_AUTH_DONE")],
    "ikev2-fragments-dropped": [("failed", "IKE_AUTH_SENT")],
    "ikev2-nat-t-blocked": [("failed", "IKE_AUTH_SENT")],
    # INVALID_KE and COOKIE restart the same SA (same SPIi), which then completes.
    "ikev2-invalid-ke-retry": [("established", "IKE_AUTH_DONE")],
    "ikev2-cookie-challenge": [("established", "IKE_AUTH_DONE")],
    # SKF fragments 2..n belong to the message fragment 1 began.
    "ikev2-fragmentation-ok": [("established", "IKE_AUTH_DONE")],
    # The IKE SA is rekeyed (CREATE_CHILD_SA, frames 59-60) and the old one deleted
    # (INFORMATIONAL, 61-62); the new one is first seen in CREATE_CHILD_SA (MIDWAY).
    "ikev2-rekey-delete": [("deleted", "IKE_AUTH_DONE"), ("established", "MIDWAY")],
}

c = ikstest.Checks()
for path in sorted(glob.glob(os.path.join(ikstest.SRCDIR, "samples", "*.pcap"))):
    name = os.path.basename(path)[:-5]
    rc, out, err = ikstest.run(["--json", "-r", path])
    sas = [r for r in ikstest.records(out) if r["type"] == "ike_sa"]
    c.eq("%s: no message unexpected in its state" % name,
         sum(r.get("unexpected_messages", 0) for r in sas), 0)
    if name in WANT:
        c.eq("%s: states" % name, [(r["state"], r["phase_state"]) for r in sas], WANT[name])
    with open(os.path.join(ikstest.SRCDIR, "samples", name + ".expect.json")) as f:
        exp = json.load(f)
    errors = [x for x in exp["findings"] if x["severity"] == "error"]
    if not errors:
        c.true("%s: healthy sample, every IKE SA established (or rekeyed and deleted)" % name,
               all(r["state"] in ("established", "deleted") for r in sas) and
               any(r["state"] == "established" for r in sas))
c.finish()
