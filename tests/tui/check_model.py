#!/usr/bin/python3
"""The TUI's model (tui/model.c, built without curses into model_dump) against what
ikescope --json -v reports for every sample: tunnels (peers, IKE version, state, IKE and
ESP SA counts, ESP totals each way, worst finding), the ladder of each tunnel (frames,
exchange, role, message ID, notifies, retransmissions), the findings (code, frames,
severity, confidence), and the ESP rates between snapshots (packets and bytes in capture
time, from the packet records)."""
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

DUMP = os.environ["MODEL_DUMP"]
BATCH = 3  # frames per snapshot: several snapshots even for the small samples
SEV = {"info": 0, "warning": 1, "error": 2}


def pair(a, b):
    return tuple(sorted((a, b)))


def significant(n):
    # The ladder shows error and status notifies, not the routine ones (report/tunnel.c).
    return n < 16384 or n == 16390


def check(path):
    rc, out, err = ikstest.run(["--json", "-v", "-r", path])
    assert rc == 0, err
    recs = [json.loads(l) for l in out.splitlines() if l.strip()]
    p = subprocess.run([DUMP, path, str(BATCH)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    dump = [json.loads(l) for l in p.stdout.splitlines()]
    snaps = [d for d in dump if "snap" in d]
    tunnels = [d for d in dump if "tunnel" in d and "finding" not in d]
    ladder = [d for d in dump if "ladder" in d]
    mfind = [d for d in dump if "finding" in d]
    sas = [r for r in recs if r["type"] == "ike_sa"]
    esps = [r for r in recs if r["type"] == "esp_sa"]
    finds = [r for r in recs if r["type"] == "finding"]
    pkts = {r["frame"]: r for r in recs if r["type"] == "packet"}

    # Tunnels: every pair of peers of an IKE SA, an ESP SA or a finding, once.
    want = {pair(s["initiator"], s["responder"]) for s in sas}
    want |= {pair(e["src"], e["dst"]) for e in esps}
    want |= {pair(f["initiator"], f["responder"]) for f in finds if "initiator" in f}
    got = [pair(t["a"], t["b"]) for t in tunnels]
    assert sorted(got) == sorted(want), (got, want)
    n_ladder = 0
    for t in tunnels:
        pp = pair(t["a"], t["b"])
        tsas = [s for s in sas if pair(s["initiator"], s["responder"]) == pp]
        tesp = [e for e in esps if pair(e["src"], e["dst"]) == pp]
        tf = [f for f in finds if "initiator" in f and pair(f["initiator"], f["responder"]) == pp]
        assert t["nike"] == len(tsas) and t["nesp"] == len(tesp), (t, len(tsas), len(tesp))
        if tsas:
            states = [s["state"] for s in tsas]
            st = "established" if "established" in states else states[-1]
            assert t["state"] == st and t["version"] == tsas[-1]["ike_version"], (t, states)
            assert t["a"] == tsas[0]["initiator"], t
        for d, (src, dst) in enumerate(((t["a"], t["b"]), (t["b"], t["a"]))):
            pk = sum(e["packets"] for e in tesp if e["src"] == src and e["dst"] == dst)
            by = sum(e["bytes"] for e in tesp if e["src"] == src and e["dst"] == dst)
            assert snaps[-1]["tunnels"][t["tunnel"]]["esp"][d] == pk, (t, pk)
            assert t["esp_bytes"][d] == by, (t, by)
        assert t["nfindings"] == len(tf), (t, tf)
        worst = max(tf, key=lambda f: SEV[f["severity"]])["code"] if tf else ""
        assert t["worst"] == worst, (t, worst)
        # The ladder: each IKE SA's heading, then its frames as --json lists them.
        rows = [r for r in ladder if r["ladder"] == t["tunnel"]]
        exp = []
        for s in tsas:
            exp.append(("heading", s["spi_i"], s["initiator"], s["responder"], s["state"]))
            exp += [("frame", f) for f in s["frames"]]
        gotrows = [("heading", r["spi_i"], r["initiator"], r["responder"], r["state"])
                   if r.get("heading") else ("frame", r["frame"]) for r in rows]
        assert gotrows == exp, (gotrows, exp)
        init = {}
        for r in rows:
            if r.get("heading"):
                cur = r
                continue
            n_ladder += 1
            k = pkts[r["frame"]]
            assert r["exchange"] == k["exchange"] and r["msgid"] == k["msgid"], (r, k)
            if k["proto"] == "ikev2":
                assert r["response"] == (k["role"] == "response"), (r, k)
            assert r["from_i"] == (k["src"] == cur["initiator"]), (r, k)
            nt = [n for n in k.get("notify_types", []) if significant(n)]
            assert r["notify"] == nt, (r, k)
            if r["retrans_of"]:
                o = pkts[r["retrans_of"]]
                assert r["retrans_of"] < r["frame"] and o["exchange"] == k["exchange"] and \
                    o["msgid"] == k["msgid"] and o["src"] == k["src"], (r, o)
            init[r["frame"]] = r
    # Findings: the same list, in order.
    assert len(mfind) == len(finds), (mfind, finds)
    for m, f in zip(mfind, finds):
        fr = ",".join(str(x) for x in f["frames"])
        assert m["finding"] == f["code"] and m["severity"] == f["severity"] and \
            m["confidence"] == f["confidence"] and m["remediation"], (m, f)
        assert m["frames"] == fr or (m["frames"].endswith(",...") and
                                     fr.startswith(m["frames"][:-4])), (m, f)
    # Rates: ESP packets and bits per second each way between snapshots, capture time.
    esp_pk = [r for r in pkts.values() if r["proto"] in ("esp", "esp-udp")]
    base = snaps[0]
    n_rates = 0
    for s in snaps[1:]:
        if s["now"] <= base["now"]:
            continue
        dt = (s["now"] - base["now"]) / 1e6
        for i, t in enumerate(s["tunnels"]):
            for d, (src, dst) in enumerate(((t["a"], t["b"]), (t["b"], t["a"]))):
                inwin = [r for r in esp_pk if r["src"] == src and r["dst"] == dst and
                         base["now"] < round(r["ts"] * 1e6) <= s["now"]]
                pps = len(inwin) / dt
                assert abs(t["pps"][d] - pps) <= 1e-6 * max(1, pps), (t, pps, s["now"])
                bps = sum(r["len"] for r in inwin) * 8 / dt
                assert abs(t["bps"][d] - bps) <= 1e-3 * max(1, bps), (t, bps, s["now"])
                n_rates += 1 if inwin else 0
        base = s
    return len(tunnels), n_ladder, len(mfind), n_rates


def main():
    total = [0, 0, 0, 0]
    samples = sorted(glob.glob(os.path.join(ikstest.SRCDIR, "samples", "*.pcap")))
    assert samples
    for path in samples:
        try:
            r = check(path)
        except AssertionError as e:
            print("FAIL %s: %s" % (os.path.basename(path), e))
            return 1
        total = [a + b for a, b in zip(total, r)]
    print("ok: %d samples, %d tunnels, %d ladder rows, %d findings, %d non-zero rates checked"
          % (len(samples), *total))
    assert total[3] > 0, "no sample gave an ESP rate to check"
    return 0


if __name__ == "__main__":
    sys.exit(main())
