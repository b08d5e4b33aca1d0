#!/usr/bin/python3
"""Checks ikescope against a generated capture's ground truth (bench/gen).

usage: check.py IKESCOPE PREFIX [--quiet]

Runs `ikescope --json -r` on PREFIX.pcap and PREFIX.pcapng, requires the two
outputs to be identical, then compares the summary and the esp_sa records with
PREFIX.truth.json: packets, IKE packets, ESP packets, ESP bytes (summed over
the esp_sa records: the ESP header onward, as track/esp_sa.c counts them), ESP
SAs, IKE SAs, sequence gaps, replays, IKE fragments reassembled, IP fragments
and reassembled datagrams, malformed.  Exit 0 when all agree, 1 otherwise.
"""
import json
import subprocess
import sys


def run(ikescope, path):
    out = subprocess.run([ikescope, "--json", "-r", path], check=True,
                         stdout=subprocess.PIPE, timeout=3600).stdout
    return out


def measured(out):
    recs = [json.loads(line) for line in out.decode().splitlines()]
    summ = [r for r in recs if r["type"] == "summary"][-1]
    esp = [r for r in recs if r["type"] == "esp_sa"]
    return {
        "packets": summ["packets"],
        "ike_packets": summ["ike_packets"],
        "esp_packets": summ["esp_packets"],
        "esp_bytes": sum(r["bytes"] for r in esp),
        "esp_sas": summ["esp_sas"],
        "ike_sas": summ["ike_sas"],
        "seq_gaps": sum(r["seq_gaps"] for r in esp),
        "replays": sum(r["replays"] for r in esp),
        "ike_frag_complete": summ["ike_fragments"]["complete"],
        "ip_fragments": summ["ip_fragments"]["fragments"],
        "ip_reassembled": summ["ip_fragments"]["complete"],
        "malformed": summ["malformed"],
        "esp_packets_in_sa_records": sum(r["packets"] for r in esp),
        "esp_sa_records": len(esp),
    }


def main():
    ikescope, prefix = sys.argv[1], sys.argv[2]
    quiet = "--quiet" in sys.argv[3:]
    with open(prefix + ".truth.json") as f:
        truth = json.load(f)
    a = run(ikescope, prefix + ".pcap")
    b = run(ikescope, prefix + ".pcapng")
    ok = True
    if a != b:
        print("FAIL: the pcap and pcapng copies give different output")
        ok = False
    m = measured(a)
    want = {k: truth[k] for k in ("packets", "ike_packets", "esp_packets", "esp_bytes",
                                  "esp_sas", "ike_sas", "seq_gaps", "replays",
                                  "ike_frag_complete", "ip_fragments", "ip_reassembled",
                                  "malformed")}
    want["esp_packets_in_sa_records"] = truth["esp_packets"]
    want["esp_sa_records"] = truth["esp_sas"]
    for k, v in want.items():
        good = m[k] == v
        ok = ok and good
        if not quiet or not good:
            print("%-26s truth %12d  ikescope %12d  %s" % (k, v, m[k], "ok" if good else "DIFFERENT"))
    print("pcap == pcapng: %s; ground truth: %s" % ("yes" if a == b else "NO",
                                                   "equal" if ok else "DIFFERENT"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
