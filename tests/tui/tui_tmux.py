#!/usr/bin/python3
"""The ncurses view under tmux: ikescope --tui -r over a capture made of two samples
(an IKEv2 PSK mismatch and a NAT-T tunnel that comes up), driven with send-keys and
read with capture-pane.  Expected peers, frames and finding codes come from
ikescope --json -v over the same capture.  Also: q and SIGTERM leave the terminal as it
was (no alternate screen, cursor shown), NO_COLOR / --color never draw no colour,
--color always does."""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

SOCK = "ikt%d" % os.getpid()
W, H = 132, 40
PROMPT = "ikt-prompt$ "


def tmux(*args, check=True):
    p = subprocess.run(["tmux", "-L", SOCK, "-f", "/dev/null"] + list(args),
                       capture_output=True, text=True, timeout=20)
    if check and p.returncode != 0:
        raise RuntimeError("tmux %s: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout


def screen(escapes=False):
    return tmux("capture-pane", "-p", "-t", "ikt", *(["-e"] if escapes else []))


def wait_for(what, pred, timeout=10.0):
    """Polls the pane until pred(text) holds; fails with the pane shown otherwise."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen()
        if pred(text):
            return text
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s; the pane shows:\n%s" % (what, text))


def wait_text(s, timeout=10.0):
    return wait_for(repr(s), lambda t: s in t, timeout)


def pane_flags():
    out = tmux("display-message", "-p", "-t", "ikt", "#{alternate_on} #{cursor_flag}")
    alt, cur = out.split()
    return int(alt), int(cur)


def keys(*k):
    tmux("send-keys", "-t", "ikt", *k)


def run_in_shell(cmd):
    """Types cmd at the pane's shell; the shell prints ikt-exit=STATUS afterwards."""
    keys("clear", "Enter")
    wait_for("a clear prompt", lambda t: t.strip() == PROMPT.strip())
    keys(cmd + '; echo "ikt-exit=$?"', "Enter")


def expected(capture):
    """Tunnels, IKE_AUTH frames and finding codes, from --json -v."""
    rc, out, err = ikstest.run(["--json", "-v", "-r", capture])
    assert rc == 0, err
    recs = [__import__("json").loads(l) for l in out.splitlines() if l.strip()]
    sas = [r for r in recs if r["type"] == "ike_sa"]
    findings = [r for r in recs if r["type"] == "finding"]
    auth = [r for r in recs if r["type"] == "packet" and r.get("exchange") == "IKE_AUTH"]
    return sas, findings, auth


COLOUR_SGR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)[0-9;]*m")


def has_colour(text):
    # tmux writes default colours as 39/49: only a real colour counts.
    return any(m for m in COLOUR_SGR.findall(text)
               if re.search(r"(?:^|[\[;])(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)(?:;|m)", m))


