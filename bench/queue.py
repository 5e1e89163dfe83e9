"""The task-path benchmark: API + PostgreSQL + workers under HTTP load, all on this machine.

Usage (via scripts/bench queue, which builds release and starts a private PostgreSQL with default settings, fsync on):
  python bench/queue.py --qtq PATH --load PATH --pg-url URL --pg-dir DIR [--tasks 20000] [--rate 3000] [--duration 30]
                        [--workers 1,3] [--connections 32]

For each worker count it makes a fresh database and starts `qtq serve` and the workers, then measures:
  idle       one task at a time: submitted_at -> completed_at from the database (p50/p99)
  burst      N POSTs from `--connections` keep-alive clients as fast as they go (qtq-load), until all completed
  sustained  a fixed offered rate for `--duration` seconds: completions per second while submitting, backlog
Each phase reports POST latency, CPU seconds per 1,000 tasks of the API, the workers, PostgreSQL and the load
generator (from /proc), and commits per task (pg_stat_database.xact_commit). Prints ONE JSON document on stdout
(progress on stderr) and keeps a copy in .bench/queue-<time>.json.
"""

import argparse
import datetime
import http.client
import json
import os
import pathlib
import platform
import socket
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BELL = ('OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;')
BODY = json.dumps({"qc": BELL, "shots": 1024})

