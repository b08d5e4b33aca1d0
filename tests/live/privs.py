"""-Z and the default drop to nobody (checked in /proc after activation, and the
capture still works), SIGUSR1's stats line, and the live error table."""
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import lab as L  # noqa: E402
import ikstest  # noqa: E402

L.need_root()
if shutil.which("tcpreplay") is None:
    print("FAIL: tcpreplay is not installed (scripts/deps installs it)")
    sys.exit(1)
c = ikstest.Checks()
lab = L.Lab("p")
lab.add_ns("a")
lab.add_ns("b")
lab.link("a", "left0", "b", "right0")
nobody = pwd.getpwnam("nobody")
SAMPLE = os.path.join(ikstest.SRCDIR, "samples", "ikev2-psk-mismatch.pcap")


def proc_ids(pid):
    ids = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("Uid", "Gid", "Groups"):
                ids[k] = [int(x) for x in v.split()]
    return ids


def wait_dropped(p, uid, timeout=5):
    end = time.monotonic() + timeout
    while time.monotonic() < end and p.poll() is None:
        try:
            ids = proc_ids(p.pid)
        except OSError:
            break
        if ids.get("Uid") == [uid] * 4:
            return ids
        time.sleep(0.05)
    return None


for label, args in (("-Z nobody", ["-Z", "nobody"]), ("root without -Z", [])):
    p = lab.ikescope("b", ["-i", "right0", "--json"] + args)
    ids = wait_dropped(p, nobody.pw_uid)
    c.true("%s: runs as nobody after activation" % label, ids is not None)
    if ids:
        c.eq("%s: Uid real/effective/saved/fs" % label, ids["Uid"], [nobody.pw_uid] * 4)
        c.eq("%s: Gid real/effective/saved/fs" % label, ids["Gid"], [nobody.pw_gid] * 4)
        c.true("%s: Groups empty or nobody's" % label,
               set(ids["Groups"]) <= {nobody.pw_gid} |
               {g for g in os.getgrouplist("nobody", nobody.pw_gid)})
    # the capture works as nobody: a sample pushed through the link is analyzed
    lab.nsx("a", "tcpreplay", "-q", "-i", "left0", SAMPLE)
    time.sleep(1.5)
    os.kill(p.pid, signal.SIGUSR1)
    time.sleep(0.5)
    c.true("%s: still running after SIGUSR1" % label, p.poll() is None)
    os.kill(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=10)
    out, err = out.decode(), err.decode()
    c.eq("%s: exit status" % label, p.returncode, 0)
    m = re.search(r"ikescope: right0: (\d+) packets, (\d+) dropped by kernel, (\d+) by interface",
                  err)
    c.true("%s: SIGUSR1 printed the stats line on stderr" % label, m is not None)
    if m:
        c.eq("%s: the stats line counts the sample's packets" % label, int(m.group(1)), 4)
    s = ikstest.summary(out)
    c.eq("%s: packets captured as nobody" % label, s["packets"], 4)
    c.eq("%s: the psk-mismatch found" % label,
         [r["code"] for r in ikstest.records(out) if r["type"] == "finding"], ["psk-mismatch"])


def run(nsname, args, user=None, timeout=10):
    cmd = [ikstest.IKESCOPE] + args
    if user:
        cmd = ["setpriv", "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid,
               "--clear-groups"] + cmd
    if nsname:
        cmd = ["ip", "netns", "exec", lab.ns(nsname)] + cmd
    p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    return p.returncode, p.stderr.decode(errors="replace")


TABLE = [
    ("unknown interface", "b", ["-i", "iklnosuch0"], None, 1, r"iklnosuch0: No such device"),
    ("interface down", "a", ["-i", "down0"], None, 1, r"down0: That device is not up"),
    ("bad BPF", "b", ["-i", "right0", "port", "99999"], None, 2,
     r"bad filter expression 'port 99999': illegal port number"),
    ("-B 0", "b", ["-B", "0", "-i", "right0"], None, 2, r"-B wants a buffer size in KiB"),
    ("-B words", "b", ["-B", "lots", "-i", "right0"], None, 2, r"-B wants a buffer size in KiB"),
    ("-B too big", "b", ["-B", "4000000", "-i", "right0"], None, 2, r"-B wants a buffer size"),
    ("no permission", "b", ["-i", "right0"], "nobody", 1,
     r"right0: You don't have permission to perform this capture on that device"),
    ("-Z unknown user", "b", ["-i", "right0", "-Z", "iklnosuchuser"], None, 2,
     r"-Z iklnosuchuser: no such user"),
    ("-i and -r", "b", ["-i", "right0", "-r", SAMPLE], None, 2, r"not both"),
    ("-w unwritable", "b", ["-i", "right0", "-w", "/nonexistent-dir/x.pcap"], None, 1,
     r"-w .*No such file or directory"),
]
# a veth left down for "interface down"
lab.sh("ip", "-n", lab.ns("a"), "link", "add", "down0", "type", "veth", "peer", "name", "down1")
for what, nsname, args, user, want_rc, pattern in TABLE:
    rc, err = run(nsname, args, user)
    c.eq("%s: exit status" % what, rc, want_rc)
    lines = [x for x in err.splitlines() if x.strip()]
    c.eq("%s: one line on stderr" % what, len(lines), 1)
    c.true("%s: says %r (got %r)" % (what, pattern, err.strip()), re.search(pattern, err))
c.finish()
