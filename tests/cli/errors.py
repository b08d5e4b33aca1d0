"""Bad input gets one clear line on stderr and the exit status of INTERFACE.md."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
c = ikstest.Checks()
tmp = ikstest.tmpdir()


def expect(what, args, status, words, stdin=None):
    rc, out, err = ikstest.run(args, stdin=stdin)
    c.eq("%s: exit status" % what, rc, status)
    lines = err.strip().splitlines()
    c.eq("%s: one line on stderr %r" % (what, lines), len(lines), 1)
    for w in words:
        c.true("%s: stderr mentions %r (%r)" % (what, w, err.strip()), w.lower() in err.lower())
    return out


def write(name, data):
    p = os.path.join(tmp, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


src = ikstest.capture_path("tcpdump/tests/ikev2four.pcap")  # 21 frames, DLT_NULL
with open(src, "rb") as f:
    pcap = f.read()
ng = ikstest.capture_path("wireshark/captures/ikev2-decrypt-aes256cbc.pcapng")  # 4 frames
with open(ng, "rb") as f:
    pcapng = f.read()

expect("missing file", ["-r", os.path.join(tmp, "nope.pcap")], 1, ["nope.pcap", "no such file"])
expect("empty file", ["-r", write("empty.pcap", b"")], 1, ["empty"])
expect("directory", ["-r", tmp], 1, ["directory"])
expect("not a capture", ["-r", write("text.pcap", b"hello, this is not a capture\n" * 4)], 1,
       ["text.pcap"])
expect("empty stdin", ["-r", "-"], 1, ["stdin"], stdin=b"")

# The last record cut short: analyzed up to there, reported, exit 0.
out = expect("truncated pcap", ["--json", "-q", "-r", write("cut.pcap", pcap[:-10])], 0,
             ["truncated", "20 packets"])
s = ikstest.summary(out)
c.eq("truncated pcap: packets", s["packets"], 20)
c.eq("truncated pcap: summary says truncated", s["truncated"], True)
# Cut the last packet block (EPB, type 6) of the pcapng in its middle.
off, last_epb = 0, None
while off + 12 <= len(pcapng):
    btype, blen = struct.unpack("<II", pcapng[off:off + 8])
    if btype == 6:
        last_epb = off
    off += blen
out = expect("truncated pcapng", ["--json", "-q", "-r",
                                  write("cut.pcapng", pcapng[:last_epb + 40])], 0,
             ["truncated"])
s = ikstest.summary(out)
c.eq("truncated pcapng: packets", s["packets"], 3)
c.eq("truncated pcapng: summary says truncated", s["truncated"], True)
rc, out, err = ikstest.run(["-r", src])
c.true("whole file: not reported truncated", "truncated" not in out + err)

# A link type ikescope does not read: USER0 (147) in the file header.
user0 = pcap[:20] + struct.pack("<I", 147) + pcap[24:]
expect("unknown link type", ["-r", write("user0.pcap", user0)], 1, ["link type 147"])

expect("bad BPF", ["-r", src, "udp", "port", "not-a-port"], 2, ["filter"])
expect("no input", ["-v"], 2, ["-r"])
expect("unknown option", ["-r", src, "--frobnicate"], 2, ["frobnicate"])
expect("bad count", ["-c", "abc", "-r", src], 2, ["-c"])
expect("zero count", ["-c", "0", "-r", src], 2, ["-c"])
expect("bad level", ["--fail-on", "fatal", "-r", src], 2, ["fail-on"])
expect("missing value", ["-r"], 2, ["-r"])
c.finish()
