"""Golden text tests in tcpdump's style: every line of TESTLIST runs
`ikescope OPTIONS -r CAPTURE` and compares stdout with the expected file.

  run.py             runs them all; prints a unified diff for each that differs
  run.py NAME...     runs only these
  run.py --update    rewrites the expected files from the current build (see ./update)
Exits 77 where ../shared/conformance is absent.
"""
import difflib
import os
import shlex
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ikstest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def testlist():
    """(name, capture, expected file, [options]) for every line of TESTLIST."""
    rows = []
    with open(os.path.join(HERE, "TESTLIST")) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            w = shlex.split(line)
            if len(w) < 3:
                raise SystemExit("TESTLIST:%d: want name, capture, expected file, options" % n)
            rows.append((w[0], w[1], w[2], w[3:]))
    return rows


def main(argv):
    update = "--update" in argv
    only = [a for a in argv if not a.startswith("--")]
    ikstest.need_shared()
    os.environ["NO_COLOR"] = "1"  # text as a pipe gets it anyway; never escape codes here
    failed = passed = 0
    for name, cap, expected, opts in testlist():
        if only and name not in only:
            continue
        rc, out, err = ikstest.run(opts + ["-r", ikstest.capture_path(cap)], timeout=300)
        path = os.path.join(HERE, expected)
        if rc != 0:
            failed += 1
            print("FAIL %s: exit status %d (stderr: %s)" % (name, rc, err.strip()))
            continue
        if update:
            with open(path, "w") as f:
                f.write(out)
            print("wrote %s" % expected)
            continue
        try:
            with open(path) as f:
                want = f.read()
        except OSError:
            want = ""
            print("FAIL %s: %s is missing (run tests/golden/update)" % (name, expected))
        if out == want:
            passed += 1
            continue
        failed += 1
        print("FAIL %s: ikescope %s -r %s differs from %s:" % (name, " ".join(opts), cap, expected))
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), out.splitlines(True), expected, "ikescope output", n=2))
    if not update:
        print("%d golden tests passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