def main():
    if shutil.which("tmux") is None:
        print("tmux is not installed (scripts/deps --test installs it)")
        return 1
    if shutil.which("mergecap") is None:
        print("mergecap is not installed (scripts/deps --test installs tshark)")
        return 1
    src = ikstest.SRCDIR
    sample = os.path.join(src, "samples", "ikev2-psk-mismatch.pcap")
    # Usage errors (exit 2): --realtime without --tui, a bad --color, --tui without a terminal.
    for args, words in ((["--realtime", "-r", sample], "--realtime goes with --tui"),
                        (["--tui", "--color", "sometimes", "-r", sample], "--color wants"),
                        (["--tui", "-r", sample], "--tui needs a terminal")):
        rc, out, err = ikstest.run(args)
        assert rc == 2 and words in err and out == "", (args, rc, err)
    cap = os.path.join(ikstest.tmpdir(), "two-tunnels.pcap")
    subprocess.run(["mergecap", "-F", "pcap", "-w", cap,
                    os.path.join(src, "samples", "ikev2-psk-mismatch.pcap"),
                    os.path.join(src, "samples", "ikev2-nat-t.pcap")], check=True, timeout=30)
    sas, findings, auth = expected(cap)
    pairs = {(s["initiator"], s["responder"]) for s in sas}
    assert len(pairs) == 2, pairs
    psk = [f for f in findings if f["code"] == "psk-mismatch"]
    assert len(psk) == 1, findings
    bad_i, bad_r = psk[0]["initiator"], psk[0]["responder"]
    other = [p for p in pairs if p != (bad_i, bad_r)][0]
    auth_frames = [r["frame"] for r in auth if bad_i in (r["src"], r["dst"])
                   and bad_r in (r["src"], r["dst"])]
    assert len(auth_frames) == 2, auth

    exe = os.path.abspath(ikstest.IKESCOPE)
    # In the sanitizer build a leak or an error makes the exit status 99, not 0.
    env = "ASAN_OPTIONS=detect_leaks=1:exitcode=99 TERM=screen-256color"
    tmux("new-session", "-d", "-s", "ikt", "-x", str(W), "-y", str(H),
         "env -i PATH=/usr/bin:/bin HOME=/tmp PS1='%s' TERM=screen-256color sh" % PROMPT)
    try:
        wait_text(PROMPT.strip())
        # 1. The table lists both tunnels' peers.
        run_in_shell("%s %s --tui -r %s" % (env, exe, cap))
        for a, b in pairs:
            wait_text("%s <> %s" % (a, b))
        t = wait_text("Tunnels (2)")
        assert "end of file" in wait_text("end of file"), t
        # 2. '/' narrows the table to the tunnel of the failing peer; Esc clears it.
        keys("/")
        keys("-l", bad_i)
        t = wait_text("Tunnels (1, filtered)")
        assert "%s <> %s" % (bad_i, bad_r) in t and "%s <> %s" % other not in t, t
        keys("Escape")
        wait_text("Tunnels (2)")
        keys("/")
        keys("-l", bad_i)
        keys("Enter")
        wait_text("Tunnels (1, filtered)")
        # 3. Enter opens the ladder: IKE_AUTH request and response with their frames.
        keys("Enter")
        t = wait_text("Ladder  %s <> %s" % (bad_i, bad_r))
        for fr, what in zip(auth_frames, ("IKE_AUTH request #1", "IKE_AUTH response #1")):
            assert re.search(r"^\s*%d\s+[\d.]+ \|(--|<-) %s" % (fr, re.escape(what)), t, re.M), \
                (fr, what, t)
        assert re.search(r"\|-- IKE_AUTH request .*->\|", t) and \
            re.search(r"\|<- IKE_AUTH response .*--\|", t), t
        # 4. 'f': findings only, with the code and its evidence frames.
        keys("Escape", "f")
        t = wait_text("with findings only")
        frames = ",".join(str(x) for x in psk[0]["frames"])
        assert "[error] psk-mismatch (likely)  frames %s" % frames in t, t
        assert "what to change:" in t, t
        with_findings = {tuple(sorted((f["initiator"], f["responder"]))) for f in findings}
        assert "Tunnels (%d, with findings only)" % len(with_findings) in t, t
        for f in findings:
            assert "] %s (%s)" % (f["code"], f["confidence"]) in t, (f["code"], t)
        # 5. '?' shows the help; any key closes it.
        keys("?")
        wait_text("ikescope keys")
        keys("x")
        wait_for("the help to close", lambda s: "ikescope keys" not in s)
        # 6. 'q' quits: status 0, the shell prompt back, no alternate screen, cursor shown.
        keys("q")
        t = wait_text("ikt-exit=0")
        assert pane_flags() == (0, 1), pane_flags()
        assert "Tunnels" not in t, t

        # Colours: NO_COLOR and --color never draw none; --color always and auto do.
        for opts, want in (("NO_COLOR=1 %s %s --tui", False), ("%s %s --tui --color never", False),
                           ("NO_COLOR=1 %s %s --tui --color always", True),
                           ("%s %s --tui", True)):
            run_in_shell((opts % (env, exe)) + " -r " + cap)
            wait_text("end of file")
            got = has_colour(screen(escapes=True))
            keys("q")
            wait_text("ikt-exit=0")
            assert got == want, (opts, got)

        # SIGTERM to ikescope's PID restores the terminal.
        pidfile = os.path.join(ikstest.tmpdir(), "pid")
        run_in_shell("sh -c 'echo $$ > %s; exec env %s %s --tui -r %s'" % (pidfile, env, exe, cap))
        wait_text("end of file")
        assert pane_flags()[0] == 1, "the view should be on the alternate screen"
        pid = int(open(pidfile).read())
        os.kill(pid, 15)
        wait_text("ikt-exit=")
        assert pane_flags() == (0, 1), pane_flags()
        print("ok: peers %s, ladder frames %s, finding psk-mismatch frames %s" %
              (sorted(pairs), auth_frames, frames))
        return 0
    finally:
        tmux("kill-server", check=False)


if __name__ == "__main__":
    sys.exit(main())
