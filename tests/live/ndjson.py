"""ikescope -i --json on a link with two real strongSwan tunnels: one comes up,
one has a wrong pre-shared key.  The findings must be streamed while capturing
(before SIGINT), the final report must not repeat them, and the summary must
carry pcap_stats' drops.

    ini1 (192.0.2.1) --\\
                       [rtr] ethr --- (198.51.100.1) res
    ini2 (192.0.2.2) --/

ikescope captures on ethr in rtr.
"""
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import lab as L  # noqa: E402
import ikstest  # noqa: E402

L.need_root()
L.need_strongswan()
c = ikstest.Checks()
lab = L.Lab("n")
GOOD, BAD = "ikescope live good key", "ikescope live WRONG key"
L.two_tunnels(lab, GOOD, BAD)
INI1, INI2, RES = L.INI1, L.INI2, L.RES

p = lab.ikescope("rtr", ["-i", "ethr", "--json"])
out = L.LineReader(p.stdout)
time.sleep(1.0)  # activation
c.true("ikescope is capturing", p.poll() is None)
t0 = time.monotonic()
r1 = lab.swanctl("ini1", "--initiate", "--child", "net", "--timeout", "15", check=False)
r2 = lab.swanctl("ini2", "--initiate", "--child", "net", "--timeout", "15", check=False)
c.eq("the good tunnel comes up (swanctl)", r1.returncode, 0)
c.true("the wrong-key tunnel fails (swanctl)", r2.returncode != 0)


def rec(line):
    try:
        return json.loads(line)
    except ValueError:
        return {}


def is_auth_finding(line):
    r = rec(line)
    return (r.get("type") == "finding" and r.get("code") in ("psk-mismatch", "auth-failed")
            and r.get("initiator") == INI2)


def is_good_sa(line):
    r = rec(line)
    return r.get("type") == "ike_sa" and r.get("initiator") == INI1 and \
        r.get("state") == "established"


got_f = out.wait_for(is_auth_finding, 15)
got_sa = out.wait_for(is_good_sa, 10)
c.true("the wrong-key finding was streamed while capturing", got_f is not None)
c.true("the good IKE SA was streamed as established while capturing", got_sa is not None)
c.true("ikescope still runs when they arrived", p.poll() is None)
if got_f:
    print("finding streamed %.1fs after the tunnels were started" % (got_f[0] - t0))
sigint_at = time.monotonic()
os.kill(p.pid, signal.SIGINT)
try:
    p.wait(timeout=10)
except Exception:
    pass
c.eq("ikescope exits 0 on SIGINT", p.returncode, 0)
lines = out.drain(3)
err = p.stderr.read().decode(errors="replace")
recs = [rec(x) for x in lines]
c.true("every line is a JSON record", all(r.get("type") for r in recs))
if got_f:
    c.true("the finding line arrived before SIGINT", got_f[0] < sigint_at)

findings = [r for r in recs if r.get("type") == "finding"]
keys = [(f["code"], f.get("ike_version"), f.get("initiator"), f.get("responder"))
        for f in findings]
c.eq("no finding record twice", len(keys), len(set(keys)))
auth = [f for f in findings if f["code"] in ("psk-mismatch", "auth-failed")]
c.eq("one authentication finding", len(auth), 1)
for f in auth:
    c.eq("it names the initiator", f.get("initiator"), INI2)
    c.eq("it names the responder", f.get("responder"), RES)
    c.eq("it is about IKEv2", f.get("ike_version"), 2)
    c.true("it cites frames", len(f.get("frames", [])) >= 1)
c.true("no authentication finding for the good pair",
       not any(f.get("initiator") == INI1 and f["code"] in ("psk-mismatch", "auth-failed")
               for f in findings))
sas = [r for r in recs if r.get("type") == "ike_sa"]
bad = [s for s in sas if s.get("initiator") == INI2]
good = [s for s in sas if s.get("initiator") == INI1]
c.true("the good pair's IKE SA is established", any(s["state"] == "established" for s in good))
c.true("the bad pair's IKE SA failed", any(s["state"] == "failed" for s in bad))
for f in auth:
    frames = set()
    for s in bad:
        frames |= set(s["frames"])
    c.true("the finding's frames are the bad pair's IKE messages",
           set(f["frames"]) <= frames and frames)
summ = [r for r in recs if r.get("type") == "summary"]
c.eq("one summary record", len(summ), 1)
if summ:
    s = summ[0]
    d = s.get("drops", {})
    c.eq("summary drops fields", sorted(d), ["interface", "kernel", "received"])
    c.true("drops: received counts the packets the filter passed",
           d.get("received", -1) >= s["packets"] > 0)
    c.eq("no kernel drops at this rate", d.get("kernel"), 0)
    c.true("IKE packets counted", s["ike_packets"] >= 6)
    c.eq("the summary counts the error findings",
         s["findings"]["error"], sum(1 for f in findings if f["severity"] == "error"))
    c.true("the summary is the last record", recs[-1].get("type") == "summary")
print("stderr:", err.strip()[:300])
c.finish()
