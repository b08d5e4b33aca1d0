"""State bounds under a flood: a generated capture (flood_gen, seeded) of 1,150,000 ESP
packets with random SPIs from random sources and 300,000 IKE_SA_INIT requests from random
sources, with samples/ikev2-psk-mismatch.pcap hidden at 90% of the way, after both tables
have filled up (ESP_SA_CAP 1,048,576: the least recently seen SA is evicted; IKE_SA_CAP
262,144: the oldest SA only one peer has spoken in is evicted).  Checks: peak resident
memory under the documented 1 GiB; the evictions counted and reported in NDJSON and in
text; the real negotiation, which arrives when the IKE table is full, still diagnosed with
its peers.  The plain build only (ASan's memory use is not ikescope's)."""
import os
import random
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
sys.path.insert(0, os.path.dirname(__file__))
import capfile  # noqa: E402
import ikstest  # noqa: E402

if os.environ.get("FUZZ_SANITIZED"):
    print("skip: the flood runs in the plain build (memory under a sanitizer is not ikescope's)")
    sys.exit(ikstest.SKIP)
c = ikstest.Checks()
tmp = ikstest.tmpdir()
NESP, NIKE = 1150000, 300000
RSS_CAP_KIB = 1024 * 1024
ESP_CAP, IKE_CAP = 1 << 20, 1 << 18
sample = os.path.join(ikstest.SRCDIR, "samples", "ikev2-psk-mismatch.pcap")
flood = os.path.join(tmp, "flood.pcap")
AT_PERCENT = 90
subprocess.run([os.environ["FLOOD_GEN"], sample, flood, str(NESP), str(NIKE), "1",
                str(AT_PERCENT)], check=True, timeout=120)
# The premise, not a check: the real negotiation comes after the IKE table filled up.
assert NIKE * AT_PERCENT // 100 > IKE_CAP


def run(args, keep):
    """Peak RSS in KiB of one ikescope run (/usr/bin/time: measured on a child forked from
    a small process), and the lines of its output for which keep(line) is true."""
    rss_file = os.path.join(tmp, "rss")
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file, ikstest.IKESCOPE] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    kept = [line for line in p.stdout if keep(line)]
    err = p.stderr.read().decode()
    c.eq("%s: exit status (%s)" % (" ".join(args[:-2]), err.strip()), p.wait(), 0)
    with open(rss_file) as f:
        rss = int(f.read().split()[-1])
    return [x.decode("utf-8", "replace") for x in kept], rss


alone = ikstest.summary(ikstest.run(["--json", "-r", sample])[1])
want = [r for r in ikstest.records(ikstest.run(["--json", "-r", sample])[1])
        if r["type"] == "finding"]
c.eq("the sample alone: one finding", [w["code"] for w in want], ["psk-mismatch"])

lines, rss = run(["--json", "-r", flood], lambda x: not x.startswith((b'{"type":"esp_sa"',
                                                                    b'{"type":"ike_sa"')))
out = "".join(lines)
print("NDJSON run: peak RSS %d KiB" % rss)
c.true("NDJSON: peak RSS %d KiB under the %d KiB cap" % (rss, RSS_CAP_KIB), rss < RSS_CAP_KIB)
s = ikstest.summary(out)
c.eq("packets", s["packets"], NESP + NIKE + alone["packets"])
c.eq("ESP SAs kept at the cap", s["esp_sas"], ESP_CAP)
c.eq("ESP SAs evicted (every flood SA is new)", s["evicted"]["esp_sas"], NESP - ESP_CAP)
c.eq("IKE SAs kept at the cap", s["ike_sas"], IKE_CAP)
c.eq("IKE SAs evicted (every flood SA is one-sided)", s["evicted"]["ike_sas"],
     NIKE + 1 - IKE_CAP)
c.eq("no IKE message left untracked", s["evicted"]["ike_messages"], 0)
got = [r for r in ikstest.records(out) if r["type"] == "finding"]
for w in want:
    hit = [g for g in got if g["code"] == w["code"] and g["initiator"] == w["initiator"] and
           g["responder"] == w["responder"]]
    c.eq("%s between %s and %s still diagnosed" % (w["code"], w["initiator"], w["responder"]),
         len(hit), 1)

want_line = [r for r in ikstest.run(["-r", sample])[1].splitlines() if "psk-mismatch" in r]
lines, rss = run(["-r", flood], lambda x: b"Bounds reached" in x or b"psk-mismatch" in x or
                 x.startswith(b"Summary"))
out = "".join(lines)
print("text run: peak RSS %d KiB" % rss)
c.true("text: peak RSS %d KiB under the cap" % rss, rss < RSS_CAP_KIB)
line = ("Bounds reached: %d ESP SAs evicted, %d IKE SAs evicted, 0 IKE messages not tracked"
        % (NESP - ESP_CAP, NIKE + 1 - IKE_CAP))
c.true("text summary says %r" % line, line in out)
c.eq("text shows the finding as for the sample alone", len(want_line), 1)
c.true("text shows the finding (%r)" % want_line[0].strip()[:80],
       any(x.split("frame")[0] == want_line[0].split("frame")[0] for x in lines))

# A crafted capture against the rules' per-tunnel scans: 20,000 IKEv2 SAs between the same
# two peers, each IKE_SA_INIT answered, and only the last one with an IKE_AUTH above the
# path MTU.  ike-fragmentation-missing was raised once per SA before it, in time quadratic
# in the SAs (50 s here); now once per tunnel, at once.
def frame(src, dst, ike):
    udp = struct.pack(">HHHH", 500, 500, 8 + len(ike), 0) + ike
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src, dst)
    return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00" + ip + udp


def ike(spi_i, spi_r, exch, flags, msgid, np, body):
    return spi_i + spi_r + struct.pack(">BBBBII", np, 0x20, exch, flags, msgid,
                                       28 + len(body)) + body


I, R, NSA = bytes([192, 0, 2, 1]), bytes([198, 51, 100, 1]), 20000
nonce = struct.pack(">BBH", 0, 0, 20) + b"n" * 16
rnd = random.Random(1)
recs, ts = [], 1700000000000000
for k in range(NSA):
    si, sr = rnd.randbytes(8), rnd.randbytes(8)
    recs.append((ts, frame(I, R, ike(si, b"\0" * 8, 34, 0x08, 0, 40, nonce))))
    recs.append((ts + 10, frame(R, I, ike(si, sr, 34, 0x20, 0, 40, nonce))))
    ts += 20
    if k == NSA - 1:
        sk = struct.pack(">BBH", 35, 0, 1450) + b"x" * 1446
        recs.append((ts, frame(I, R, ike(si, sr, 35, 0x08, 1, 46, sk))))
crafted = os.path.join(tmp, "frag-missing.pcap")
capfile.write_pcap(crafted, 1, [(t, d, len(d)) for t, d in recs])
t0 = time.monotonic()
rc, out, err = ikstest.run(["--json", "-r", crafted], timeout=120)
took = time.monotonic() - t0
c.eq("crafted: exit status", rc, 0)
c.true("crafted: analysed in %.1f s (under 20 s)" % took, took < 20)
codes = [r["code"] for r in ikstest.records(out) if r["type"] == "finding"]
c.eq("crafted: one ike-fragmentation-missing for the one tunnel", codes,
     ["ike-fragmentation-missing"])
c.finish()
