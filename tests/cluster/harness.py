"""Loopback clusters for the scale-out tests, scripts/cluster-up and the benchmark: three
nats-server processes (JetStream, R3) and shopwarden nodes started with --cluster, each on
free loopback ports, under one temporary folder."""
import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

BIN = os.environ.get("SW_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "shopwarden")
NATS = shutil.which("nats-server") or "/usr/sbin/nats-server"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n):
    """n distinct free ports: each socket stays bound until all are picked, so that the OS does
    not hand out one port twice."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Broker:
    """nats-server processes forming one JetStream cluster (or a single server)."""

    def __init__(self, root, n=3):
        self.root = root
        self.n = n
        self.ports, self.cports = self._pick()
        self.procs = [None] * n

    def _pick(self):
        ports = free_ports(2 * self.n)
        return ports[:self.n], ports[self.n:]

    def urls(self):
        return ",".join(f"nats://127.0.0.1:{p}" for p in self.ports)

    def start(self, i):
        d = os.path.join(self.root, f"nats{i}")
        os.makedirs(d, exist_ok=True)
        args = [NATS, "-js", "-sd", d, "-n", f"s{i}", "-a", "127.0.0.1", "-p",
                str(self.ports[i])]
        if len(self.ports) > 1:
            routes = ",".join(f"nats://127.0.0.1:{p}" for j, p in enumerate(self.cports) if j != i)
            args += ["--cluster_name", "sw", "--cluster", f"nats://127.0.0.1:{self.cports[i]}",
                     "--routes", routes]
        log = open(os.path.join(self.root, f"nats{i}.log"), "ab")
        self.procs[i] = subprocess.Popen(args, stdout=log, stderr=log)

    def _up(self, timeout):
        """Every server accepts connections within timeout; False at once when one has exited
        (its port was taken between picking and binding: another process may bind it first)."""
        deadline = time.time() + timeout
        for i, p in enumerate(self.ports):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", p), timeout=1).close()
                    break
                except OSError:
                    if self.procs[i].poll() is not None or time.time() >= deadline:
                        return False
                    time.sleep(0.1)
        time.sleep(0.3)  # a server that failed to bind its cluster port exits soon after
        return all(proc.poll() is None for proc in self.procs)

    def start_all(self):
        for attempt in range(3):
            for i in range(self.n):
                self.start(i)
            if self._up(30):
                return self
            self.stop()  # and again on fresh ports
            self.ports, self.cports = self._pick()
        raise AssertionError("nats-server did not start")

    def kill(self, i):
        if self.procs[i] and self.procs[i].poll() is None:
            self.procs[i].send_signal(signal.SIGKILL)
            self.procs[i].wait()

    def stop(self):
        for i, p in enumerate(self.procs):
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.kill(i)


class Node:
    """One shopwarden node of the cluster (its data folder holds node.db and p<N>.db)."""

    def __init__(self, root, node_id, urls, partitions, replicas=3, snapshot_every=2000,
                 threads=32, events_keep=None):
        self.id = node_id
        self.dir = os.path.join(root, node_id)
        self.urls = urls
        self.partitions = partitions
        self.replicas = replicas
        self.snapshot_every = snapshot_every
        self.threads = threads
        self.events_keep = events_keep
        self.proc = None
        self.base = None
        os.makedirs(self.dir, exist_ok=True)
        self.log = open(os.path.join(root, f"{node_id}.log"), "ab")

    def start(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--cluster", self.urls, "--node-id", self.id, "--data", self.dir,
             "--partitions", str(self.partitions), "--replicas", str(self.replicas),
             "--snapshot-every", str(self.snapshot_every), "--threads", str(self.threads),
             "--listen", "127.0.0.1:0", "--log-level", "warn"]
            + (["--events-keep", str(self.events_keep)] if self.events_keep else []),
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                self.log.flush()
                with open(self.log.name, encoding="utf-8", errors="replace") as f:
                    tail = f.read()[-3000:]
                raise AssertionError(f"node {self.id} exited ({self.proc.wait()}):\n{tail}")
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.base = m.group(1)
                return self
        raise AssertionError(f"node {self.id} did not start")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None


def make_keys(nodes, roles=("admin", "operator")):
    """API keys live in each node's node.db: made once with the CLI on the first node, then the
    database is copied to the others. Returns {role: key}."""
    db = os.path.join(nodes[0].dir, "node.db")
    keys = {}
    for role in roles:
        out = subprocess.run([BIN, "keys", "create", "--role", role, "--id", f"k-{role}",
                              "--db", db], capture_output=True, text=True, check=True).stdout
        keys[role] = out.split("key:")[1].split()[0]
    for n in nodes[1:]:
        src = sqlite3.connect(db)
        dst = sqlite3.connect(os.path.join(n.dir, "node.db"))
        src.backup(dst)
        dst.close()
        src.close()
    return keys


def metrics(base):
    """{(name, partition): value} of the cluster series of a node's /metrics."""
    import requests
    out = {}
    text = requests.get(base + "/metrics", timeout=10).text
    for m in re.finditer(r'^(sw_cluster_\w+)\{partition="(\d+)"\} (\d+)$', text, re.M):
        out[(m.group(1), int(m.group(2)))] = int(m.group(3))
    return out


def owners(nodes, partitions):
    """{partition: node} for the partitions some live node owns and has restored."""
    own = {}
    for n in nodes:
        if not n.alive():
            continue
        try:
            m = metrics(n.base)
        except Exception:  # a node being killed
            continue
        for p in range(partitions):
            if m.get(("sw_cluster_partition_owned", p)) == 1:
                own[p] = n
    return own


def settle(nodes, partitions, timeout=90):
    """Waits until every partition is owned by one live node and none has lag."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        own = owners(nodes, partitions)
        if len(own) == partitions:
            lag = 0
            for n in set(own.values()):
                m = metrics(n.base)
                lag += sum(v for (k, p), v in m.items()
                           if k == "sw_cluster_partition_lag" and own.get(p) is n)
            if lag == 0:
                return own
        time.sleep(0.5)
    raise AssertionError(f"the cluster did not settle: owned {sorted(owners(nodes, partitions))}")


@contextlib.contextmanager
def single_node():
    """A single-node server on a fresh database, for comparing modes: (base url, operator key,
    database path); the database stays until the block ends."""
    with tempfile.TemporaryDirectory(prefix="sw-single-") as tmp:
        db = os.path.join(tmp, "sw.db")
        key = subprocess.run([BIN, "keys", "create", "--role", "operator", "--id",
                              "k-operator", "--db", db], capture_output=True, text=True,
                             check=True).stdout.split("key:")[1].split()[0]
        p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0",
                              "--log-level", "warn"], stdout=subprocess.PIPE, text=True)
        try:
            base = None
            while not base:
                line = p.stdout.readline()
                assert line
                if "listening on" in line:
                    base = line.split("listening on ")[1].strip()
            yield base, key, db
        finally:
            p.terminate()
            p.wait()
