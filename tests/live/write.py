"""-w FILE writes exactly the packets the analysis used, from a file and live:
the written file holds as many frames as ikescope -v printed packet records
(tshark counts them), and read back it gives the same packet records and the
same analysis."""
import glob
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

c = ikstest.Checks()
tmp = ikstest.tmpdir()
os.chmod(tmp, 0o755)


def frames_in(path):
    """Frames in a capture file, counted by tshark (capinfos' sibling)."""
    p = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number"],
                       capture_output=True, timeout=60)
    return len([x for x in p.stdout.decode().splitlines() if x.strip()])


def packet_tuples(recs):
    return [(r["ts"], r["src"], r["dst"], r["proto"], r.get("len")) for r in recs
            if r["type"] == "packet"]


def analysis_view(recs):
    s = [r for r in recs if r["type"] == "summary"][0]
    return ({k: s[k] for k in ("ike_packets", "esp_packets", "ike_sas", "esp_sas", "malformed")},
            sorted((r["code"], r.get("initiator"), r.get("responder")) for r in recs
                   if r["type"] == "finding"))


if shutil.which("tshark") is None:
    print("FAIL: tshark is not installed (scripts/deps installs it)")
    sys.exit(1)

# Samples with IP fragments, NAT-T (keepalives, ESP in UDP) and ESP, plus
# conformance captures that mix in other traffic (the frames -w must leave out).
inputs = [os.path.join(ikstest.SRCDIR, "samples", n + ".pcap") for n in
          ("ikev2-fragments-dropped", "ikev2-nat-t", "ikev2-esp-one-way", "ikev1-main-success")]
if os.path.isdir(ikstest.CONFORMANCE):
    inputs += sorted(glob.glob(os.path.join(ikstest.CONFORMANCE, "zeek-spicy-ipsec", "traces",
                                            "ipsec_client.pcap")))
    inputs += sorted(glob.glob(os.path.join(ikstest.CONFORMANCE, "tcpdump", "tests",
                                            "isakmp4500.pcap")))
    inputs += sorted(glob.glob(os.path.join(ikstest.CONFORMANCE, "wireshark", "wiki-samples",
                                            "ipsec_esp_capture_1", "capture.pcap")))
left_out = 0
for path in inputs:
    name = os.path.basename(os.path.dirname(path)) + "/" + os.path.basename(path)
    out = os.path.join(tmp, "w.pcap")
    rc, o1, e1 = ikstest.run(["-v", "--json", "-w", out, "-r", path])
    c.eq("%s: exit status" % name, rc, 0)
    r1 = ikstest.records(o1)
    used = packet_tuples(r1)
    n_in, n_out = frames_in(path), frames_in(out)
    c.eq("%s: frames written = packet records" % name, n_out, len(used))
    left_out += n_in - n_out
    rc, o2, e2 = ikstest.run(["-v", "--json", "-r", out])
    c.eq("%s: the written file reads back" % name, rc, 0)
    r2 = ikstest.records(o2)
    c.eq("%s: the same packets read back" % name, packet_tuples(r2), used)
    c.eq("%s: the same analysis read back" % name, analysis_view(r2), analysis_view(r1))
if os.path.isdir(ikstest.CONFORMANCE):
    c.true("some input frames were left out as unused (%d)" % left_out, left_out > 0)

# -w with a file that cannot be written: one line, exit 1.
rc, o, e = ikstest.run(["-w", os.path.join(tmp, "no", "such", "dir.pcap"), "-r", inputs[0]])
c.eq("-w into a missing folder: exit 1", rc, 1)
c.true("-w into a missing folder: says so", "No such file or directory" in e)

# Live: a sample pushed through a veth while ikescope -i -w captures.
if os.geteuid() != 0 or shutil.which("tcpreplay") is None:
    print("live part skipped: needs root and tcpreplay")
    c.finish()
sys.path.insert(0, os.path.dirname(__file__))
import lab as L  # noqa: E402

lab = L.Lab("w")
lab.add_ns("a")
lab.add_ns("b")
lab.link("a", "left0", "b", "right0")
sample = os.path.join(ikstest.SRCDIR, "samples", "ikev2-nat-t.pcap")
out = os.path.join(lab.work, "live.pcap")
p = lab.ikescope("b", ["-i", "right0", "-v", "--json", "-w", out])
time.sleep(1.0)
lab.nsx("a", "tcpreplay", "-q", "-i", "left0", sample)
# unrelated traffic the default filter keeps out
lab.nsx("a", "ping", "-c", "3", "-i", "0.2", "-I", "left0", "-W", "1", "192.0.2.99", check=False)
time.sleep(1.5)
os.kill(p.pid, signal.SIGINT)
o, e = p.communicate(timeout=10)
c.eq("live -w: exit status", p.returncode, 0)
recs = ikstest.records(o.decode())
live_used = packet_tuples(recs)
c.eq("live -w: frames written = packet records", frames_in(out), len(live_used))
c.eq("live -w: every frame of the sample used", len(live_used), frames_in(sample))
rc, o2, e2 = ikstest.run(["-v", "--json", "-r", out])
c.eq("live -w: the same packets read back", packet_tuples(ikstest.records(o2)), live_used)
c.eq("live -w: the same analysis as the sample",
     analysis_view(ikstest.records(o2)),
     analysis_view(ikstest.records(ikstest.run(["-v", "--json", "-r", sample])[1])))
c.finish()
