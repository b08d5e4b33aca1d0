#!/usr/bin/python3
"""The ncurses view while capturing live: `ikescope -i ethr` on a terminal (a tmux
pane) inside the router namespace of two real strongSwan tunnels, one that comes up
and one with a wrong pre-shared key.

    ini1 (192.0.2.1)   --\\
                         [rtr] ethr --- (198.51.100.1) res
    ini2 (192.0.2.130) --/

The table must list both pairs of peers (the good one established, the other failed
with psk-mismatch), `/` narrow it to the failing pair, Enter show that pair's ladder
with the IKE_AUTH exchange, `f` the psk-mismatch finding with its frames, and `q` must leave the terminal as it was (exit 0, no alternate
screen, cursor shown).  Root only (namespaces); skipped otherwise."""
import os
import re
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "live"))
sys.path.insert(0, here)
import lab as L  # noqa: E402
import ikstest  # noqa: E402
import tui_tmux as T  # noqa: E402

L.need_root()
L.need_strongswan()
lab = L.Lab("t")
GOOD, BAD = "ikescope tui good key", "ikescope tui WRONG key"
L.two_tunnels(lab, GOOD, BAD)
INI1, INI2, RES = L.INI1, L.INI2, L.RES


def main():
    exe = os.path.abspath(ikstest.IKESCOPE)
    env = "ASAN_OPTIONS=detect_leaks=1:exitcode=99 TERM=screen-256color"
    T.tmux("new-session", "-d", "-s", "ikt", "-x", str(T.W), "-y", str(T.H),
           "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp PS1='%s' "
           "TERM=screen-256color sh" % T.PROMPT)
    try:
        T.wait_text(T.PROMPT.strip())
        # A terminal on stdout and no --no-tui: -i opens the view by itself.
        T.run_in_shell("%s ip netns exec %s %s -i ethr" % (env, lab.ns("rtr"), exe))
        T.wait_text("iface ethr")
        r1 = lab.swanctl("ini1", "--initiate", "--child", "net", "--timeout", "15", check=False)
        r2 = lab.swanctl("ini2", "--initiate", "--child", "net", "--timeout", "15", check=False)
        assert r1.returncode == 0, ("the good tunnel should come up", r1.stdout, r1.stderr)
        assert r2.returncode != 0, "the wrong-key tunnel should fail"
        good, bad = "%s <> %s" % (INI1, RES), "%s <> %s" % (INI2, RES)
        t = T.wait_for("both tunnels, the good one established, the bad one's finding",
                       lambda s: re.search(re.escape(good) + r"\s+v2\s+established", s)
                       and re.search(re.escape(bad) + r"\s+v2\s+failed.*psk-mismatch", s),
                       timeout=20)
        assert "Tunnels (2)" in t, t
        # '/': narrow the table to the failing pair; Enter: its ladder with IKE_AUTH.
        T.keys("/")
        T.keys("-l", INI2)
        T.keys("Enter")
        t = T.wait_text("Tunnels (1, filtered)")
        assert bad in t and good not in t, t
        T.keys("Enter")
        t = T.wait_text("Ladder  %s" % bad)
        assert re.search(r"\|-- IKE_AUTH request #1 .*->\|", t), t
        assert re.search(r"\|<- IKE_AUTH response #1 .*--\|", t), t
        # 'f': tunnels with findings, and the finding code with its frames.
        T.keys("Escape", "f")
        t = T.wait_text("with findings only")
        assert re.search(r"\[error\] psk-mismatch \((likely|confirmed)\)  frames \d+,\d+  "
                         + re.escape(bad), t), t
        # The status line names the live source and its drops.
        assert re.search(r"iface ethr.*\| drops \d+\+\d+", t), t
        # 'q': exit 0, the terminal as it was.
        T.keys("q")
        t = T.wait_for("the exit status", lambda s: re.search(r"ikt-exit=\d", s), timeout=15)
        assert "ikt-exit=0" in t, t
        assert T.pane_flags() == (0, 1), T.pane_flags()
        print("ok: live view of %s and %s, psk-mismatch shown, q restored the terminal"
              % (good, bad))
        return 0
    finally:
        T.tmux("kill-server", check=False)


if __name__ == "__main__":
    sys.exit(main())
