"""The bundled samples: real strongSwan/libreswan captures.  On each, ikescope's
counts equal tshark's (recorded in NAME.expect.json by the generator), NAT
verdicts are right (nat-detected exactly where expected: real NAT, or
kernel-libipsec faking the hash), `ikescope samples` lists every one with its
lesson, and `ikescope -r NAME` finds a bare sample name."""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

c = ikstest.Checks()
sdir = os.path.join(ikstest.SRCDIR, "samples")
expects = sorted(glob.glob(os.path.join(sdir, "*.expect.json")))
c.true("at least 24 samples (%d)" % len(expects), len(expects) >= 24)
total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(sdir, "*.pcap")))
c.true("samples total under 8 MB (%d bytes)" % total, total < 8 << 20)
libreswan = 0
for path in expects:
    with open(path) as f:
        exp = json.load(f)
    name = exp["name"]
    libreswan += "libreswan" in exp.get("implementations", "")
    pcap = os.path.join(sdir, name + ".pcap")
    c.true("%s: capture present" % name, os.path.exists(pcap))
    rc, out, err = ikstest.run(["--json", "-r", pcap])
    c.eq("%s: exit" % name, rc, 0)
    s = ikstest.summary(out)
    want = exp.get("ikescope_counts", exp["counts"])
    c.eq("%s: packets, IKE, ESP" % name,
         (s["packets"], s["ike_packets"], s["esp_packets"]),
         (want["packets"], want["ike_packets"], want["esp_packets"]))
    codes = [r["code"] for r in ikstest.records(out) if r["type"] == "finding"]
    c.eq("%s: nat-detected as expected" % name, "nat-detected" in codes,
         any(f["code"] == "nat-detected" for f in exp["findings"]))
    c.eq("%s: no malformed finding on a real capture" % name, "malformed" in codes, False)
    # A bare sample name is found among the bundled captures.
    rc2, out2, err2 = ikstest.run(["--json", "-q", "-r", name])
    c.eq("%s: -r by bare name" % name, (rc2, ikstest.summary(out2)["packets"] if rc2 == 0 else None),
         (0, want["packets"]))
c.true("at least one sample exercises libreswan", libreswan >= 1)

rc, out, err = ikstest.run(["samples"])
c.eq("ikescope samples: exit", rc, 0)
for path in expects:
    with open(path) as f:
        exp = json.load(f)
    line = [l for l in out.splitlines() if l.split()[:1] == [exp["name"]]]
    c.true("ikescope samples lists %s with its lesson" % exp["name"],
           line and exp["lesson"] in line[0])
c.finish()
