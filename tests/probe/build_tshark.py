"""The probe's requests as tshark sees them: every message an ISAKMP frame, none malformed,
and ikescope reads the same file without a malformed packet."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

out = os.path.join(tempfile.mkdtemp(prefix="ikp-build-"), "probe-requests.pcap")
subprocess.run([os.environ["TEST_PROBE_BUILD"], out], check=True, timeout=30)
try:
    t = subprocess.run(["tshark", "-n", "-r", out, "-V"], capture_output=True, timeout=60)
except FileNotFoundError:
    print("skip: tshark is not installed")
    sys.exit(77)
text = t.stdout.decode("utf-8", "replace")
frames = text.count("\nFrame ") + text.startswith("Frame ")
isakmp = text.count("Internet Security Association and Key Management Protocol")
bad = [l for l in text.splitlines() if "Malformed" in l or "Expert Info (Error" in l]
print(f"frames {frames}, isakmp {isakmp}, malformed lines {len(bad)}")
assert t.returncode == 0, t.stderr
assert frames == 5 and isakmp == 5, (frames, isakmp)
assert not bad, bad
# tshark names what we meant to send
for want in ["IKE_SA_INIT", "Identity Protection (Main Mode)", "Aggressive",
             "NAT_DETECTION_SOURCE_IP", "COOKIE", "IKEV2_FRAGMENTATION_SUPPORTED",
             "SIGNATURE_HASH_ALGORITHMS", "RFC 3947 Negotiation of NAT-Traversal in the IKE"]:
    assert want in text, want
rc, o, e = ikstest.run(["-r", out, "--json"])
assert rc == 0, e
summary = [json.loads(l) for l in o.splitlines() if '"summary"' in l][0]
assert summary["ike_packets"] == 5 and summary["malformed"] == 0, summary
print("ok")
