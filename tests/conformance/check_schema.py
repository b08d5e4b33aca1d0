"""Every NDJSON record ikescope writes on the conformance captures validates against
../shared/design/ikescope.schema.json, and the records agree with each other."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
try:
    import jsonschema
except ImportError:
    print("FAIL: python3-jsonschema is not installed (scripts/test installs it)")
    sys.exit(1)

with open(os.path.join(ikstest.SHARED, "design", "ikescope.schema.json")) as f:
    schema = json.load(f)
validator = jsonschema.Draft202012Validator(schema)
c = ikstest.Checks()
kinds = {}
import glob  # noqa: E402

captures = [(rel, ikstest.capture_path(rel)) for rel, _, _, _ in ikstest.conformance_captures()]
captures += [(os.path.relpath(p, ikstest.SRCDIR), p)
             for p in sorted(glob.glob(os.path.join(ikstest.SRCDIR, "samples", "*.pcap")))]
for rel, path in captures:
    rc, out, err = ikstest.run(["--json", "-vv", "-r", path])
    c.eq("%s: exit status" % rel, rc, 0)
    recs = ikstest.records(out)
    for r in recs:
        kinds[r["type"]] = kinds.get(r["type"], 0) + 1
        errs = sorted(validator.iter_errors(r), key=lambda e: e.path)
        c.eq("%s: %s record frame %s validates" % (rel, r["type"], r.get("frame")),
             [e.message for e in errs][:1], [])
    pk = [r for r in recs if r["type"] == "packet"]
    s = ikstest.summary(out)
    # packet records: IKE ones are exactly the IKE packets, ESP ones the ESP packets
    c.eq("%s: IKE packet records" % rel,
         sum(1 for r in pk if r["proto"] in ("ikev1", "ikev2") or
             (r["proto"] == "other" and "exchange" in r)), s["ike_packets"])
    c.eq("%s: ESP packet records" % rel,
         sum(1 for r in pk if r["proto"] in ("esp", "esp-udp")), s["esp_packets"])
    ike_sas = [r for r in recs if r["type"] == "ike_sa"]
    c.eq("%s: ike_sa records" % rel, len(ike_sas), s["ike_sas"])
    for r in ike_sas:
        c.true("%s: ike_sa frames are IKE packets" % rel,
               set(r["frames"]) <= {p["frame"] for p in pk if "exchange" in p})
    esp_sas = [r for r in recs if r["type"] == "esp_sa"]
    c.eq("%s: esp_sa records" % rel, len(esp_sas), s["esp_sas"])
    c.eq("%s: frames strictly increase" % rel, [r["frame"] for r in pk],
         sorted(set(r["frame"] for r in pk)))
    fnd = [r for r in recs if r["type"] == "finding"]
    c.eq("%s: findings counted" % rel,
         {k: sum(1 for r in fnd if r["severity"] == k) for k in ("error", "warning", "info")},
         s["findings"])
print("record types seen:", kinds)
c.true("packet, ike_sa, esp_sa, finding and summary records all exercised",
       all(kinds.get(k) for k in ("packet", "ike_sa", "esp_sa", "finding", "summary")))
c.finish()
