#!/usr/bin/python3
"""Writes the seed corpora of the fuzz harnesses (tests/fuzz/corpus/<harness>/) from the
samples and, where present, ../shared/conformance.  Deterministic; each input is named
after its source and deduplicated by content; sizes are bounded (the corpus is committed).

  tests/fuzz/make_corpus.py [OUTDIR]      (default: tests/fuzz/corpus)
"""
import glob
import hashlib
import os
import random
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import capfile  # noqa: E402

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("SHARED", os.path.join(SRC, "..", "shared"))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SRC, "tests", "fuzz", "corpus")
HARNESSES = ("ike", "natt", "esp", "reasm", "pcap", "keys", "decrypt")
MAX_INPUT = {"ike": 3072, "natt": 3072, "esp": 2048, "reasm": 8192, "pcap": 4096,
             "keys": 4096, "decrypt": 6144}
PER_SOURCE = {"ike": 4, "natt": 4, "esp": 2, "reasm": 4, "pcap": 1, "keys": 4, "decrypt": 1}

seen = {h: set() for h in HARNESSES}
count = {h: 0 for h in HARNESSES}


def put(h, source, data, limit=True):
    if limit and len(data) > MAX_INPUT[h]:
        return
    digest = hashlib.sha1(data).hexdigest()
    if digest in seen[h]:
        return
    seen[h].add(digest)
    name = "%s-%s" % (source, digest[:8])
    with open(os.path.join(OUT, h, name), "wb") as f:
        f.write(data)
    count[h] += 1


def framed(datagrams, dt=10):
    return b"".join(struct.pack(">BH", dt, len(d)) + d for d in datagrams)


def captures():
    """(source name, path, has keys) of the samples, then of ../shared/conformance."""
    out = []
    for p in sorted(glob.glob(os.path.join(SRC, "samples", "*.pcap"))):
        name = os.path.basename(p)[:-5]
        out.append((name, p, os.path.isdir(p[:-5] + ".keys")))
    conf = os.path.join(SHARED, "conformance")
    if os.path.isdir(conf):
        for p in sorted(glob.glob(os.path.join(conf, "**", "*"), recursive=True)):
            base = os.path.basename(p)
            if not any(base.endswith(x) for x in (".pcap", ".pcapng", ".cap", ".pcap.gz",
                                                  ".pcapng.gz")):
                continue
            name = base.split(".")[0]
            keyed = "decrypt" in base or "esp_capture" in p or "natt-aes" in p or \
                "ikev2pI2" in base or "bug-126" in base or "esp-bug" in base
            out.append((name, p, keyed))
    return out


def fragments(ip, size, order, overlap=False, drop_last=False):
    """IPv4 fragments of datagram ip (payload pieces of size bytes, a multiple of 8)."""
    ihl = (ip[0] & 15) * 4
    hdr, body = bytearray(ip[:ihl]), ip[ihl:]
    pieces = []
    off = 0
    while off < len(body):
        n = min(size, len(body) - off)
        more = off + n < len(body)
        start = max(0, off - 8) if overlap and off else off
        chunk = body[start:off + n]
        h = bytearray(hdr)
        struct.pack_into(">H", h, 2, ihl + len(chunk))
        struct.pack_into(">H", h, 6, (0x2000 if more else 0) | (start // 8))
        pieces.append(bytes(h) + chunk)
        off += n
    if drop_last:
        pieces = pieces[:-1]
    if order == "reverse":
        pieces.reverse()
    elif order == "shuffle":
        random.Random(len(ip)).shuffle(pieces)
    return pieces


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    for h in HARNESSES:
        os.makedirs(os.path.join(OUT, h))
    for name, path, keyed in captures():
        lt, recs = capfile.read_capture(path)
        if lt is None:
            continue
        per = {h: 0 for h in HARNESSES}

        def add(h, data):
            if per[h] < PER_SOURCE[h]:
                before = count[h]
                put(h, name, data)
                per[h] += count[h] - before

        ips, frags, big = [], [], []
        for ts, data, wirelen in recs:
            ip = capfile.to_ip(lt, data)
            info = capfile.ip_info(ip) if ip else None
            if info is None:
                continue
            ips.append(ip)
            v, src, dst, proto, frag, l4 = info
            if frag:
                frags.append(ip)
                continue
            if proto == 17 and len(l4) >= 8:
                sp, dp = struct.unpack(">HH", l4[:4])
                pl = l4[8:]
                if 500 in (sp, dp):
                    add("ike", pl)
                    if v == 4 and len(ip) > 700:
                        big.append(ip)
                elif 4500 in (sp, dp):
                    add("natt", pl)
                    if pl[:4] == b"\0\0\0\0":
                        add("ike", pl[4:])
                    elif len(pl) >= 8 and v == 4:
                        add("esp", src + dst + pl)
            elif proto == 50 and v == 4:
                add("esp", src + dst + l4)
        if frags:
            add("reasm", framed(frags[:24]))
        for i, ip in enumerate(big[:2]):
            add("reasm", framed(fragments(ip, 256, "in")))
            add("reasm", framed(fragments(ip, 512, "reverse", overlap=True)))
            add("reasm", framed(fragments(ip, 256, "shuffle", drop_last=True)))
        if keyed and ips:
            # The whole negotiation, up to the size bound: the first frames that fit.
            keep, size = [], 0
            for ip in ips:
                if size + len(ip) + 3 > MAX_INPUT["decrypt"]:
                    break
                keep.append(ip)
                size += len(ip) + 3
            if keep:
                add("decrypt", framed(keep))
        # The file itself (as a pcap of its first records when it is big), and pcapng as is.
        with open(path, "rb") as f:
            raw = f.read()
        if raw[:2] != b"\x1f\x8b" and len(raw) <= MAX_INPUT["pcap"]:
            add("pcap", raw)
        else:
            n = len(recs)
            while n > 1 and len(capfile.pcap_bytes(lt, recs[:n])) > MAX_INPUT["pcap"]:
                n = n // 2 if n > 8 else n - 1
            add("pcap", capfile.pcap_bytes(lt, recs[:n]))
    # Key files: the samples', Wireshark's.
    keyfiles = sorted(glob.glob(os.path.join(SRC, "samples", "*.keys", "*")))
    conf = os.path.join(SHARED, "conformance")
    keyfiles += sorted(glob.glob(os.path.join(conf, "wireshark", "**", "esp_sa*"), recursive=True))
    keyfiles += sorted(glob.glob(os.path.join(conf, "**", "*decryption_table"), recursive=True))
    for p in keyfiles:
        with open(p, "rb") as f:
            put("keys", os.path.basename(os.path.dirname(p)).split(".")[0] + "-" +
                os.path.basename(p), f.read())
    total = 0
    for h in HARNESSES:
        size = sum(os.path.getsize(p) for p in glob.glob(os.path.join(OUT, h, "*")))
        total += size
        print("%-8s %4d inputs %7d bytes" % (h, count[h], size))
    print("total %d bytes" % total)


main()
