#!/usr/bin/python3
"""The benchmark's smoke run (suite 'bench'): a small capture from bench/gen
(4,000 packets over 60 tunnels: IKEv1 and IKEv2, SKF and IP fragments, NAT-T,
IPv6, VLAN tags, ESP gaps and replays), generated twice to prove it is
byte-identical for a seed, then ikescope's counters checked against the ground
truth and the pcap and pcapng copies checked to give the same output."""
import filecmp
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

GEN = os.environ["BENCH_GEN"]
CHECK = os.path.join(ikstest.SRCDIR, "bench", "check.py")


def main():
    d = ikstest.tmpdir()
    a, b = os.path.join(d, "a"), os.path.join(d, "b")
    for p in (a, b):
        subprocess.run([GEN, "-s", "42", "-t", "60", "-n", "4000", "-o", p], check=True,
                       timeout=60)
    for ext in (".pcap", ".pcapng", ".truth.json"):
        if not filecmp.cmp(a + ext, b + ext, shallow=False):
            print("FAIL: two runs with seed 42 differ in " + ext)
            return 1
    # A different seed gives a different capture.
    c = os.path.join(d, "c")
    subprocess.run([GEN, "-s", "43", "-t", "60", "-n", "4000", "-o", c], check=True, timeout=60)
    if filecmp.cmp(a + ".pcap", c + ".pcap", shallow=False):
        print("FAIL: seeds 42 and 43 gave the same capture")
        return 1
    r = subprocess.run([sys.executable, CHECK, ikstest.IKESCOPE, a], timeout=120)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
