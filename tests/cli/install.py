"""`meson install` puts the binary, the man page and the samples (captures,
lessons, keys) in place, and the installed binary lists the installed samples."""
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

c = ikstest.Checks()
dest = os.path.join(ikstest.tmpdir(), "dest")
p = subprocess.run(["meson", "install", "--no-rebuild", "-C", os.environ["BUILDDIR"],
                    "--destdir", dest], capture_output=True, timeout=120)
c.eq("meson install exit (%s)" % p.stderr.decode()[-300:], p.returncode, 0)
binary = glob.glob(os.path.join(dest, "**", "bin", "ikescope"), recursive=True)
man = glob.glob(os.path.join(dest, "**", "man1", "ikescope.1*"), recursive=True)
samples = glob.glob(os.path.join(dest, "**", "ikescope", "samples"), recursive=True)
c.eq("binary installed", len(binary), 1)
c.eq("man page installed", len(man), 1)
c.eq("samples installed", len(samples), 1)
if samples and binary:
    sdir = samples[0]
    n = len(glob.glob(os.path.join(sdir, "*.pcap")))
    c.eq("every capture installed", n, len(glob.glob(os.path.join(ikstest.SRCDIR, "samples", "*.pcap"))))
    c.true("lessons installed", os.path.exists(os.path.join(sdir, "README.md")))
    c.true("key files installed", glob.glob(os.path.join(sdir, "*.keys", "*")))
    c.eq("generator scripts not installed", os.path.exists(os.path.join(sdir, "generate")), False)
    env = dict(os.environ, IKESCOPE_SAMPLES=sdir)
    out = subprocess.run([binary[0], "samples"], capture_output=True, env=env, timeout=60)
    c.eq("installed binary lists the installed samples",
         sum(1 for l in out.stdout.decode().splitlines() if l.startswith("  ")), n)
c.finish()
