"""Every supported link type gives the same IKE and ESP counts.

The frames of real conformance captures (Ethernet) are rewrapped, unchanged from
the IP header on, in each link-layer header ikescope reads: 802.1Q and 802.1ad
tags, Linux SLL and SLL2, raw IP (LINKTYPE_RAW, IPV4, IPV6), BSD NULL in both
byte orders, and LOOP.  Where tshark is installed it reads each rewrapped file
too, proving the rewrapping sound."""
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
c = ikstest.Checks()
tmp = ikstest.tmpdir()
tshark = shutil.which("tshark")


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic == 0xA1B2C3D4, "little-endian microsecond pcap expected"
    linktype = struct.unpack("<I", data[20:24])[0]
    assert linktype == 1, "Ethernet expected"
    frames, off = [], 24
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        frames.append((sec, usec, data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return frames


def ether_split(frame):
    """(source MAC, ethertype, IP packet) of an untagged Ethernet II frame."""
    return frame[6:12], struct.unpack(">H", frame[12:14])[0], frame[14:]


def wrap(kind, frame):
    mac, et, ip = ether_split(frame)
    if kind == "vlan":
        return frame[:12] + struct.pack(">HHH", 0x8100, 42, et) + ip
    if kind == "qinq":
        return frame[:12] + struct.pack(">HHHHH", 0x88A8, 7, 0x8100, 42, et) + ip
    if kind == "sll":
        return struct.pack(">HHH", 0, 1, 6) + mac + b"\0\0" + struct.pack(">H", et) + ip
    if kind == "sll2":
        return struct.pack(">HHIHBB", et, 0, 3, 1, 0, 6) + mac + b"\0\0" + ip
    if kind in ("raw", "ipv4", "ipv6"):
        return ip
    fam = 2 if et == 0x0800 else 30
    if kind == "null-le":
        return struct.pack("<I", fam) + ip
    if kind == "null-be":
        return struct.pack(">I", fam) + ip
    if kind == "loop":
        return struct.pack(">I", fam) + ip
    raise ValueError(kind)


LINKTYPES = {"vlan": 1, "qinq": 1, "sll": 113, "sll2": 276, "raw": 101, "ipv4": 228,
             "ipv6": 229, "null-le": 0, "null-be": 0, "loop": 108}


def write_pcap(path, linktype, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for sec, usec, data, orig in frames:
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)))
            f.write(data)


def counts(path):
    rc, out, err = ikstest.run(["--json", "-q", "-r", path])
    s = ikstest.summary(out)
    return rc, (s["packets"], s["ike_packets"], s["esp_packets"])


def tshark_counts(path):
    def n(flt):
        args = [tshark, "-r", path] + (["-Y", flt] if flt else [])
        p = subprocess.run(args, capture_output=True, timeout=60)
        return len(p.stdout.splitlines())
    return (n(None), n("isakmp && !icmp && !icmpv6"), n("esp && !icmp && !icmpv6"))


# IKEv1 + NAT-T (ESP in UDP, keepalives), IPv4; ESP over IPv6; IP-fragmented IKE.
SOURCES = ["tcpdump/tests/isakmp4500.pcap",
           "wireshark/wiki-samples/ipsec_esp_capture_5/capture.pcap",
           "zeek-spicy-ipsec/traces/ipsec_client.pcap"]
for rel in SOURCES:
    frames = read_pcap(ikstest.capture_path(rel))
    ip_frames = [fr for fr in frames if ether_split(fr[2])[1] in (0x0800, 0x86DD)]
    rc, base = counts(ikstest.capture_path(rel))
    for kind, lt in LINKTYPES.items():
        if kind == "ipv4" and any(ether_split(f[2])[1] != 0x0800 for f in ip_frames):
            continue
        if kind == "ipv6" and any(ether_split(f[2])[1] != 0x86DD for f in ip_frames):
            continue
        out = os.path.join(tmp, "%s.%s.pcap" % (os.path.basename(os.path.dirname(rel)), kind))
        wrapped = [(s, u, wrap(kind, d), o) for s, u, d, o in ip_frames]
        write_pcap(out, lt, wrapped)
        rc, got = counts(out)
        want = (len(wrapped), base[1], base[2])
        c.eq("%s as %s: exit" % (rel, kind), rc, 0)
        c.eq("%s as %s: packets, IKE, ESP" % (rel, kind), got, want)
        if tshark:
            c.eq("%s as %s: tshark agrees" % (rel, kind), tshark_counts(out), want)
c.finish()
