"""The golden test of the diagnosis: on every bundled sample (real captures of
real implementations), the findings ikescope raises are exactly the ones the
sample's NAME.expect.json lists, as a multiset of (code, severity, confidence).
Also: a healthy capture (no error expected) raises no error; every finding
cites at least one frame and says something; findings are the same from run
to run and from a file as from stdin (`-r -`); and the samples together raise
every code of the catalog but the few listed in NOT_PRODUCIBLE, each with the
reason no real implementation produces it in these captures."""
import collections
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

# Codes no bundled sample raises, and why.  A code leaves this list as soon as a
# sample raises it (the test fails while a listed code is expected anywhere).
NOT_PRODUCIBLE = {
    "version-mismatch":
        "no sample peer answers INVALID_MAJOR_VERSION: strongSwan and libreswan parse "
        "both IKE versions and refuse one they do not run with NO_PROPOSAL_CHOSEN "
        "(ikev1-to-ikev2-only expects no-proposal-chosen)",
    "auth-failed":
        "every sample authenticates with pre-shared keys, where a failed "
        "authentication is psk-mismatch (or id-mismatch); auth-failed is for "
        "certificate and EAP failures, which no sample captures",
    "ts-unacceptable":
        "without keys a refused traffic selector looks exactly like a refused CHILD SA "
        "proposal (same encrypted sizes), so the TS samples expect child-no-proposal; "
        "ts-unacceptable is in their findings_with_keys, for --keys",
    "esp-seq-gap":
        "the samples are captured on a lossless link between two namespaces at the "
        "sender, so no ESP sequence number is ever skipped before the capture point",
    "esp-replay":
        "replayed ESP sequence numbers need a duplicating device or two senders on one "
        "SA after a failover; no sample path has either",
    "profile-mismatch":
        "raised only with --profile, which this test does not give "
        "(tests/cli/profile.py covers it)",
    "idle-teardown":
        "no sample keeps a tunnel idle for the ~5 minutes after which policy-based "
        "gateways delete it; ikev2-rekey-delete deletes after a rekey, not for idleness",
    "temporary-failure":
        "TEMPORARY_FAILURE comes from rekey collisions and resource shortages that two "
        "daemons on a quiet link do not reproduce",
    "decrypt-failed":
        "raised only when --keys are given and do not fit; this test gives no keys",
    "malformed":
        "real implementations send well-formed messages (samples/expectations checks "
        "that no sample raises it); the fuzz corpora and golden tests cover it",
}

Finding = collections.namedtuple("Finding", "code severity confidence")


def findings_of(out):
    return [r for r in ikstest.records(out) if r.get("type") == "finding"]


def key(f):
    return Finding(f["code"], f["severity"], f["confidence"])


c = ikstest.Checks()
sdir = os.path.join(ikstest.SRCDIR, "samples")
expects = sorted(glob.glob(os.path.join(sdir, "*.expect.json")))
c.true("samples found (%d)" % len(expects), len(expects) >= 24)

raised = set()
expected_codes = set()
for path in expects:
    with open(path) as f:
        exp = json.load(f)
    name = exp["name"]
    pcap = os.path.join(sdir, name + ".pcap")
    want = sorted(Finding(f["code"], f["severity"], f["confidence"]) for f in exp["findings"])
    expected_codes.update(w.code for w in want)

    rc, out, err = ikstest.run(["--json", "-r", pcap])
    c.eq("%s: exit status (%s)" % (name, err.strip()[-200:]), rc, 0)
    got = findings_of(out)
    raised.update(f["code"] for f in got)
    c.eq("%s: findings (code, severity, confidence)" % name, sorted(key(f) for f in got), want)

    if not any(w.severity == "error" for w in want):
        c.eq("%s: healthy capture raises no error" % name,
             [f["code"] for f in got if f["severity"] == "error"], [])
    for f in got:
        c.true("%s: %s cites at least one frame" % (name, f["code"]),
               isinstance(f.get("frames"), list) and len(f["frames"]) >= 1)
        c.true("%s: %s has a message" % (name, f["code"]),
               isinstance(f.get("message"), str) and f["message"].strip())

    rc2, out2, _ = ikstest.run(["--json", "-r", pcap])
    c.eq("%s: same findings on a second run" % name, (rc2, findings_of(out2)), (0, got))
    with open(pcap, "rb") as fh:
        data = fh.read()
    rc3, out3, err3 = ikstest.run(["--json", "-r", "-"], stdin=data)
    c.eq("%s: same findings from stdin (%s)" % (name, err3.strip()[-200:]),
         (rc3, findings_of(out3)), (0, got))

rc, out, err = ikstest.run(["--list-findings"])
c.eq("--list-findings exit", rc, 0)
catalog = [line.split()[0] for line in out.splitlines() if line.strip()]
c.true("catalog read (%d codes)" % len(catalog), len(catalog) >= 20)
for code in catalog:
    if code in NOT_PRODUCIBLE:
        continue
    c.true("%s is raised by at least one sample" % code, code in raised)
for code in sorted(NOT_PRODUCIBLE):
    c.true("%s (listed as not producible) is a catalog code" % code, code in catalog)
    c.eq("%s (listed as not producible) is raised by no sample" % code, code in raised, False)
    c.eq("%s (listed as not producible) is expected by no sample" % code,
         code in expected_codes, False)
c.finish()
