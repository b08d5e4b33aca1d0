"""Network namespaces, veth links and strongSwan daemons for the live tests.

Everything a Lab starts is stopped by PID and every namespace it adds is deleted
when the test ends, also on failure or a signal.  Names carry the ikl prefix and
the test's PID, so parallel tests never collide.
"""
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import ikstest  # noqa: E402

CHARON = "/usr/lib/ipsec/charon"
CHARON_LOAD = ("random nonce aes sha1 sha2 md5 hmac gcm pem pkcs1 pkcs8 x509 pubkey openssl "
               "gmp kdf curve25519 revocation constraints kernel-libipsec kernel-netlink "
               "socket-default vici")


def need_root():
    if os.geteuid() != 0:
        print("skip: the live tests need root (network namespaces, capture)")
        sys.exit(ikstest.SKIP)
    if shutil.which("ip") is None:
        print("skip: iproute2 is not installed")
        sys.exit(ikstest.SKIP)


def need_strongswan():
    if not os.access(CHARON, os.X_OK) or shutil.which("swanctl") is None:
        print("FAIL: strongSwan (charon, swanctl) is not installed (scripts/deps installs it)")
        sys.exit(1)


class Lab:
    def __init__(self, tag):
        self.pfx = "ikl%s%d" % (tag, os.getpid())
        self.netns = []
        self.procs = []
        self.work = tempfile.mkdtemp(prefix="ikescope-live-")
        os.chmod(self.work, 0o755)
        atexit.register(self.cleanup)
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, self._on_signal)

    def _on_signal(self, sig, frame):
        self.cleanup()
        sys.exit(128 + sig)

    def ns(self, name):
        return "%s%s" % (self.pfx, name)

    def sh(self, *args, check=True, timeout=30):
        p = subprocess.run(list(args), capture_output=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
        return p

    def add_ns(self, name):
        n = self.ns(name)
        self.sh("ip", "netns", "add", n)
        self.netns.append(n)
        self.sh("ip", "-n", n, "link", "set", "lo", "up")
        self.nsx(name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
        return n

    def nsx(self, name, *args, check=True, timeout=30):
        return self.sh("ip", "netns", "exec", self.ns(name), *args, check=check, timeout=timeout)

    def link(self, a, ifa, b, ifb):
        """A veth pair: ifa in namespace a, ifb in namespace b, both up."""
        self.sh("ip", "-n", self.ns(a), "link", "add", ifa, "type", "veth", "peer", "name", ifb,
                "netns", self.ns(b))
        self.sh("ip", "-n", self.ns(a), "link", "set", ifa, "up")
        self.sh("ip", "-n", self.ns(b), "link", "set", ifb, "up")

    def addr(self, name, ifname, cidr):
        self.sh("ip", "-n", self.ns(name), "addr", "add", cidr, "dev", ifname)

    def route(self, name, dest, via):
        self.sh("ip", "-n", self.ns(name), "route", "add", dest, "via", via)

    def popen(self, name, args, **kw):
        """A process in namespace name (None: here), remembered for cleanup."""
        cmd = list(args) if name is None else ["ip", "netns", "exec", self.ns(name)] + list(args)
        p = subprocess.Popen(cmd, **kw)
        self.procs.append(p)
        return p

    def ikescope(self, name, args, **kw):
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        return self.popen(name, [ikstest.IKESCOPE] + list(args), **kw)

    # ---- strongSwan: one config dir per node, charon with a private /run ----
    def charon(self, name, local, remote_conns, psk_secrets):
        """remote_conns: [(conn name, local id, remote addr, remote id, local ts, remote ts)];
        psk_secrets: [(id1, id2, secret)]."""
        d = os.path.join(self.work, name)
        os.makedirs(os.path.join(d, "swanctl"), exist_ok=True)
        with open(os.path.join(d, "strongswan.conf"), "w") as f:
            f.write("""charon {
  load = %s
  retransmit_timeout = 1.0
  retransmit_base = 1.4
  retransmit_tries = 2
  install_virtual_ip = no
  filelog { log { path = %s/charon.log
    default = 1
    ike = 2
    flush_line = yes } }
  plugins { vici { socket = unix://%s/charon.vici }
    kernel-libipsec { allow_peer_ts = no } }
}
""" % (CHARON_LOAD, d, d))
        conns = []
        for cname, lid, raddr, rid, lts, rts in remote_conns:
            conns.append("""  %s {
    version = 2
    local_addrs = %s
    remote_addrs = %s
    proposals = aes256-sha256-modp2048
    local { auth = psk
      id = %s }
    remote { auth = psk
      id = %s }
    children { net { local_ts = %s
        remote_ts = %s
        esp_proposals = aes128-sha256
        start_action = none } }
  }
""" % (cname, local, raddr, lid, rid, lts, rts))
        secrets = []
        for i, (a, b, s) in enumerate(psk_secrets):
            secrets.append('  ike-%d { id-1 = %s\n    id-2 = %s\n    secret = "%s" }\n'
                           % (i, a, b, s))
        with open(os.path.join(d, "swanctl", "swanctl.conf"), "w") as f:
            f.write("connections {\n%s}\nsecrets {\n%s}\n" % ("".join(conns), "".join(secrets)))
        env = dict(os.environ, STRONGSWAN_CONF=os.path.join(d, "strongswan.conf"))
        log = open(os.path.join(d, "charon.stdout"), "w")
        self.popen(name, ["sh", "-c", 'mount -t tmpfs tmpfs /run && exec "$0"', CHARON],
                   env=env, stdout=log, stderr=subprocess.STDOUT)
        sock = os.path.join(d, "charon.vici")
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("charon in %s did not start" % name)
        self.swanctl(name, "--load-all")

    def swanctl(self, name, *args, check=True, timeout=25):
        d = os.path.join(self.work, name)
        env = dict(os.environ, STRONGSWAN_CONF=os.path.join(d, "strongswan.conf"),
                   SWANCTL_DIR=os.path.join(d, "swanctl"))
        cmd = ["timeout", str(timeout), "ip", "netns", "exec", self.ns(name), "swanctl"] + \
            list(args) + ["--uri", "unix://%s/charon.vici" % d]
        p = subprocess.run(cmd, capture_output=True, env=env, timeout=timeout + 5)
        if check and p.returncode != 0:
            raise RuntimeError("swanctl %s in %s: %s" % (" ".join(args), name,
                                                          p.stderr.decode(errors="replace")))
        return p

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    p.terminate()
                except OSError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                p.kill()
                try:
                    p.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    pass
        self.procs = []
        for n in self.netns:
            subprocess.run(["ip", "netns", "del", n], capture_output=True)
        self.netns = []
        shutil.rmtree(self.work, ignore_errors=True)


class LineReader:
    """Reads a pipe line by line with a deadline (records arrival times)."""

    def __init__(self, f):
        self.f = f
        self.buf = b""
        self.lines = []  # (monotonic time, text)
        os.set_blocking(f.fileno(), False)

    def pump(self, timeout):
        import select
        r, _, _ = select.select([self.f], [], [], timeout)
        if not r:
            return False
        chunk = self.f.read()
        if not chunk:
            return None  # EOF
        self.buf += chunk
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self.lines.append((time.monotonic(), line.decode("utf-8", "replace")))
        return True

    def wait_for(self, pred, timeout):
        """Pumps until a line satisfies pred; returns (time, line) or None."""
        end = time.monotonic() + timeout
        seen = 0
        while True:
            for t, line in self.lines[seen:]:
                if pred(line):
                    return t, line
            seen = len(self.lines)
            left = end - time.monotonic()
            if left <= 0:
                return None
            if self.pump(min(left, 0.5)) is None:
                return None

    def drain(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.pump(min(0.5, end - time.monotonic())) is None:
                break
        return [line for _, line in self.lines]


INI1, INI2, RES = "192.0.2.1", "192.0.2.130", "198.51.100.1"


def two_tunnels(lab, good, bad):
    """Two IKEv2 initiators through a router to one responder; ini2 has the wrong PSK.

        ini1 (192.0.2.1)   --\\
                             [rtr] ethr --- (198.51.100.1) res
        ini2 (192.0.2.130) --/
    """
    for n in ("rtr", "ini1", "ini2", "res"):
        lab.add_ns(n)
    lab.link("ini1", "eth0", "rtr", "ethl1")
    lab.link("ini2", "eth0", "rtr", "ethl2")
    lab.link("res", "eth0", "rtr", "ethr")
    lab.addr("ini1", "eth0", "192.0.2.1/25")
    lab.addr("ini2", "eth0", "192.0.2.130/25")
    lab.addr("rtr", "ethl1", "192.0.2.126/25")
    lab.addr("rtr", "ethl2", "192.0.2.254/25")
    lab.addr("rtr", "ethr", "198.51.100.254/24")
    lab.addr("res", "eth0", "198.51.100.1/24")
    lab.route("ini1", "default", "192.0.2.126")
    lab.route("ini2", "default", "192.0.2.254")
    lab.route("res", "default", "198.51.100.254")
    lab.nsx("rtr", "sysctl", "-qw", "net.ipv4.ip_forward=1")
    lab.addr("ini1", "lo", "10.1.0.1/32")
    lab.addr("ini2", "lo", "10.3.0.1/32")
    lab.addr("res", "lo", "10.2.0.1/32")
    lab.charon("res", RES, [
        ("c1", "res.example.net", INI1, "ini1.example.net", "10.2.0.0/24", "10.1.0.0/24"),
        ("c2", "res.example.net", INI2, "ini2.example.net", "10.2.0.0/24", "10.3.0.0/24"),
    ], [("res.example.net", "ini1.example.net", good),
        ("res.example.net", "ini2.example.net", good)])
    lab.charon("ini1", INI1, [("s2s", "ini1.example.net", RES, "res.example.net",
                              "10.1.0.0/24", "10.2.0.0/24")],
               [("ini1.example.net", "res.example.net", good)])
    lab.charon("ini2", INI2, [("s2s", "ini2.example.net", RES, "res.example.net",
                              "10.3.0.0/24", "10.2.0.0/24")],
               [("ini2.example.net", "res.example.net", bad)])
