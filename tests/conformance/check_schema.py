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
for rel, frames, ike, esp in ikstest.conformance_captures():
    rc, out, err = ikstest.run(["--json", "-vv", "-r", ikstest.capture_path(rel)])
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
    esp_sas = [r for r in recs if r["type"] == "esp_sa"]
    c.eq("%s: esp_sa records" % rel, len(esp_sas), s["esp_sas"])
    c.eq("%s: frames strictly increase" % rel, [r["frame"] for r in pk],
         sorted(set(r["frame"] for r in pk)))
    fnd = [r for r in recs if r["type"] == "finding"]
    c.eq("%s: findings counted" % rel,
         {k: sum(1 for r in fnd if r["severity"] == k) for k in ("error", "warning", "info")},
         s["findings"])
print("record types seen:", kinds)
c.true("packet, esp_sa, finding and summary records all exercised",
       all(kinds.get(k) for k in ("packet", "esp_sa", "finding", "summary")))
c.finish()
