"""A large file read with stderr on a terminal shows a progress line (share read,
packets/s) that is erased when done; with stderr not a terminal, nothing."""
import os
import pty
import select
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

ikstest.need_shared()
c = ikstest.Checks()
src = ikstest.capture_path("wireshark/wiki-samples/ipsec_esp_capture_1/capture.pcap")
with open(src, "rb") as f:
    data = f.read()
header, body = data[:24], data[24:]
nframes = 841

tmp = ikstest.tmpdir()
big = os.path.join(tmp, "big.pcap")
copies = 200
with open(big, "wb") as f:
    f.write(header)
    f.write(body * copies)
# Grow the file until one read takes over a second (progress shows after half a second),
# within a cap on disk use.
while True:
    t0 = time.monotonic()
    rc, out, err = ikstest.run(["-q", "-r", big], timeout=300)
    took = time.monotonic() - t0
    c.eq("plain read (%d copies) exit" % copies, rc, 0)
    c.eq("stderr not a terminal: no progress", err, "")
    if took >= 1.2 or os.path.getsize(big) > 3 << 30:
        break
    factor = min(8, max(2, int(1.5 / max(took, 0.01)) + 1))
    with open(big, "ab") as f:
        for _ in range(factor - 1):
            f.write(body * copies)
    copies *= factor

master, slave = pty.openpty()
p = subprocess.Popen([ikstest.IKESCOPE, "-q", "-r", big], stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
seen = b""
deadline = time.monotonic() + 300
while time.monotonic() < deadline:
    r, _, _ = select.select([master], [], [], 1.0)
    if r:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    elif p.poll() is not None:
        break
out = p.communicate(timeout=300)[0].decode()
os.close(master)
text = seen.decode("utf-8", "replace")
c.eq("terminal read exit", p.returncode, 0)
c.true("progress shows the share read (%r)" % text[:120], "% read" in text)
c.true("progress shows packets/s", "packets/s" in text)
c.true("progress line erased at the end", text.endswith("\r\x1b[K"))
c.true("the summary counts every frame",
       out.startswith("Summary: %d packets," % (nframes * copies)))
c.finish()
