#!/usr/bin/env python3
"""A libFuzzer campaign counted in CPU time (not part of scripts/test).

Runs the harnesses of the fuzz build until each has had TARGET CPU seconds in all,
JOBS at a time, in chunks of CHUNK wall seconds at nice 19, growing each corpus under
WORKDIR/<harness> (kept between runs).  CPU seconds are the fuzzer's own user + system
time (wait4), added to WORKDIR/ledger.tsv one line per chunk, so a campaign can be
stopped and resumed, and earlier rounds counted.  While WORKDIR/pause exists, running
chunks are interrupted (SIGINT: libFuzzer keeps its corpus) and none start, so the
machine can be quiet for a benchmark.

  tests/fuzz/campaign_cpu.py WORKDIR [--target 3600] [--jobs 2] [--chunk 600]
                             [--credit H=SECONDS ...] [HARNESS ...]

Each chunk's line: harness, CPU s, executions, new corpus files, artifacts, exit.
A chunk that leaves an artifact (crash, leak, timeout, OOM) stops that harness.
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time

HARNESSES = ["ike", "natt", "esp", "reasm", "pcap", "keys", "decrypt"]
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def ledger_totals(path):
    tot = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) >= 3 and p[0] != "harness":
                    tot[p[0]] = tot.get(p[0], 0.0) + float(p[2])
    return tot


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work")
    ap.add_argument("--target", type=float, default=3600)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=600)
    ap.add_argument("--credit", action="append", default=[])
    ap.add_argument("harness", nargs="*")
    a = ap.parse_args()
    hs = a.harness or HARNESSES
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    ledger = os.path.join(work, "ledger.tsv")
    lock = threading.Lock()
    for c in a.credit:  # earlier rounds, recorded once
        h, s = c.split("=")
        with open(ledger, "a") as f:
            f.write(f"{h}\tcredit\t{float(s):.1f}\t0\t0\t0\t0\n")
    busy = set()
    stopped = set()

    def pick():
        with lock:
            tot = ledger_totals(ledger)
            need = [(a.target - tot.get(h, 0.0), h) for h in hs
                    if h not in busy and h not in stopped and tot.get(h, 0.0) < a.target]
            if not need:
                return None
            need.sort(reverse=True)
            busy.add(need[0][1])
            return need[0][1]

    def chunk(h):
        exe = os.path.join(ROOT, "build-fuzz", "tests", "fuzz", "fuzz_" + h)
        corp = os.path.join(work, h)
        arts = os.path.join(work, h + ".artifacts")
        os.makedirs(corp, exist_ok=True)
        os.makedirs(arts, exist_ok=True)
        before = len(os.listdir(corp))
        log = open(os.path.join(work, h + ".log"), "w")
        p = subprocess.Popen(
            ["nice", "-n", "19", exe, f"-max_total_time={a.chunk}", "-timeout=10",
             "-rss_limit_mb=2048", "-max_len=16384",
             "-dict=" + os.path.join(ROOT, "tests", "fuzz", "ike.dict"),
             "-print_final_stats=1", "-artifact_prefix=" + arts + "/", corp],
            stdout=log, stderr=subprocess.STDOUT)
        rc = None
        while rc is None:
            try:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                rc = os.waitstatus_to_exitcode(status)
                cpu = ru.ru_utime + ru.ru_stime
                break
            if os.path.exists(os.path.join(work, "pause")):
                p.send_signal(signal.SIGINT)
            time.sleep(2)
        log.close()
        text = open(os.path.join(work, h + ".log"), errors="replace").read()
        m = re.findall(r"^#(\d+)\s", text, re.M)
        st = re.search(r"stat::number_of_executed_units: *(\d+)", text)
        execs = int(st.group(1)) if st else (int(m[-1]) if m else 0)
        new = len(os.listdir(corp)) - before
        nart = len(os.listdir(arts))
        with lock:
            with open(ledger, "a") as f:
                f.write(f"{h}\t{time.strftime('%H:%M:%S')}\t{cpu:.1f}\t{execs}\t{new}\t{nart}\t{rc}\n")
            busy.discard(h)
            if nart:
                stopped.add(h)
        print(f"{h}\tcpu_s={cpu:.0f}\texecs={execs}\tnew={new}\tartifacts={nart}\texit={rc}",
              flush=True)

    def worker():
        while True:
            while os.path.exists(os.path.join(work, "pause")):
                time.sleep(5)
            h = pick()
            if h is None:
                return
            chunk(h)

    ts = [threading.Thread(target=worker) for _ in range(a.jobs)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    tot = ledger_totals(ledger)
    for h in hs:
        print(f"total {h}\t{tot.get(h, 0.0) / 60:.1f} CPU min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
