"""Every conformance capture (tcpdump's CVE regression captures among them) is read to
the end in every output mode, with exit 0 and one summary; stdin gives what the file gives."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
c = ikstest.Checks()
for rel, frames, ike, esp in ikstest.conformance_captures():
    path = ikstest.capture_path(rel)
    for mode in (["-vv"], ["-v"], [], ["-q"], ["--json", "-vv"], ["--json"]):
        rc, out, err = ikstest.run(mode + ["-r", path])
        c.eq("%s %s: exit status (stderr %r)" % (rel, " ".join(mode), err.strip()), rc, 0)
        if "--json" in mode:
            c.eq("%s %s: packets" % (rel, mode), ikstest.summary(out)["packets"], frames)
        else:
            last = out.rstrip("\n").split("\n")[-1]
            c.true("%s %s: text summary line" % (rel, mode),
                   last.startswith("Summary: %d packets, %d IKE, %d ESP;" % (frames, ike, esp)))
        if mode == ["-v"]:
            lines = [l for l in out.splitlines() if l[:6].strip().isdigit()]
            c.true("%s: -v lists at least the IKE and ESP packets" % rel,
                   len(lines) >= ike + esp)
    with open(path, "rb") as f:
        data = f.read()
    rc1, out1, _ = ikstest.run(["--json", "-v", "-r", path])
    rc2, out2, _ = ikstest.run(["--json", "-v", "-r", "-"], stdin=data)
    c.eq("%s: stdin status" % rel, rc2, 0)
    c.true("%s: stdin output identical to file output" % rel, out1 == out2)
c.finish()
