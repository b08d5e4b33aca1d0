"""Reading and writing capture files without libpcap (for the fuzz corpora and sweeps).

read_capture(path) -> (linktype, [(ts_usec, data, wirelen)]) for pcap and pcapng
(gzip'd too); to_ip(linktype, data) -> the IP datagram a frame carries, or None;
write_pcap(path, linktype, records) writes a classic little-endian pcap.
"""
import gzip
import struct


def _open(path):
    with open(path, "rb") as f:
        head = f.read(2)
    return gzip.open(path, "rb") if head == b"\x1f\x8b" else open(path, "rb")


def read_capture(path):
    with _open(path) as f:
        buf = f.read()
    if len(buf) < 24:
        return None, []
    magic = buf[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        le = magic[0] in (0xd4, 0x4d)
        nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
        e = "<" if le else ">"
        linktype = struct.unpack(e + "I", buf[20:24])[0] & 0x0fffffff
        off, recs = 24, []
        while off + 16 <= len(buf):
            sec, frac, caplen, wirelen = struct.unpack(e + "IIII", buf[off:off + 16])
            data = buf[off + 16:off + 16 + caplen]
            recs.append((sec * 1000000 + (frac // 1000 if nano else frac), data, wirelen))
            off += 16 + caplen
        return linktype, recs
    if magic == b"\x0a\x0d\x0d\x0a":
        return _read_pcapng(buf)
    return None, []


def _read_pcapng(buf):
    off, e, links, recs = 0, "<", [], []
    while off + 12 <= len(buf):
        btype = struct.unpack(e + "I", buf[off:off + 4])[0]
        if btype == 0x0a0d0d0a:
            e = "<" if buf[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        btype, blen = struct.unpack(e + "II", buf[off:off + 8])
        if blen < 12:
            break
        body = buf[off + 8:off + blen - 4]
        if btype == 1:
            links.append((struct.unpack(e + "H", body[:2])[0], _tsresol(body, e)))
        elif btype == 6 and len(body) >= 20:
            iface, th, tl, caplen, wirelen = struct.unpack(e + "IIIII", body[:20])
            per_sec = links[iface][1] if iface < len(links) else 1000000
            ts = (th << 32 | tl) * 1000000 // per_sec
            recs.append((ts, body[20:20 + caplen], wirelen, iface))
        elif btype == 3 and len(body) >= 4:
            wirelen = struct.unpack(e + "I", body[:4])[0]
            recs.append((0, body[4:4 + wirelen], wirelen, 0))
        off += blen
    lt = links[0][0] if links else 1
    return lt, [(ts, d, w) for ts, d, w, i in recs]


def _tsresol(body, e):
    """Ticks per second of an interface description block (if_tsresol, default µs)."""
    off = 8
    while off + 4 <= len(body):
        code, n = struct.unpack(e + "HH", body[off:off + 4])
        if code == 0:
            break
        if code == 9 and n >= 1:
            v = body[off + 4]
            return 2 ** (v & 0x7f) if v & 0x80 else 10 ** v
        off += 4 + (n + 3) // 4 * 4
    return 1000000


def write_pcap(path, linktype, records, snaplen=262144):
    """records: (ts_usec, data, wirelen[, caplen]); caplen may say less than len(data)."""
    with open(path, "wb") as f:
        f.write(pcap_bytes(linktype, records, snaplen))


def pcap_bytes(linktype, records, snaplen=262144):
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)]
    for r in records:
        ts, data, wirelen = r[0], r[1], r[2]
        out.append(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(data), wirelen))
        out.append(data)
    return b"".join(out)


def to_ip(linktype, d):
    if linktype == 1:  # Ethernet, VLAN tags skipped
        if len(d) < 14:
            return None
        et, off = struct.unpack(">H", d[12:14])[0], 14
        while et in (0x8100, 0x88a8) and len(d) >= off + 4:
            et, off = struct.unpack(">H", d[off + 2:off + 4])[0], off + 4
        return d[off:] if et in (0x0800, 0x86dd) else None
    if linktype in (0, 108):
        return d[4:]
    if linktype in (12, 14, 101, 228, 229):
        return d
    if linktype == 113:
        return d[16:] if len(d) >= 16 and d[14:16] in (b"\x08\x00", b"\x86\xdd") else None
    if linktype == 276:
        return d[20:] if len(d) >= 20 and d[0:2] in (b"\x08\x00", b"\x86\xdd") else None
    return None


def ip_info(ip):
    """(version, src, dst, proto, fragment, l4 bytes) of an IP datagram, or None."""
    if len(ip) < 20:
        return None
    v = ip[0] >> 4
    if v == 4:
        ihl = (ip[0] & 15) * 4
        flags = struct.unpack(">H", ip[6:8])[0]
        frag = (flags & 0x3fff) != 0
        tot = struct.unpack(">H", ip[2:4])[0]
        return 4, ip[12:16], ip[16:20], ip[9], frag, ip[ihl:max(ihl, min(tot, len(ip)))]
    if v == 6 and len(ip) >= 40:
        nh, off = ip[6], 40
        frag = False
        while nh in (0, 43, 60, 44) and len(ip) >= off + 8:
            if nh == 44:
                frag = True
                nh, off = ip[off], off + 8
            else:
                nh, off = ip[off], off + (ip[off + 1] + 1) * 8
        return 6, ip[8:24], ip[24:40], nh, frag, ip[off:]
    return None
