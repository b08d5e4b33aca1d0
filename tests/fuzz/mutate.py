"""Mutation sweep, Wireshark's fuzz-test method: `editcap -E 0.02 --seed N` over every
sample and ../shared/conformance capture (fixed seeds: the same files every run), each
mutated file through ikescope in text -vv and NDJSON -v (with the sample's keys where it
has them) under a CPU-time limit.  Any sanitizer report, crash or hang fails.
MUTANTS (default 1000, at least 10 per capture) mutated files in all; 2 at a time."""
import concurrent.futures
import glob
import os
import resource
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

if shutil.which("editcap") is None:
    print("skip: editcap (wireshark-common) is not installed")
    sys.exit(ikstest.SKIP)
c = ikstest.Checks()
tmp = ikstest.tmpdir()
SANITIZER = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer")
WANT = int(os.environ.get("MUTANTS", "1000"))
CPU_SECONDS = 20

sources = []
for p in sorted(glob.glob(os.path.join(ikstest.SRCDIR, "samples", "*.pcap"))):
    keys = sorted(glob.glob(p[:-5] + ".keys/*"))
    sources.append((os.path.basename(p)[:-5], p, keys))
if os.path.isdir(ikstest.CONFORMANCE):
    for rel, n, i, e in ikstest.conformance_captures():
        sources.append((rel.replace("/", "_"), ikstest.capture_path(rel), []))
per = max(10, -(-WANT // len(sources)))


def limit():
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def one(job):
    name, src, keys, seed = job
    out = os.path.join(tmp, "%s-%d.pcapng" % (name, seed))
    p = subprocess.run(["editcap", "-E", "0.02", "--seed", str(seed), src, out],
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        return [("%s seed %d: editcap failed: %s" % (name, seed, p.stderr.decode()[-200:]))]
    problems = []
    kargs = sum((["--keys", k] for k in keys), [])
    for mode in (["-vv"], ["--json", "-v"]):
        args = [ikstest.IKESCOPE] + mode + kargs + ["-r", out]
        try:
            r = subprocess.run(args, capture_output=True, timeout=4 * CPU_SECONDS,
                               preexec_fn=limit)
        except subprocess.TimeoutExpired:
            problems.append("%s seed %d %s: hang (no exit in %d s)" %
                            (name, seed, " ".join(mode), 4 * CPU_SECONDS))
            continue
        err = r.stderr.decode("utf-8", "replace")
        if r.returncode != 0 or any(s in err for s in SANITIZER):
            problems.append("%s seed %d %s: exit %d: %s" %
                            (name, seed, " ".join(mode), r.returncode, err[-1500:]))
    if not problems:
        os.unlink(out)
    else:
        keep = os.environ.get("FUZZ_KEEP")
        if keep:
            os.makedirs(keep, exist_ok=True)
            shutil.copy(out, keep)
    return problems


jobs = [(n, p, k, seed) for n, p, k in sources for seed in range(1, per + 1)]
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    results = list(ex.map(one, jobs))
for job, problems in zip(jobs, results):
    c.eq("%s seed %d" % (job[0], job[3]), problems, [])
print("%d mutated files from %d captures (%d each), 2 runs each" % (len(jobs), len(sources), per))
c.finish()
