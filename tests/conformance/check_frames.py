"""Frame by frame, ikescope's IKE and ESP decode of a capture equals tshark's.

For every frame of frames/NAME.tsv (recorded by regen-frames) and every IKE or ESP
packet record of `ikescope --json -vv -r CAPTURE`, these must agree:
  exchange    isakmp.exchangetype (tshark's number named as dissect/ike_names.c does)
  msgid       isakmp.messageid
  role        the IKEv2 response flag (0x20 of isakmp.flags); IKEv1 records have none
  spi_i/spi_r isakmp.ispi / isakmp.rspi
  payloads    isakmp.typepayload without the SA substructures 2 (proposal) and 3
              (transform), against the numeric "type" of the -vv "tree" objects
  notify      isakmp.notify.msgtype against notify_types
  esp_spi/esp_seq   esp.spi / esp.sequence
  ike-frame, esp-frame  a frame one side decodes as IKE (ESP) and the other does not,
              or as a different number of messages; the values describe each side's decode
Cells listed in frame-differences.tsv (capture, frame, field, tshark value, ikescope
value, reason) are deliberate differences: they pass only while both values are
exactly the recorded ones.

  check_frames.py CAPTURE...   one capture per argument (as in frames/INDEX)
  check_frames.py              every capture of frames/INDEX
  check_frames.py --suggest    prints the unexcused differences as TSV rows to review
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES = os.path.join(HERE, "frames")

# Exchange type numbers as dissect/ike_names.c names them (IANA ISAKMP Exchange
# Types, RFC 2408 §3.1 / RFC 2409; IANA IKEv2 Exchange Types).
V1_EXCHANGES = {1: "Base", 2: "Main Mode", 3: "Authentication Only", 4: "Aggressive Mode",
                5: "Informational", 6: "Transaction", 32: "Quick Mode", 33: "New Group Mode"}
V2_EXCHANGES = {34: "IKE_SA_INIT", 35: "IKE_AUTH", 36: "CREATE_CHILD_SA", 37: "INFORMATIONAL",
                38: "IKE_SESSION_RESUME", 39: "GSA_AUTH", 40: "GSA_REGISTRATION",
                41: "GSA_REKEY", 43: "IKE_INTERMEDIATE", 44: "IKE_FOLLOWUP_KE"}
SA_SUBSTRUCTURES = {2, 3}  # proposal, transform: tshark lists them, they are not chain payloads


def capture_file(name):
    """The readable file for a capture name, or None when its folder is absent."""
    if name.startswith(("samples/", "tests/")):
        return os.path.join(ikstest.SRCDIR, name)
    if not os.path.isdir(ikstest.CONFORMANCE):
        return None
    return ikstest.capture_path(name)


def tsv_path(name):
    return os.path.join(FRAMES, name.replace("/", "__") + ".tsv")


def index():
    with open(os.path.join(FRAMES, "INDEX")) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def split(v):
    return v.split(",") if v else []


def tshark_frames(name):
    """frame -> {"ike": [pdu...], "payloads": [...], "notify": [...], "esp": [(spi, seq)...]}."""
    frames = {}
    with open(tsv_path(name)) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            c += [""] * (10 - len(c))
            fr, xch, mid, flags, ispi, rspi, types, notes, espi, eseq = c[:10]
            # One value per ISAKMP PDU for the header fields (see regen-frames).
            xch, mid, flags, ispi, rspi = (split(x) for x in (xch, mid, flags, ispi, rspi))
            n = max(len(mid), len(ispi), len(flags))
            pdus = []
            for i in range(n):
                def at(lst):
                    return lst[i] if i < len(lst) else None
                pdus.append({
                    "exchange": int(at(xch)) if at(xch) else None,
                    "msgid": int(at(mid), 16) if at(mid) else None,
                    "flags": int(at(flags), 16) if at(flags) else None,
                    "spi_i": at(ispi), "spi_r": at(rspi)})
            espis, eseqs = split(espi), split(eseq)
            esp = [(int(s, 16), int(eseqs[i]) if i < len(eseqs) else None)
                   for i, s in enumerate(espis)]
            frames[int(fr)] = {
                "ike": pdus,
                "payloads": [int(t) for t in split(types) if int(t) not in SA_SUBSTRUCTURES],
                "notify": [int(t) for t in split(notes)],
                "esp": esp}
    return frames


def ikescope_frames(path):
    """frame -> {"ike": [record...], "esp": [record...]} from the -vv NDJSON."""
    rc, out, err = ikstest.run(["--json", "-vv", "-r", path], timeout=300)
    frames = {}
    for r in ikstest.records(out):
        if r.get("type") != "packet":
            continue
        if "msgid" in r:
            kind = "ike"
        elif r.get("proto") in ("esp", "esp-udp"):
            kind = "esp"
        else:
            continue
        frames.setdefault(r["frame"], {"ike": [], "esp": []})[kind].append(r)
    return rc, err, frames


def load_differences():
    """(capture, frame, field) -> (tshark value, ikescope value)."""
    diffs = {}
    with open(os.path.join(HERE, "frame-differences.tsv")) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            if len(c) != 6 or not c[5].strip():
                raise SystemExit("frame-differences.tsv:%d: want 6 columns with a reason" % n)
            diffs[(c[0], int(c[1]), c[2])] = (c[3], c[4])
    return diffs


def fmt(v):
    """A cell as frame-differences.tsv writes it."""
    if v is None:
        return "-"
    if isinstance(v, list):
        return ",".join(str(x) for x in v) if v else "[]"
    return str(v)


def describe_tshark_ike(pdu, payloads):
    return "%s msgid=%s flags=%s %s/%s [%s]" % (
        pdu["exchange"], pdu["msgid"], pdu["flags"], pdu["spi_i"], pdu["spi_r"],
        ",".join(str(t) for t in payloads))


def describe_ikescope_ike(r):
    types = [o["type"] for o in r.get("tree", []) if o.get("kind") == "payload"]
    return "%s %s msgid=%s %s %s/%s [%s]" % (
        r.get("proto"), r.get("exchange"), r.get("msgid"), r.get("role", "-"), r.get("spi_i"),
        r.get("spi_r"), ",".join(str(t) for t in types))


def describe_esp(spi, seq):
    return "spi=%s seq=%s" % ("-" if spi is None else "%08x" % spi, "-" if seq is None else seq)


def compare(name, want, got):
    """Yields (frame, field, tshark value, ikescope value) for every cell that differs.
    A frame that one side decodes as IKE (or ESP) and the other does not is one cell,
    "ike-frame" ("esp-frame"), whose values describe what each side decoded ("-": nothing)."""
    for fr in sorted(set(want) | set(got)):
        w = want.get(fr, {"ike": [], "payloads": [], "notify": [], "esp": []})
        g = got.get(fr, {"ike": [], "esp": []})
        wike, gike = w["ike"], g["ike"]
        if len(wike) != len(gike):
            yield (fr, "ike-frame",
                   " | ".join(describe_tshark_ike(t, w["payloads"]) for t in wike) or None,
                   " | ".join(describe_ikescope_ike(r) for r in gike) or None)
        else:
            yield from compare_ike(fr, w, wike, gike)
        wesp, gesp = w["esp"], g["esp"]
        if len(wesp) != len(gesp):
            yield (fr, "esp-frame", " | ".join(describe_esp(*e) for e in wesp) or None,
                   " | ".join(describe_esp(int(r["spi"], 16) if "spi" in r else None, r.get("seq"))
                              for r in gesp) or None)
            continue
        for (spi, seq), r in zip(wesp, gesp):
            gspi = int(r["spi"], 16) if "spi" in r else None
            if spi != gspi:
                yield fr, "esp_spi", "%08x" % spi, None if gspi is None else "%08x" % gspi
            if seq != r.get("seq"):
                yield fr, "esp_seq", seq, r.get("seq")


def compare_ike(fr, w, wike, gike):
    """The cells of a frame both sides decode as the same number of IKE messages."""
    for i, (t, r) in enumerate(zip(wike, gike)):
        sfx = "" if len(wike) == 1 else "#%d" % (i + 1)
        v2 = r.get("proto") == "ikev2"
        table = V2_EXCHANGES if v2 else V1_EXCHANGES
        xch = None if t["exchange"] is None else table.get(t["exchange"], str(t["exchange"]))
        cells = [("exchange", xch, r.get("exchange")),
                 ("msgid", t["msgid"], r.get("msgid")),
                 ("spi_i", t["spi_i"], r.get("spi_i")),
                 ("spi_r", t["spi_r"], r.get("spi_r"))]
        if t["flags"] is not None:
            role = ("response" if t["flags"] & 0x20 else "request") if v2 else None
            cells.append(("role", role, r.get("role")))
        for field, tv, iv in cells:
            if tv != iv:
                yield fr, field + sfx, tv, iv
    if not wike:
        return
    # Several messages in one frame: tshark runs their lists together (regen-frames).
    gp, gn = [], []
    for r in gike:
        gp += [o["type"] for o in r.get("tree", []) if o.get("kind") == "payload"]
        gn += r.get("notify_types", [])
    if w["payloads"] != gp:
        yield fr, "payloads", w["payloads"], gp
    if w["notify"] != gn:
        yield fr, "notify", w["notify"], gn


def check(name, diffs, c, suggest, used):
    path = capture_file(name)
    if path is None:
        print("skip %s: ../shared/conformance is absent" % name)
        return False
    if not os.path.exists(path):
        c.eq("%s: capture exists (rerun tests/conformance/regen-frames)" % name, False, True)
        return True
    want = tshark_frames(name)
    rc, err, got = ikescope_frames(path)
    c.eq("%s: exit status (stderr: %s)" % (name, err.strip()), rc, 0)
    n = 0
    for fr, field, tv, iv in compare(name, want, got):
        key = (name, fr, field)
        if key in diffs:
            used.add(key)
            if diffs[key] == (fmt(tv), fmt(iv)):
                c.passed += 1
                continue
            print("FAIL %s frame %d %s: tshark %s, ikescope %s; frame-differences.tsv expects "
                  "tshark %s, ikescope %s" % (name, fr, field, fmt(tv), fmt(iv), *diffs[key]))
            c.failed += 1
            continue
        n += 1
        if suggest:
            print("%s\t%d\t%s\t%s\t%s\t" % (name, fr, field, fmt(tv), fmt(iv)))
        else:
            print("FAIL %s frame %d %s: tshark %s, ikescope %s" % (name, fr, field, fmt(tv),
                                                                   fmt(iv)))
        c.failed += 1
    frames = len(set(want) | set(got))
    c.passed += 1
    print("%s: %d frames compared, %d unexcused differences" % (name, frames, n))
    return True


def main(argv):
    suggest = "--suggest" in argv
    names = [a for a in argv if not a.startswith("--")] or index()
    diffs = load_differences()
    c = ikstest.Checks()
    used = set()
    ran = [check(n, diffs, c, suggest, used) for n in names]
    if not any(ran):
        sys.exit(ikstest.SKIP)
    # An excuse for a cell that now agrees is stale: say so, it hides nothing any more.
    for key in sorted(k for k in diffs if k[0] in names and k not in used):
        print("FAIL %s frame %d %s: listed in frame-differences.tsv but now equal" % key)
        c.failed += 1
    if not suggest:
        c.finish()


if __name__ == "__main__":
    main(sys.argv[1:])
