"""--keys and --psk on the bundled samples and Wireshark's decryption captures.

With the key files the daemons' logs gave, every encrypted IKE message and ESP
packet decrypts (but where a side's keys are meant not to fit), the decrypted
payloads appear, the ESP packets show the tunnelled hosts, and the findings that
rested on sizes become confirmed by the notifies inside.  A wrong key gives
decrypt-failed, never a crash.  --psk proves or refutes a key in aggressive mode."""
import glob
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

c = ikstest.Checks()
SD = os.path.join(ikstest.SRCDIR, "samples")

# What decryption proves, per sample (the others keep their findings unchanged).
WITH_KEYS = {
    "ikev2-psk-mismatch": [("psk-mismatch", "confirmed")],
    # AUTHENTICATION_FAILED under PSK: by INTERFACE.md's definition a psk-mismatch;
    # only --psk with SK_pi/SK_pr could tell the identity apart.
    "ikev2-id-mismatch": [("psk-mismatch", "confirmed")],
    "ikev2-ts-mismatch": [("ts-unacceptable", "confirmed")],
    "ikev2-child-proposal-mismatch": [("child-no-proposal", "confirmed")],
    "ikev1-ts-mismatch": [("ts-unacceptable", "confirmed")],
    "ikev1-quick-mode-proposal-mismatch": [("child-no-proposal", "confirmed")],
    "interop-ikev1-pfs-mismatch": [("child-no-proposal", "confirmed"), ("nat-detected", "confirmed")],
    "ikev1-aggressive-psk-mismatch": [("psk-mismatch", "confirmed")],
    # The key file holds the initiator's key: MM5 decrypts, the responder's replies do not.
    "ikev1-main-psk-mismatch": [("decrypt-failed", "confirmed"), ("psk-mismatch", "confirmed")],
}
ONE_SIDED = {"ikev1-main-psk-mismatch"}


def keys_args(d):
    return sum((["--keys", p] for p in sorted(glob.glob(os.path.join(d, "*")))), [])


def findings(recs):
    return sorted((r["code"], r["confidence"]) for r in recs if r["type"] == "finding")


validator = None
try:
    import json
    import jsonschema
    with open(os.path.join(ikstest.SHARED, "design", "ikescope.schema.json")) as fh:
        validator = jsonschema.Draft202012Validator(json.load(fh))
except (ImportError, OSError):
    pass

for d in sorted(glob.glob(os.path.join(SD, "*.keys"))):
    name = os.path.basename(d)[:-5]
    rc, out, err = ikstest.run(["--json", "-vv", "--psk", "ikescope sample pre-shared key"] +
                               keys_args(d) + ["-r", os.path.join(SD, name + ".pcap")])
    c.eq("%s: exit (%s)" % (name, err.strip()), rc, 0)
    recs = ikstest.records(out)
    if validator:
        c.eq("%s: every record validates against the schema" % name,
             [e.message for r in recs for e in validator.iter_errors(r)][:1], [])
    pk = [r for r in recs if r["type"] == "packet"]
    enc = [r for r in pk if "decrypted" in r and r["proto"] in ("ikev1", "ikev2")]
    bad = [r["frame"] for r in enc if not r["decrypted"]]
    if name in ONE_SIDED:
        c.true("%s: some IKE messages decrypt, some do not" % name, bad and len(bad) < len(enc))
    else:
        c.eq("%s: every encrypted IKE message decrypts" % name, bad, [])
    for r in enc:
        if r["decrypted"] and r["proto"] == "ikev2" and r["exchange"] == "IKE_AUTH" and r["role"] == "request":
            c.true("%s frame %d: IKE_AUTH request holds IDi and AUTH (%s)" % (name, r["frame"], r.get("inner")),
                   r.get("inner") and "IDi" in r["inner"] and "AUTH" in r["inner"]
                   or r.get("fragment", {}).get("n", 1) != r.get("fragment", {}).get("total", 1))
    esp = [r for r in pk if r["proto"] in ("esp", "esp-udp")]
    c.eq("%s: every ESP packet decrypts" % name, [r["frame"] for r in esp if not r.get("decrypted")], [])
    c.true("%s: ESP carries the tunnelled networks 10.1.0.0/24 <-> 10.2.0.0/24" % name,
           all(r.get("inner_src", "").startswith("10.") and r.get("inner_dst", "").startswith("10.")
               for r in esp))
    rc0, out0, _ = ikstest.run(["--json", "-r", os.path.join(SD, name + ".pcap")])
    want = WITH_KEYS.get(name, findings(ikstest.records(out0)))
    got = [f for f in findings(recs) if not (name == "ikev1-aggressive-psk-mismatch" and f[0] == "psk-mismatch")]
    if name == "ikev1-aggressive-psk-mismatch":
        want = [f for f in want if f[0] != "psk-mismatch"]
    c.eq("%s: findings with keys" % name, got, sorted(want))

# A wrong key: decrypt-failed, the analysis goes on (inference), no crash.
tmp = ikstest.tmpdir()
src = os.path.join(SD, "ikev2-psk-mismatch.keys", "ikev2_decryption_table")
with open(src) as f:
    lines = f.read().splitlines()
