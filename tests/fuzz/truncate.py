"""Truncation at every byte: each IKE and ESP frame of every sample, cut at every caplen
from 0 to its length (the record's caplen rewritten, its wire length kept), all the cuts of
one sample in one pcap, run through ikescope in text -vv and NDJSON -v (the ASan+UBSan
build in scripts/test).  Exit 0, no sanitizer report, every record counted, and a cut frame
is never called malformed: running out of captured bytes is not the peer's fault."""
import glob
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
sys.path.insert(0, os.path.dirname(__file__))
import capfile  # noqa: E402
import ikstest  # noqa: E402

c = ikstest.Checks()
tmp = ikstest.tmpdir()
SANITIZER = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer")


def ike_or_esp(lt, data):
    """None, or the offset of the IKE message (UDP 500: -1 for anything else of ours)."""
    ip = capfile.to_ip(lt, data)
    info = capfile.ip_info(ip) if ip else None
    if info is None or info[4]:
        return None
    v, src, dst, proto, frag, l4 = info
    if proto == 50:
        return -1
    if proto == 17 and len(l4) >= 4:
        sp, dp = struct.unpack(">HH", l4[:4])
        if 500 in (sp, dp):
            return len(data) - len(l4) + 8
        if 4500 in (sp, dp):
            return -1
    return None


def run(args):
    p = subprocess.run([ikstest.IKESCOPE] + args, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


total = 0
for path in sorted(glob.glob(os.path.join(ikstest.SRCDIR, "samples", "*.pcap"))):
    name = os.path.basename(path)[:-5]
    lt, recs = capfile.read_capture(path)
    cuts, ike_at = [], []
    for ts, data, wirelen in recs:
        at = ike_or_esp(lt, data)
        if at is None:
            continue
        for n in range(len(data) + 1):
            cuts.append((ts, data[:n], wirelen))
            ike_at.append((at, n, len(data)))
    out = os.path.join(tmp, name + "-cuts.pcap")
    capfile.write_pcap(out, lt, cuts)
    total += len(cuts)
    # The whole capture's own verdict on malformation, to compare with.
    rc, whole, err = run(["--json", "-q", "-r", path])
    base_malformed = ikstest.summary(whole)["malformed"]
    rc, js, err = run(["--json", "-v", "-r", out])
    c.eq("%s: NDJSON -v exit status (%s)" % (name, err.strip()[-300:]), rc, 0)
    c.true("%s: no sanitizer report in NDJSON run" % name, not any(s in err for s in SANITIZER))
    s = ikstest.summary(js)
    c.eq("%s: every cut counted" % name, s["packets"], len(cuts))
    c.eq("%s: cut frames are not malformed" % name, s["malformed"], base_malformed)
    pkts = {r["frame"]: r for r in ikstest.records(js) if r.get("type") == "packet"}
    # An IKE message (UDP 500) with its whole header captured: IKE, and truncated
    # exactly when cut; with less than a header, not IKE.
    bad = []
    for i, (at, n, full) in enumerate(ike_at):
        if at < 0 or n < at:
            continue
        r = pkts.get(i + 1, {})
        if n - at >= 28:
            ok = r.get("proto", "").startswith("ikev") and r.get("truncated", False) == (n < full)
        else:
            ok = not r.get("proto", "").startswith("ikev")
        if not ok:
            bad.append((i + 1, n, r.get("proto"), r.get("truncated")))
    c.eq("%s: IKE cuts classified and marked truncated (frame, caplen, proto, truncated)" % name,
         bad[:5], [])
    rc, txt, err = run(["-vv", "-r", out])
    c.eq("%s: text -vv exit status (%s)" % (name, err.strip()[-300:]), rc, 0)
    c.true("%s: no sanitizer report in text run" % name, not any(s in err for s in SANITIZER))
    c.true("%s: text summary" % name, "Summary: %d packets" % len(cuts) in txt)
print("%d cut frames" % total)
c.finish()
