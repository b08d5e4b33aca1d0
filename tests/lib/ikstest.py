"""Helpers shared by the Python tests: where things are, running ikescope."""
import gzip
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77
IKESCOPE = os.environ.get("IKESCOPE", "build/ikescope")
SRCDIR = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("SHARED", os.path.join(SRCDIR, "..", "shared"))
CONFORMANCE = os.path.join(SHARED, "conformance")
_tmp = tempfile.TemporaryDirectory(prefix="ikescope-test-")


def tmpdir():
    """A scratch folder removed when the test ends."""
    return _tmp.name


def need_shared():
    """Skip (exit 77) where ../shared is absent, as in a clone elsewhere."""
    if not os.path.isdir(CONFORMANCE):
        print("skip: ../shared/conformance is absent")
        sys.exit(SKIP)


def capture_path(rel):
    """A readable capture for a path under conformance/ (gunzipped to a temp file)."""
    p = os.path.join(CONFORMANCE, rel)
    if not p.endswith(".gz"):
        return p
    out = os.path.join(_tmp.name, os.path.basename(p)[:-3])
    if not os.path.exists(out):
        with gzip.open(p, "rb") as src, open(out, "wb") as dst:
            dst.write(src.read())
    return out


def conformance_captures():
    """(relative path, frames, ike, esp) for every line of counts.tsv."""
    rows = []
    with open(os.path.join(SRCDIR, "tests", "conformance", "counts.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            rel, n, i, e = line.rstrip("\n").split("\t")
            rows.append((rel, int(n), int(i), int(e)))
    return rows


def run(args, stdin=None, timeout=120):
    """Runs ikescope; returns (exit status, stdout, stderr) as text."""
    p = subprocess.run([IKESCOPE] + list(args), input=stdin, capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def records(out):
    """Parses NDJSON output into a list of dicts (raises on a bad line)."""
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def summary(out):
    recs = [r for r in records(out) if r.get("type") == "summary"]
    assert len(recs) == 1, "expected exactly one summary record, got %d" % len(recs)
    return recs[0]


class Checks:
    """Collects failures so one run reports all of them."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def eq(self, what, got, want):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: got %r, want %r" % (what, got, want))

    def true(self, what, cond):
        self.eq(what, bool(cond), True)

    def finish(self):
        print("%d checks passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)