# The reference FastAPI + RabbitMQ + Aer system and qtq before this work, from the issue (same machine kind).
REFERENCE = {
    "reference_system": {"burst_tasks_per_second": 59, "sustained_completions_per_second": 54,
                         "post_p50_ms": 309, "post_p99_ms": 817, "idle_p50_ms": 19.8},
    "qtq_before": {"burst_tasks_per_second": 306, "sustained_completions_per_second": 240,
                   "post_p50_ms": 67, "post_p99_ms": 116, "idle_p50_ms": 5.2},
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def psql(url, sql):
    done = subprocess.run(["psql", url, "-XAtqc", sql], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of a process, and of its waited-for children (PostgreSQL backends that exited)."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime + cutime + cstime) / CLOCK_TICKS


def children_of(pid):
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


class CPUMeter:
    """CPU seconds of the API, the workers and the whole PostgreSQL cluster (postmaster + backends)."""

    def __init__(self, api, workers, postmaster):
        self.api, self.workers, self.postmaster = api, workers, postmaster

    def read(self):
        postgres = cpu_seconds(self.postmaster) + sum(cpu_seconds(child) for child in children_of(self.postmaster))
        return {"api": cpu_seconds(self.api.pid), "workers": sum(cpu_seconds(w.pid) for w in self.workers),
                "postgres": postgres}


def commits(url, database):
    return int(psql(url, f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{database}'"))


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def http_json(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data) if data else None


def percentiles(values):
    values = sorted(values)
    if not values:
        return {}
    pick = lambda p: values[min(len(values) - 1, max(0, int(p * len(values) + 0.999999) - 1))]
    return {"p50": round(pick(0.5), 3), "p95": round(pick(0.95), 3), "p99": round(pick(0.99), 3),
            "max": round(values[-1], 3)}


class System:
    """A fresh database with the API and `workers` worker processes running against it."""

    def __init__(self, args, workers):
        self.args = args
        self.database = f"bench_{workers}w_{int(time.time())}"
        psql(args.pg_url, f"CREATE DATABASE {self.database}")
        self.url = args.pg_url.rsplit("/", 1)[0] + "/" + self.database
        log_dir = BENCH_DIR / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, DATABASE_URL=self.url, QTQ_MIGRATIONS_DIR=str(ROOT / "sql"),
                   QTQ_LOG_LEVEL=args.log_level)
        subprocess.run([args.qtq, "migrate"], env=env, check=True, capture_output=True)
        self.port = free_port()
        self.api = subprocess.Popen([args.qtq, "serve"], env=dict(env, QTQ_HOST="127.0.0.1", QTQ_PORT=str(self.port)),
                                    stdout=open(log_dir / f"{self.database}-api.log", "w"), stderr=subprocess.STDOUT)
        self.workers = [
            subprocess.Popen([args.qtq, "work"], env=dict(env, QTQ_WORKER_ID=f"bench-{n}"),
                             stdout=open(log_dir / f"{self.database}-worker-{n}.log", "w"), stderr=subprocess.STDOUT)
            for n in range(1, workers + 1)
        ]
        wait_until(self.healthy, 60, "the API")
        wait_until(lambda: int(psql(self.url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                              "AND query ILIKE 'LISTEN%qtq_tasks%'")) >= workers, 60, "the workers")
        self.meter = CPUMeter(self.api, self.workers, args.postmaster)

    def healthy(self):
        try:
            return http_json(self.port, "GET", "/health")[0] == 200
        except OSError:
            return False

    def stop(self):
        for process in [self.api, *self.workers]:
            process.terminate()
        for process in [self.api, *self.workers]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def finished_count(self):
        return int(psql(self.url, "SELECT count(*) FROM tasks WHERE current_status IN ('completed', 'failed')"))

    def measured(self, phase, run):
        """Runs `run()` (which returns (tasks, extra dict)) and adds CPU and commit figures per 1,000 tasks."""
        before_cpu, before_commits = self.meter.read(), commits(self.args.pg_url, self.database)
        tasks, result, load_cpu = run()
        after_cpu, after_commits = self.meter.read(), commits(self.args.pg_url, self.database)
        per_thousand = {name: round((after_cpu[name] - before_cpu[name]) * 1000 / max(tasks, 1), 3) for name in after_cpu}
        if load_cpu is not None:
            per_thousand["load_generator"] = round(load_cpu * 1000 / max(tasks, 1), 3)
        result["cpu_seconds_per_1000_tasks"] = per_thousand
        result["commits_per_task"] = round((after_commits - before_commits) / max(tasks, 1), 3)
        log(f"  {phase}: {json.dumps(result)}")
        return result


def run_load(args, port, extra):
    before = os.times()
    done = subprocess.run([args.load, "--port", str(port), "--connections", str(args.connections), "--body", BODY, *extra],
                          capture_output=True, text=True, check=True)
    after = os.times()
    load_cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return json.loads(done.stdout.strip().splitlines()[-1]), load_cpu


def idle(system, count):
    def run():
        ids = []
        for _ in range(count):
            status, body = http_json(system.port, "POST", "/tasks", BODY)
            assert status == 202, body
            task = body["task_id"]
            ids.append(task)
            wait_until(lambda: psql(system.url, f"SELECT current_status FROM tasks WHERE task_id = '{task}'")
                       in ("completed", "failed"), 30, "an idle task")
        rows = psql(system.url, "SELECT extract(epoch FROM completed_at - submitted_at) * 1000 FROM tasks "
                                f"WHERE task_id IN ({','.join(repr(i) for i in ids)})")
        latencies = [float(line) for line in rows.splitlines()]
        return count, {"tasks": count, "submitted_to_completed_ms": percentiles(latencies)}, None
    return system.measured("idle", run)


def burst(system, args):
    def run():
        start_finished = system.finished_count()
        load, load_cpu = run_load(args, system.port, ["--requests", str(args.tasks)])
        accepted = load["statuses"].get("202", 0)
        wait_until(lambda: system.finished_count() - start_finished >= accepted, 600, "the burst to complete")
        last = float(psql(system.url, "SELECT extract(epoch FROM max(completed_at)) FROM tasks"))
        delays = psql(system.url, "SELECT extract(epoch FROM completed_at - submitted_at) * 1000 FROM tasks "
                                  f"WHERE submitted_at >= to_timestamp({load['first_send_epoch']})")
        wall = last - load["first_send_epoch"]
        return accepted, {
            "tasks": accepted, "statuses": load["statuses"], "connections": args.connections,
            "end_to_end_tasks_per_second": round(accepted / wall, 1), "end_to_end_seconds": round(wall, 3),
            "post_accepts_per_second": round(load["answers_per_second"], 1), "post_latency_ms": load["latency_ms"],
            "submitted_to_completed_ms": percentiles([float(x) for x in delays.splitlines()]),
        }, load_cpu
    return system.measured("burst", run)


def sustained(system, args):
    def run():
        start_finished = system.finished_count()
        load, load_cpu = run_load(args, system.port, ["--rate", str(args.rate), "--duration", str(args.duration)])
        start, end = load["first_send_epoch"], load["last_answer_epoch"]
        window = psql(system.url, "SELECT count(*) FROM tasks WHERE completed_at BETWEEN "
                                  f"to_timestamp({start}) AND to_timestamp({end})")
        backlog = int(psql(system.url, "SELECT count(*) FROM tasks WHERE current_status IN ('pending', 'processing')"))
        accepted = load["statuses"].get("202", 0)
        wait_until(lambda: system.finished_count() - start_finished >= accepted, 600, "the sustained run to drain")
        delays = psql(system.url, "SELECT extract(epoch FROM completed_at - submitted_at) * 1000 FROM tasks "
                                  f"WHERE submitted_at >= to_timestamp({start})")
        return accepted, {
            "offered_rate": args.rate, "seconds": args.duration, "tasks": accepted, "statuses": load["statuses"],
            "post_accepts_per_second": round(load["answers_per_second"], 1),
            "completions_per_second_while_submitting": round(int(window) / (end - start), 1),
            "backlog_at_end": backlog, "post_latency_ms": load["latency_ms"],
            "submitted_to_completed_ms": percentiles([float(x) for x in delays.splitlines()]),
        }, load_cpu
    return system.measured("sustained", run)


def fsync_rate(pg_dir):
    """pg_test_fsync's best one-8kB-write-and-sync rate on the cluster's disk: the physical limit of commits/s."""
    binary = subprocess.run(["bash", "-c", "ls /usr/lib/postgresql/*/bin/pg_test_fsync 2>/dev/null | sort -V | tail -1"],
                            capture_output=True, text=True).stdout.strip() or "pg_test_fsync"
    try:
        out = subprocess.run([binary, "-s", "2", "-f", str(pathlib.Path(pg_dir) / "fsync_test.tmp")],
                             capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"error": str(error)}
    rates = {}
    section = ""
    for line in out.splitlines():
        if line.strip().startswith("Compare file sync methods using one 8kB write"):
            section = "one_8kB_write"
        elif line.strip().startswith("Compare file sync methods using two"):
            section = ""
        elif section and "ops/sec" in line:
            name = line.split()[0]
            rates[name] = float(line.split("ops/sec")[0].split()[-1])
    return {"one_8kB_write_ops_per_second": rates, "best": max(rates.values()) if rates else None}


def cpu_flags():
    try:
        text = pathlib.Path("/proc/cpuinfo").read_text()
    except OSError:
        return {}
    model = next((l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("model name")), platform.processor())
    flags = next((l.split(":", 1)[1].split() for l in text.splitlines() if l.startswith("flags")), [])
    return {"model": model, "simd": [f for f in ("avx2", "fma", "avx512f", "avx512dq", "avx512vl") if f in flags]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qtq", required=True)
    parser.add_argument("--load", required=True)
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--pg-dir", required=True)
    parser.add_argument("--postmaster", type=int, required=True)
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=3000)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--idle-tasks", type=int, default=200)
    parser.add_argument("--workers", default="1,3")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args()

    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "cpu": cpu_flags(), "kernel": platform.release()},
        "postgres": {"version": psql(args.pg_url, "SHOW server_version"), "fsync": psql(args.pg_url, "SHOW fsync"),
                     "synchronous_commit": psql(args.pg_url, "SHOW synchronous_commit")},
        "settings": {"circuit": "bell", "shots": 1024, "connections": args.connections, "burst_tasks": args.tasks,
                     "sustained_rate": args.rate, "sustained_seconds": args.duration, "log_level": args.log_level},
        "reference": REFERENCE,
        "runs": {},
    }
    log("measuring the disk's fsync rate (pg_test_fsync)...")
    report["disk_fsync"] = fsync_rate(args.pg_dir)
    for workers in [int(w) for w in args.workers.split(",")]:
        log(f"{workers} worker(s):")
        system = System(args, workers)
        try:
            report["runs"][f"{workers}_workers"] = {
                "idle": idle(system, args.idle_tasks),
                "burst": burst(system, args),
                "sustained": sustained(system, args),
            }
        finally:
            system.stop()
    BENCH_DIR.mkdir(exist_ok=True)
    text = json.dumps(report, indent=2)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (BENCH_DIR / f"queue-{stamp}.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