row = [l for l in lines if l and not l.startswith("#")][0].split(",")
for col in (2, 3):  # SK_ei and SK_er, first nibble changed: both directions garbled
    row[col] = ("0" if row[col][0] != "0" else "1") + row[col][1:]
bad_keys = os.path.join(tmp, "ikev2_decryption_table")
with open(bad_keys, "w") as f:
    f.write(",".join(row) + "\n")
rc, out, err = ikstest.run(["--json", "--keys", bad_keys, "-r", os.path.join(SD, "ikev2-psk-mismatch.pcap")])
c.eq("wrong key: exit", rc, 0)
c.eq("wrong key: decrypt-failed, then inference", findings(ikstest.records(out)),
     [("decrypt-failed", "confirmed"), ("psk-mismatch", "likely")])

# --psk: aggressive mode proves or refutes a key offline.
AGG = os.path.join(SD, "ikev1-aggressive-psk-mismatch.pcap")
OK = os.path.join(SD, "ikev1-aggressive-success.pcap")
for cap, psk, verdict in ((OK, "ikescope sample pre-shared key", "match"),
                          (OK, "ikescope sample pre-shared kez", "mismatch"),
                          (AGG, "ikescope sample pre-shared kez", "match"),   # the responder's
                          (AGG, "ikescope sample pre-shared key", "mismatch"),  # the initiator's
                          (os.path.join(SD, "ikev1-main-success.pcap"), "x", "not-checkable")):
    rc, out, err = ikstest.run(["--json", "--psk", psk, "-r", cap])
    sas = [r for r in ikstest.records(out) if r["type"] == "ike_sa"]
    c.eq("--psk on %s: verdict" % os.path.basename(cap), [r.get("psk_check") for r in sas], [verdict])
    if len(psk) > 3:
        c.true("--psk never prints the key", psk not in out and psk not in err)
    if verdict == "mismatch":
        c.true("--psk mismatch: a confirmed psk-mismatch",
               ("psk-mismatch", "confirmed") in findings(ikstest.records(out)))
pf = os.path.join(tmp, "psk.txt")
with open(pf, "w") as f:
    f.write("ikescope sample pre-shared key\n")
rc, out, err = ikstest.run(["--json", "--psk-file", pf, "-r", OK])
c.eq("--psk-file", [r.get("psk_check") for r in ikstest.records(out) if r["type"] == "ike_sa"], ["match"])

# Key file errors: one line naming file and line.
badf = os.path.join(tmp, "bad_keys")
with open(badf, "w") as f:
    f.write("# a comment\n0102030405060708,zz\n")
rc, out, err = ikstest.run(["--keys", badf, "-r", OK])
c.eq("bad key line: exit 2", rc, 2)
c.true("bad key line: file:line on stderr (%r)" % err, (badf + ":2:") in err and len(err.strip().splitlines()) == 1)
rc, out, err = ikstest.run(["--keys", os.path.join(tmp, "missing"), "-r", OK])
c.eq("missing key file: exit 1", rc, 1)

# Wireshark's own decryption captures with its key tables.
if os.path.isdir(ikstest.CONFORMANCE):
    cfg = os.path.join(ikstest.CONFORMANCE, "wireshark", "config")
    ks = sum((["--keys", os.path.join(cfg, n)] for n in ("ikev2_decryption_table", "ikev1_decryption_table", "esp_sa")), [])
    for rel in sorted(glob.glob(os.path.join(ikstest.CONFORMANCE, "wireshark", "captures", "ikev2-decrypt-*"))):
        rc, out, err = ikstest.run(["--json", "-v"] + ks + ["-r", rel])
        pk = {r["frame"]: r for r in ikstest.records(out) if r["type"] == "packet"}
        name = os.path.basename(rel)
        c.eq("%s frame 3 inner" % name, pk[3].get("inner"), ["IDi", "N", "IDr", "AUTH", "SA", "TSi", "TSr", "N", "N"])
        c.eq("%s frame 4 inner" % name, pk[4].get("inner"), ["IDr", "AUTH", "SA", "TSi", "TSr", "N"])
        c.true("%s: decrypted notifies include AUTH_LIFETIME (16403)" % name, 16403 in pk[4]["notify_types"])
    esp = ikstest.capture_path("wireshark/captures/esp-bug-12671.pcapng.gz")
    rc, out, err = ikstest.run(["--json", "-v"] + ks + ["-r", esp])
    e = [r for r in ikstest.records(out) if r["type"] == "packet" and r["proto"] == "esp"]
    c.true("esp-bug-12671: every ESP packet decrypts to ICMP (%d)" % len(e),
           e and all(r.get("decrypted") and r.get("inner_proto") == 1 for r in e))
    v1 = ikstest.capture_path("wireshark/captures/ikev1-bug-12610.pcapng.gz")
    rc, out, err = ikstest.run(["--json", "-v"] + ks + ["-r", v1])
    q = [r for r in ikstest.records(out) if r["type"] == "packet" and r.get("exchange") == "Quick Mode"]
    c.true("ikev1-bug-12610: quick mode decrypts to HASH SA NONCE ...",
           q and all(r.get("decrypted") and r["inner"][:2] == ["HASH", "SA"] for r in q[:2]))
c.finish()
