"""--profile NAME|FILE: real samples checked against the built-in Azure profiles
and against profile files written here; a bad profile line is a usage error
naming FILE:LINE, an unknown profile name too."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

c = ikstest.Checks()
sdir = os.path.join(ikstest.SRCDIR, "samples")


def sample(name):
    return os.path.join(sdir, name + ".pcap")


def analyze(name, profile, extra=()):
    args = ["--json"] + list(extra)
    if profile is not None:
        args += ["--profile", profile]
    rc, out, err = ikstest.run(args + ["-r", sample(name)])
    fs = [r for r in ikstest.records(out) if r.get("type") == "finding"] if rc in (0, 4) else []
    return rc, fs, err


def mismatches(fs):
    return [f for f in fs if f["code"] == "profile-mismatch"]


def write(name, text):
    path = os.path.join(ikstest.tmpdir(), name)
    with open(path, "w") as f:
        f.write(text)
    return path


# An IKEv2 capture against the IKEv1-only policy-based gateway.
rc, fs, err = analyze("ikev2-success-aes-cbc", "azure-policy-based")
m = mismatches(fs)
c.eq("aes-cbc vs azure-policy-based: exit", rc, 0)
c.eq("aes-cbc vs azure-policy-based: one profile-mismatch",
     [(f["severity"], f["confidence"]) for f in m], [("error", "confirmed")])
if m:
    c.true("... names IKEv1 only (%s)" % m[0]["message"], "IKEv1 only" in m[0]["message"])
    c.true("... names the profile", "azure-policy-based" in m[0]["message"])
    c.true("... cites the offer (frame 1)", 1 in m[0]["frames"])
    c.eq("... is about this IKE SA", (m[0]["ike_version"], m[0]["initiator"], m[0]["responder"]),
         (2, "192.0.2.1", "198.51.100.1"))

# The route-based gateway speaks IKEv2 but only DH group 2: the chosen MODP_2048 is outside.
rc, fs, err = analyze("ikev2-success-aes-cbc", "azure-route-based")
m = mismatches(fs)
c.eq("aes-cbc vs azure-route-based: one confirmed profile-mismatch",
     [(f["severity"], f["confidence"]) for f in m], [("error", "confirmed")])
if m:
    c.true("... names the DH group chosen and the one accepted (%s)" % m[0]["message"],
           "MODP_2048" in m[0]["message"] and "MODP_1024" in m[0]["message"])
    c.true("... cites the offer and the choice", {1, 2} <= set(m[0]["frames"]))

# Without a choice, an IKEv2 offer that does not fit is 'likely' (only the first
# transform of each type per proposal is kept).
rc, fs, err = analyze("ikev2-ike-proposal-mismatch", "azure-route-based")
c.eq("ikev2-ike-proposal-mismatch vs azure-route-based: likely",
     [(f["severity"], f["confidence"]) for f in mismatches(fs)], [("error", "likely")])

# IKEv1 3DES/SHA1/MODP_1024/PSK is exactly what the policy-based gateway accepts...
rc, fs, err = analyze("ikev1-ike-proposal-mismatch", "azure-policy-based")
c.eq("ikev1 3DES/SHA/MODP_1024 vs azure-policy-based: no profile-mismatch", mismatches(fs), [])
# ... and IKEv1 is refused by the route-based one.
rc, fs, err = analyze("ikev1-ike-proposal-mismatch", "azure-route-based")
c.eq("ikev1 vs azure-route-based: confirmed profile-mismatch",
     [f["confidence"] for f in mismatches(fs)], ["confirmed"])
# AES-256/SHA2-256/MODP_2048 in IKEv1: hash and group outside the policy-based profile.
rc, fs, err = analyze("ikev1-main-success", "azure-policy-based")
m = mismatches(fs)
c.eq("ikev1-main-success vs azure-policy-based: one profile-mismatch", len(m), 1)
if m:
    c.true("... names the hash and the group (%s)" % m[0]["message"],
           "HMAC_SHA2_256_128" in m[0]["message"] and "MODP_2048" in m[0]["message"])

# A profile accepting exactly the capture's proposal: nothing to report, and the
# other findings are those of a run without --profile.
exact = write("exact.profile", """# accepts exactly what ikev2-success-aes-cbc negotiates
name lab-gateway
ike-version 2
encr AES_CBC_256
integ HMAC_SHA2_256_128
prf PRF_HMAC_SHA2_256
dh MODP_2048   # group 14
""")
rc, fs, err = analyze("ikev2-success-aes-cbc", exact)
_, plain, _ = analyze("ikev2-success-aes-cbc", None)
c.eq("exact custom profile: exit (%s)" % err.strip(), rc, 0)
c.eq("exact custom profile: no profile-mismatch", mismatches(fs), [])
c.eq("exact custom profile: other findings unchanged", fs, plain)

# The same in other tools' words (Azure policy names, group numbers), any case.
aliases = write("aliases.profile", "IKE-Version ikev2\nencr aes256 AES128\n"
                "integ SHA256\nprf sha256\ndh DHGroup14 ECP256\n")
rc, fs, err = analyze("ikev2-success-aes-cbc", aliases)
c.eq("alias profile: exit (%s)" % err.strip(), rc, 0)
c.eq("alias profile: no profile-mismatch", mismatches(fs), [])

v1 = write("v1.profile", "ike-version 1\nencr AES_CBC_256\ninteg SHA256\ndh 14\nauth psk\n")
rc, fs, err = analyze("ikev1-main-success", v1)
c.eq("IKEv1 custom profile: no profile-mismatch (%s)" % err.strip(), mismatches(fs), [])
rsa = write("rsa.profile", "ike-version 1\nauth rsa\n")
rc, fs, err = analyze("ikev1-main-success", rsa)
m = mismatches(fs)
c.eq("IKEv1 PSK offer vs a certificates-only profile: profile-mismatch", len(m), 1)
if m:
    c.true("... names the authentication method", "authentication psk" in m[0]["message"])
# A profile's name defaults to the file name.
key_only = write("keylen.profile", "encr AES_CBC_128\n")
rc, fs, err = analyze("ikev2-success-aes-cbc", key_only)
m = mismatches(fs)
c.eq("key length matters: AES_CBC_256 is not AES_CBC_128", len(m), 1)
if m:
    c.true("... the profile is named after its file", "keylen.profile" in m[0]["message"])

# --fail-on sees the finding; stdin input works with a profile.
rc, fs, err = analyze("ikev2-success-aes-cbc", "azure-policy-based", ["--fail-on", "error"])
c.eq("--fail-on error with a profile-mismatch: exit 4", rc, 4)
with open(sample("ikev2-success-aes-cbc"), "rb") as f:
    rc, out, err = ikstest.run(["--json", "--profile", "azure-policy-based", "-r", "-"],
                               stdin=f.read())
c.eq("stdin with a profile: one profile-mismatch",
     (rc, [r["code"] for r in ikstest.records(out) if r.get("code") == "profile-mismatch"]),
     (0, ["profile-mismatch"]))


# Usage errors: one line on stderr, exit 2, before any capture is read.
def usage_error(what, profile, want_in_err):
    rc, out, err = ikstest.run(["--profile", profile, "-r", sample("ikev2-success-aes-cbc")])
    lines = err.strip().splitlines()
    c.eq("%s: exit 2" % what, rc, 2)
    c.eq("%s: one line on stderr (%r)" % (what, err), len(lines), 1)
    c.true("%s: stderr says %r (%r)" % (what, want_in_err, err), want_in_err in err)
    c.eq("%s: nothing on stdout" % what, out, "")


bad = write("bad.profile", "# line 1\nike-version 2\nencr AES_CBC_256 ROT13\n")
usage_error("bad encryption name", bad, bad + ":3:")
usage_error("bad encryption name names the value", bad, "ROT13")
usage_error("unknown directive", write("dir.profile", "ike-version 1\n\ncolour blue\n"),
            "dir.profile:3:")
usage_error("bad IKE version", write("ver.profile", "ike-version 3\n"), "ver.profile:1:")
usage_error("directive without values", write("empty-dh.profile", "dh\n"), "empty-dh.profile:1:")
usage_error("profile stating nothing", write("nothing.profile", "# only comments\n\n"),
            "nothing.profile")
usage_error("unknown built-in name", "azure-everything", "azure-policy-based")
usage_error("missing profile file", os.path.join(ikstest.tmpdir(), "no-such.profile"),
            "no-such.profile")
rc, out, err = ikstest.run(["--profile"])
c.eq("--profile without a value: exit 2", rc, 2)
rc, out, err = ikstest.run(["--profile", ikstest.tmpdir(), "-r", sample("ikev2-success-aes-cbc")])
c.eq("a directory as profile: runtime error, exit 1 (%s)" % err.strip(), rc, 1)
rc, out, err = ikstest.run(["--help"])
c.true("--help mentions --profile", "--profile" in out)
c.finish()
