"""NAT detection hashes recomputed by ikescope: verdicts per message and per IKE SA.

A hash that matches proves the recomputation (SHA-1 over SPIs, address, port for
IKEv2; the negotiated hash for IKEv1); the captures with a NAT (or a peer faking
the hash to force encapsulation) get a nat-detected finding naming the side, the
others none."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
c = ikstest.Checks()

# capture: ({frame: (source verdict, destination verdict)}, side behind NAT or None)
CASES = {
    # Captured on the client 192.168.0.10: the server hashed the client's public address.
    "zeek-spicy-ipsec/traces/ipsec_client.pcap":
        ({1: ("match", "match"), 2: ("match", "mismatch")}, "initiator 192.168.0.10"),
    # libreswan test capture: the initiator's own NAT-D differs (forced encapsulation).
    "tcpdump/tests/isakmp4500.pcap":
        ({5: ("mismatch", "match"), 6: ("match", "match")}, "initiator 192.1.2.254"),
    "zeek-spicy-ipsec/traces/ipsec.cap": ({5: ("match", "match"), 6: ("match", "match")}, None),
    "wireshark/wiki-samples/ipsec.cap": ({39: ("match", "match"), 40: ("match", "match")}, None),
    "wireshark/wiki-samples/attachment_ikev1_main_mode.pcap": ({}, None),
}
for rel, (frames, side) in CASES.items():
    rc, out, err = ikstest.run(["--json", "-v", "-r", ikstest.capture_path(rel)])
    c.eq("%s: exit" % rel, rc, 0)
    recs = ikstest.records(out)
    pk = {r["frame"]: r for r in recs if r["type"] == "packet"}
    for fr, (src, dst) in frames.items():
        nd = pk.get(fr, {}).get("nat_d", {})
        c.eq("%s frame %d NAT-D" % (rel, fr), (nd.get("source"), nd.get("destination")),
             (src, dst))
    nat = [r for r in recs if r["type"] == "finding" and r["code"] == "nat-detected"]
    if side is None:
        c.eq("%s: no nat-detected finding" % rel, len(nat), 0)
    else:
        c.eq("%s: one nat-detected finding" % rel, len(nat), 1)
        if nat:
            c.true("%s: the finding names the %s (%s)" % (rel, side, nat[0]["message"]),
                   ("the " + side + " is behind a NAT") in nat[0]["message"])
            c.eq("%s: confidence" % rel, nat[0]["confidence"], "confirmed")
            c.true("%s: evidence frames cite the NAT-D messages" % rel,
                   set(frames) <= set(nat[0]["frames"]))
c.finish()
