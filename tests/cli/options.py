"""-c, BPF filters, --fail-on, --list-findings, --version and --help do what they say."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
c = ikstest.Checks()
natt = ikstest.capture_path("tcpdump/tests/isakmp4500.pcap")  # 35 frames: 15 IKE, 8 ESP-in-UDP

rc, out, err = ikstest.run(["--json", "-q", "-c", "10", "-r", natt])
s = ikstest.summary(out)
c.eq("-c 10 packets", s["packets"], 10)
c.eq("-c 10 IKE packets (frames 3-10)", s["ike_packets"], 8)

# Filters as tcpdump reads them: 'udp port 500' keeps frames 3-6 of this capture
# (tcpdump -r isakmp4500.pcap 'udp port 500' | wc -l gives 4).
rc, out, err = ikstest.run(["--json", "-q", "-r", natt, "udp", "port", "500"])
s = ikstest.summary(out)
c.eq("BPF 'udp port 500' packets", s["packets"], 4)
c.eq("BPF 'udp port 500' IKE", s["ike_packets"], 4)
c.eq("BPF 'udp port 500' ESP", s["esp_packets"], 0)
rc, out, err = ikstest.run(["--json", "-q", "-r", natt, "udp port 4500 and greater 100"])
s = ikstest.summary(out)
c.eq("BPF one-word expression: ESP kept", s["esp_packets"], 8)

# --fail-on: a capture whose IKE payload lengths lie raises a `malformed` warning.
bad = ikstest.capture_path("zeek-spicy-ipsec/traces/ipsec-ikev1-payload-bad-length.pcap")
rc, out, err = ikstest.run(["--json", "-r", bad])
f = [r for r in ikstest.records(out) if r["type"] == "finding" and r["code"] == "malformed"]
c.eq("bad-length capture: one malformed finding", [(r["code"], r["severity"]) for r in f],
     [("malformed", "warning")])
c.eq("malformed finding cites frame 1", f[0]["frames"] if f else None, [1])
c.eq("--fail-on warning", ikstest.run(["--fail-on", "warning", "-q", "-r", bad])[0], 4)
c.eq("--fail-on info", ikstest.run(["--fail-on", "info", "-q", "-r", bad])[0], 4)
c.eq("--fail-on error", ikstest.run(["--fail-on", "error", "-q", "-r", bad])[0], 0)
# The bundled NAT-T sample raises only nat-detected (info): below warning, at info.
c.eq("--fail-on warning, only info raised",
     ikstest.run(["--fail-on", "warning", "-q", "-r", "ikev2-nat-t"])[0], 0)
c.eq("--fail-on info, info raised", ikstest.run(["--fail-on", "info", "-q", "-r", "ikev2-nat-t"])[0], 4)

# --list-findings: exactly the codes of the schema, with their severities.
with open(os.path.join(ikstest.SHARED, "design", "ikescope.schema.json")) as fh:
    schema = json.load(fh)
codes = schema["$defs"]["finding"]["properties"]["code"]["enum"]
rc, out, err = ikstest.run(["--list-findings"])
c.eq("--list-findings status", rc, 0)
listed = [l.split()[0] for l in out.splitlines() if l.strip()]
c.eq("--list-findings codes", listed, codes)
sev = {l.split()[0]: l.split()[1] for l in out.splitlines() if l.strip()}
for code, want in (("psk-mismatch", "error"), ("invalid-ke", "info"), ("esp-seq-gap", "warning"),
                   ("ike-fragmentation-missing", "warning"), ("malformed", "warning")):
    c.eq("severity of %s" % code, sev.get(code), want)

rc, out, err = ikstest.run(["--version"])
c.true("--version", rc == 0 and out.startswith("ikescope "))
rc, out, err = ikstest.run(["--help"])
c.true("--help names -r and --json", rc == 0 and "-r FILE" in out and "--json" in out)
c.finish()
