"""ikescope's summary counts on one conformance capture equal tshark's (counts.tsv)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
rel, frames, ike, esp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
c = ikstest.Checks()
rc, out, err = ikstest.run(["--json", "-q", "-r", ikstest.capture_path(rel)])
c.eq("exit status (stderr: %s)" % err.strip(), rc, 0)
s = ikstest.summary(out)
c.eq("packets", s["packets"], frames)
c.eq("ike_packets", s["ike_packets"], ike)
c.eq("esp_packets", s["esp_packets"], esp)
c.finish()
