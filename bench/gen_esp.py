#!/usr/bin/python3
"""Deterministic synthetic capture for bench/live_replay: the IKE exchange of a
bundled sample, then N ESP packets over S SAs (half each way) with known SPIs
and sequence numbers 1, 2, 3, ... per SA, payload sizes from a fixed LCG.

usage: gen_esp.py OUT.pcap [packets] [sas] [ike-sample.pcap]
Prints one line: the ESP packet count per SPI, as JSON.
"""
import json
import struct
import sys

out = sys.argv[1]
npk = int(sys.argv[2]) if len(sys.argv) > 2 else 400000
nsa = int(sys.argv[3]) if len(sys.argv) > 3 else 8
ike = sys.argv[4] if len(sys.argv) > 4 else None

A = bytes([192, 0, 2, 1])
B = bytes([198, 51, 100, 1])
MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def csum(h):
    s = sum(struct.unpack("!%dH" % (len(h) // 2), h))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def esp_frame(src, dst, smac, dmac, spi, seq, plen, ident):
    esp = struct.pack("!II", spi, seq) + bytes(plen)
    tot = 20 + len(esp)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, ident & 0xFFFF, 0, 64, 50, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dmac + smac + b"\x08\x00" + ip + esp


with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    ts = 1700000000 * 1000000
    if ike:
        with open(ike, "rb") as g:
            hdr = g.read(24)
            assert struct.unpack("<I", hdr[:4])[0] == 0xA1B2C3D4, "needs a microsecond pcap"
            while True:
                rh = g.read(16)
                if len(rh) < 16:
                    break
                _, _, incl, orig = struct.unpack("<IIII", rh)
                data = g.read(incl)
                f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000, incl, orig) + data)
                ts += 1000
    seq = [0] * nsa
    counts = {}
    x = 12345
    for i in range(npk):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        sa = i % nsa
        plen = 48 + (x % 1300) // 16 * 16
        seq[sa] += 1
        spi = 0xC0DE0000 + sa
        fwd = sa % 2 == 0
        fr = esp_frame(A if fwd else B, B if fwd else A, MAC_A if fwd else MAC_B,
                       MAC_B if fwd else MAC_A, spi, seq[sa], plen, i)
        f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(fr), len(fr)) + fr)
        ts += 10
        counts["%08x" % spi] = seq[sa]
print(json.dumps(counts, sort_keys=True))
