"""The bad inputs of issue 10 that tests/cli/errors.py, options.py, profile.py,
samples/check_keys.py and live/privs.py leave out: an unreadable capture file (run as
nobody when root), a record whose caplen exceeds the snapshot length and its own length,
a zero-length record, a microsecond field over 999999, and a pcapng file cut inside its
section header.  Each: one clear line (or none when the file is fine to read) and the
documented exit status."""
import os
import pwd
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
sys.path.insert(0, os.path.dirname(__file__))
import capfile  # noqa: E402
import ikstest  # noqa: E402

c = ikstest.Checks()
tmp = ikstest.tmpdir()
os.chmod(tmp, 0o755)
SAMPLE = os.path.join(ikstest.SRCDIR, "samples", "ikev2-psk-mismatch.pcap")
SANITIZER = ("AddressSanitizer", "LeakSanitizer", "runtime error:")


def run(args, as_nobody=False):
    cmd = [ikstest.IKESCOPE] + args
    if as_nobody:
        nb = pwd.getpwnam("nobody")
        cmd = ["setpriv", "--reuid=%d" % nb.pw_uid, "--regid=%d" % nb.pw_gid,
               "--clear-groups"] + cmd
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(what, args, status, words, as_nobody=False):
    rc, out, err = run(args, as_nobody)
    c.eq("%s: exit status" % what, rc, status)
    lines = err.strip().splitlines()
    c.eq("%s: one line on stderr %r" % (what, lines), len(lines), 1 if words else 0)
    for w in words:
        c.true("%s: stderr mentions %r (%r)" % (what, w, err.strip()), w.lower() in err.lower())
    c.true("%s: no sanitizer report" % what, not any(s in err for s in SANITIZER))
    return out


def write(name, data):
    p = os.path.join(tmp, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


with open(SAMPLE, "rb") as f:
    pcap = f.read()

# Unreadable: mode 000, read by someone who is not root (root reads anything).
locked = write("locked.pcap", pcap)
os.chmod(locked, 0)
expect("unreadable file", ["-r", locked], 1, ["locked.pcap", "permission denied"],
       as_nobody=os.geteuid() == 0)

lt, recs = capfile.read_capture(SAMPLE)
# Record headers that lie: caplen above the snapshot length and above the wire length
# (libpcap refuses the record: the packets before it are analysed, exit 0, one line);
# a zero-length record and microseconds over 999999 (read as they are).
out = expect("caplen over snaplen", ["--json", "-q", "-r",
                                    write("snap.pcap", capfile.pcap_bytes(lt, recs[:2], 100))],
             0, [])
c.eq("caplen over snaplen: both records read", ikstest.summary(out)["packets"], 2)
huge = bytearray(capfile.pcap_bytes(lt, recs[:2]))
struct.pack_into("<I", huge, 24 + 16 + len(recs[0][1]) + 8, 0x7fffffff)
out = expect("caplen of 2 GiB", ["--json", "-q", "-r", write("huge.pcap", huge)], 1,
             ["huge.pcap", "1 packets"])
c.eq("caplen of 2 GiB: the record before it analysed", ikstest.summary(out)["packets"], 1)
zero = capfile.pcap_bytes(lt, [recs[0], (recs[0][0] + 1, b"", 0), recs[1]])
s = ikstest.summary(expect("zero-length record", ["--json", "-q", "-r",
                                                  write("zero.pcap", zero)], 0, []))
c.eq("zero-length record: all three counted", s["packets"], 3)
usec = bytearray(capfile.pcap_bytes(lt, recs))
struct.pack_into("<I", usec, 24 + 4, 2000000)
s = ikstest.summary(expect("microseconds over 999999", ["--json", "-q", "-r",
                                                        write("usec.pcap", usec)], 0, []))
c.eq("microseconds over 999999: packets", s["packets"], len(recs))
ng = os.path.join(ikstest.SRCDIR, "tests", "fuzz", "corpus", "pcap")
shb = next(open(os.path.join(ng, n), "rb").read() for n in sorted(os.listdir(ng))
           if open(os.path.join(ng, n), "rb").read(4) == b"\x0a\x0d\x0d\x0a")
expect("pcapng cut in its section header", ["-r", write("cut.pcapng", shb[:20])], 1,
       ["cut.pcapng"])
c.finish()
