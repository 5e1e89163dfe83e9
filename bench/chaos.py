"""The chaos suite (issue 9): load plus faults, then a drain and checks in the database.

Usage (via scripts/chaos, which builds release, starts a private PostgreSQL and runs the migrations):
  python bench/chaos.py --qtq PATH --pg-url URL --pg-dir DIR --pg-port PORT --log-dir DIR
                        [--short] [--duration 60] [--clients 4] [--rate 30] [--seed N]

Starts `qtq serve` and 3 workers (QTQ_LEASE_SECONDS=5, worker ids chaos-w<slot>-<start#>). Client threads submit
Bell (fast), ~20 ms and ~1 s circuits, each with its own Idempotency-Key, retrying 5xx answers and dropped
connections with the same key and body, and remember every task id answered 202 or 200. Meanwhile the injector
SIGKILLs workers and the API (and restarts them), crashes PostgreSQL (pg_ctl stop -m immediate, then start) and
keeps it down longer than the lease. Then it drains and checks: every accepted task stored and finished exactly
once, every result well formed, and no task failed unless each of its attempts' workers was SIGKILLed while
holding it. Prints ONE JSON document (progress on stderr), copies it to the log folder, exits 1 if a check fails.
"""

import argparse
import collections
import datetime
import http.client
import json
import os
import pathlib
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
LEASE_SECONDS = 5
WORKER_SLOTS = (1, 2, 3)
BELL = 'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;'


def layered(layers):
    """20 qubits, `layers` layers of rx/cx/rz: the cost grows linearly with `layers`."""
    return ('OPENQASM 3.0; include "stdgates.inc"; qubit[20] q; bit[20] c; '
            f'for int layer in [1:{layers}] {{ for int i in [0:18] {{ rx(0.1 * layer) q[i]; cx q[i], q[i + 1]; '
            'rz(0.2 * i) q[i + 1]; } } c = measure q;')


def log(message):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def psql(url, sql):
    done = subprocess.run(["psql", url, "-XAtqc", sql], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def json_rows(url, sql):
    return [json.loads(line) for line in psql(url, sql).splitlines() if line]


def calibrate(qtq, folder):
    """Layers for a ~20 ms and a ~1 s circuit, from the wall time of `qtq run` at 1 and 41 layers."""
    def wall(layers):
        path = folder / f"calibrate-{layers}.qasm"
        path.write_text(layered(layers))
        best = float("inf")
        for _ in range(2):
            start = time.monotonic()
            subprocess.run([qtq, "run", str(path), "--shots", "10"], check=True, capture_output=True)
            best = min(best, time.monotonic() - start)
        return best
    per_layer = max((wall(41) - wall(1)) / 40, 1e-5)
    return max(1, round(0.02 / per_layer)), max(2, round(1.0 / per_layer)), per_layer


class Fleet:
    """The API and the workers. Every SIGKILL and (re)start is timestamped; a process that dies on its own is
    recorded and restarted by `reap` (that is a finding too)."""

    def __init__(self, args, env):
        self.args, self.env = args, env
        self.lock = threading.Lock()
        self.api, self.api_starts = None, 0
        self.workers, self.starts = {}, collections.Counter()  # slot -> (worker id, Popen); slot -> starts
        self.killed = {}  # worker id -> epoch of its SIGKILL
        self.events = collections.defaultdict(list)

    def _spawn(self, command, name, extra):
        out = open(self.args.log_dir / f"{name}.log", "ab")
        return subprocess.Popen([self.args.qtq, command], env=dict(self.env, **extra), stdout=out,
                                stderr=subprocess.STDOUT)

    def start_api(self):
        self.api = self._spawn("serve", f"api-{self.api_starts}", {})
        self.api_starts += 1

    def start_worker(self, slot):
        worker_id = f"chaos-w{slot}-{self.starts[slot]}"
        self.starts[slot] += 1
        self.workers[slot] = (worker_id, self._spawn("work", worker_id, {"QTQ_WORKER_ID": worker_id,
                                                                         "QTQ_LEASE_SECONDS": str(LEASE_SECONDS)}))

    def kill_worker(self, slot, at):
        with self.lock:
            worker_id, process = self.workers.pop(slot)
            process.send_signal(signal.SIGKILL)
            process.wait()
            self.killed[worker_id] = time.time()
        self.events["worker_kills"].append({"at": at(), "worker_id": worker_id, "pid": process.pid})
        time.sleep(0.5)
        with self.lock:
            self.start_worker(slot)

    def kill_api(self, at):
        with self.lock:
            process, self.api = self.api, None
            process.send_signal(signal.SIGKILL)
            process.wait()
        self.events["api_kills"].append({"at": at(), "pid": process.pid})
        time.sleep(0.5)
        with self.lock:
            self.start_api()

    def reap(self, at):
        with self.lock:
            if self.api is not None and self.api.poll() is not None:
                self.events["unexpected_exits"].append({"at": at(), "process": "api", "exit": self.api.returncode})
                self.start_api()
            for slot, (worker_id, process) in list(self.workers.items()):
                if process.poll() is not None:
                    self.events["unexpected_exits"].append({"at": at(), "process": worker_id, "exit": process.returncode})
                    self.start_worker(slot)

    def stop(self):
        with self.lock:
            processes = [p for p in [self.api, *(p for _, p in self.workers.values())] if p is not None]
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


class Clients:
    """Threads submitting a mix of circuits at a fixed overall rate, each submission retried with its own
    Idempotency-Key until it is answered 202/200 (or `give_up` seconds pass)."""

    def __init__(self, args, circuits):
        self.args, self.circuits = args, circuits
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.accepted = {}  # task id -> {"kind", "key", "status"}
        self.statuses, self.kinds, self.slowest = collections.Counter(), collections.Counter(), {}
        self.connection_errors, self.retried, self.unanswered, self.anomalies = collections.Counter(), 0, [], []

    def run(self, number):
        rng = random.Random(self.args.seed * 100 + number)
        interval = self.args.clients / self.args.rate
        connection, next_at = None, time.monotonic() + rng.random() * interval
        while not self.stop.is_set():
            kind = rng.choices(["fast", "medium", "slow"], weights=[80, 18, 2])[0]
            qc, shots = self.circuits[kind]
            key = f"chaos-{kind}-{uuid.uuid4()}"
            body = json.dumps({"qc": qc, "shots": shots})
            give_up, tries = time.monotonic() + self.args.give_up, 0
            while True:
                tries += 1
                status, sent = None, time.monotonic()
                try:
                    connection = connection or http.client.HTTPConnection("127.0.0.1", self.args.api_port, timeout=10)
                    connection.request("POST", "/tasks", body=body, headers={"Content-Type": "application/json",
                                                                             "Idempotency-Key": key})
                    response = connection.getresponse()
                    data, status = response.read(), response.status
                except (OSError, http.client.HTTPException) as error:
                    failure = type(error).__name__
                    if connection is not None:
                        connection.close()
                    connection = None
                with self.lock:
                    outcome = failure if status is None else str(status)
                    self.slowest[outcome] = round(max(self.slowest.get(outcome, 0), time.monotonic() - sent), 3)
                    if status is None:
                        self.connection_errors[failure] += 1
                    else:
                        self.statuses[str(status)] += 1
                    if status in (200, 202):
                        self.accepted[json.loads(data)["task_id"]] = {"kind": kind, "key": key, "status": status}
                        self.kinds[kind] += 1
                        self.retried += tries > 1
                        break
                    if status not in (None, 500, 502, 503, 504):
                        self.anomalies.append({"key": key, "status": status, "body": data.decode(errors="replace")[:300]})
                        break
                    if time.monotonic() > give_up:
                        self.unanswered.append(key)
                        break
                time.sleep(0.25)
            next_at = max(next_at + interval, time.monotonic() - interval)
            self.stop.wait(max(0.0, next_at - time.monotonic()))


def healthy(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False


def postgres(args, action, mode="immediate"):
    """Stops (pg_ctl stop -m MODE) or starts the private cluster with scripts/lib/pg.sh."""
    script = ("source scripts/lib/pg.sh; pg_require_server; "
              + ('stop_private_pg "$1"' if action == "stop" else 'start_private_pg "$1" "$2"'))
    subprocess.run(["bash", "-c", script, "pg", str(args.pg_dir), str(args.pg_port)], cwd=ROOT, check=True,
                   env=dict(os.environ, PG_STOP_MODE=mode), stdout=sys.stderr)


def postmaster_pid(args):
    try:
        return int((args.pg_dir / "data" / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, IndexError, ValueError):
        return None


def injection_plan(args):
    """Seconds after the load starts at which each fault is injected."""
    d = args.duration
    if args.short:
        return {"worker_kills": [5.0], "api_kills": [9.0], "postgres_crashes": [13.0], "postgres_outages": []}
    kills = [4.0 + i * args.kill_every for i in range(int((d - 7) // args.kill_every) + 1)]
    return {"worker_kills": kills, "api_kills": [round(0.2 * d, 1), round(0.8 * d, 1)],
            "postgres_crashes": [round(0.3 * d, 1)], "postgres_outages": [round(0.5 * d, 1)]}


def inject(args, fleet, plan, t0):
    """One thread per kind of fault (an outage must not hold back the worker kills); returns the threads."""
    at = lambda: round(time.time() - t0, 2)
    rng = random.Random(args.seed)

    def crash():
        before = postmaster_pid(args)
        postgres(args, "stop", "immediate")
        down = time.time()
        postgres(args, "start")
        fleet.events["postgres_crashes"].append({"at": round(down - t0, 2), "down_seconds": round(time.time() - down, 2),
                                                 "postmaster_before": before, "postmaster_after": postmaster_pid(args)})

    def outage():
        postgres(args, "stop", "fast")
        down = time.time()
        time.sleep(args.outage)
        postgres(args, "start")
        fleet.events["postgres_outages"].append({"at": round(down - t0, 2), "down_seconds": round(time.time() - down, 2)})

    actions = {"worker_kills": lambda: fleet.kill_worker(rng.choice(WORKER_SLOTS), at),
               "api_kills": lambda: fleet.kill_api(at), "postgres_crashes": crash, "postgres_outages": outage}

    def track(name):
        for when in plan[name]:
            time.sleep(max(0.0, t0 + when - time.time()))
            log(f"t={at():.1f}s {name.replace('_', ' ')} #{plan[name].index(when) + 1}")
            actions[name]()

    threads = [threading.Thread(target=track, args=(name,), daemon=True) for name in plan]
    for thread in threads:
        thread.start()
    return threads


def check_result(task, kind):
    """A completed result: counts sum to shots, keys are bit strings of the circuit's width (Bell: 00 or 11)."""
    result = task.get("result") or {}
    counts = result.get("counts") or {}
    width = 2 if kind == "fast" else 20
    return (result.get("success") is True and result.get("shots") == task["shots"]
            and sum(counts.values()) == task["shots"]
            and all(len(k) == width and set(k) <= {"0", "1"} for k in counts)
            and (kind != "fast" or set(counts) <= {"00", "11"}))


def checks(args, clients, fleet, t0):
    tasks = {t["id"]: t for t in json_rows(args.pg_url, (
        "SELECT json_build_object('id', task_id, 'status', current_status, 'shots', shots, 'result', result, "
        "'error', error_detail, 'message', error_message, 'key', idempotency_key, 'attempts', attempts) FROM tasks"))}
    history = collections.defaultdict(list)
    for row in json_rows(args.pg_url, (
            "SELECT json_build_object('task', task_id, 'status', status, 'epoch', extract(epoch FROM transitioned_at), "
            "'worker', worker_id, 'notes', notes) FROM status_history ORDER BY task_id, transitioned_at, id")):
        history[row["task"]].append(row)
    kind_of = lambda task_id: tasks[task_id]["key"].split("-")[1] if (tasks[task_id]["key"] or "").startswith("chaos-") else "?"

    def died_holding(rows, i):
        """Processing row i's worker was SIGKILLed after that claim and before the task's next transition."""
        killed = fleet.killed.get(rows[i]["worker"])
        end = rows[i + 1]["epoch"] if i + 1 < len(rows) else float("inf")
        return killed is not None and rows[i]["epoch"] - 0.5 <= killed <= end + 0.5

    def innocent_failure(task_id):
        rows = history[task_id]
        if (tasks[task_id]["error"] or {}).get("type") != "lease_expired":
            return True  # every circuit submitted is valid: only dead workers may fail a task
        return not all(died_holding(rows, i) for i, r in enumerate(rows) if r["status"] == "processing")

    accepted = clients.accepted
    found = {
        "accepted_missing": [t for t in accepted if t not in tasks],
        "accepted_key_mismatch": [t for t in accepted if t in tasks and tasks[t]["key"] != accepted[t]["key"]],
        "accepted_not_finished": [t for t in accepted if t in tasks and tasks[t]["status"] not in ("completed", "failed")],
        "more_than_one_final_history_row": [t for t, rows in history.items()
                                            if sum(r["status"] in ("completed", "failed") for r in rows) > 1],
        "bad_results": [t for t, task in tasks.items() if task["status"] == "completed" and not check_result(task, kind_of(t))],
        "failed_without_a_killed_worker": [t for t, task in tasks.items() if task["status"] == "failed" and innocent_failure(t)],
    }

    def evidence(task_id):
        task = tasks.get(task_id, {})
        return {"task_id": task_id, "kind": accepted.get(task_id, {}).get("kind") or (kind_of(task_id) if task else None),
                "status": task.get("status"), "attempts": task.get("attempts"), "error": task.get("message"),
                "result": task.get("result") if task_id in found["bad_results"] else None,
                "history": [{"at": round(r["epoch"] - t0, 3), "status": r["status"], "worker": r["worker"], "notes": r["notes"],
                             "worker_killed_at": round(fleet.killed[r["worker"]] - t0, 3) if r["worker"] in fleet.killed else None}
                            for r in history.get(task_id, [])]}

    # An attempt requeued although its worker was not killed: wasted work (a live worker lost its lease).
    requeues = [(t, i) for t, rows in history.items() for i, r in enumerate(rows)
                if r["status"] == "pending" and i > 0 and rows[i - 1]["status"] == "processing"]
    requeued_alive = sorted({t for t, i in requeues if history[t][i]["notes"].startswith("lease expired")
                             and not died_holding(history[t], i - 1)})
    totals = {
        "accepted": len(accepted), "accepted_by_kind": dict(clients.kinds),
        "answered_202": sum(a["status"] == 202 for a in accepted.values()),
        "answered_200_replayed": sum(a["status"] == 200 for a in accepted.values()),
        "submissions_retried": clients.retried, "http_statuses": dict(clients.statuses),
        "connection_errors": dict(clients.connection_errors), "slowest_answer_seconds": clients.slowest, "unanswered_after_retries": len(clients.unanswered),
        "unexpected_answers": clients.anomalies[:5],
        "tasks_in_database": len(tasks),
        "stored_but_never_acknowledged": sum(1 for t in tasks if t not in accepted),
        "by_status": dict(collections.Counter(t["status"] for t in tasks.values())),
        "attempts": dict(sorted(collections.Counter(str(t["attempts"]) for t in tasks.values()).items())),
        "requeued_attempts": len(requeues),
        "requeue_notes": dict(collections.Counter(history[t][i]["notes"] for t, i in requeues)),
    }
    warnings = {"tasks_requeued_although_their_worker_was_not_killed": len(requeued_alive),
                "examples": [evidence(t) for t in requeued_alive[:5]]}
    with open(args.log_dir / "tasks.jsonl", "w") as out:
        out.writelines(json.dumps(dict(t, history=history[t["id"]])) + "\n" for t in tasks.values())
    return ({name: len(ids) for name, ids in found.items()},
            {name: [evidence(t) for t in ids[:5]] for name, ids in found.items() if ids}, totals, warnings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qtq", required=True)
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--pg-dir", required=True, type=pathlib.Path)
    parser.add_argument("--pg-port", required=True, type=int)
    parser.add_argument("--log-dir", required=True, type=pathlib.Path)
    parser.add_argument("--short", action="store_true", help="~25 s: one worker kill, one API kill, one PostgreSQL crash")
    parser.add_argument("--duration", type=float, help="seconds of load and faults (default 60, --short 25)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rate", type=float, default=30, help="submissions per second, all clients together")
    parser.add_argument("--kill-every", type=float, default=6, help="seconds between worker kills")
    parser.add_argument("--outage", type=float, default=12, help="seconds PostgreSQL stays down (> the 5 s lease)")
    parser.add_argument("--give-up", type=float, default=60, help="seconds a client retries one submission")
    parser.add_argument("--drain", type=float, default=180, help="seconds allowed for the queue to empty")
    parser.add_argument("--layers", help="MEDIUM,SLOW layers of the 20-qubit circuit (default: calibrated)")
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = parser.parse_args()
    args.duration = args.duration or (25 if args.short else 60)
    args.log_dir.mkdir(parents=True, exist_ok=True)

    if args.layers:
        medium, slow = (int(x) for x in args.layers.split(","))
        per_layer = None
    else:
        medium, slow, per_layer = calibrate(args.qtq, args.log_dir)
    circuits = {"fast": (BELL, 100), "medium": (layered(medium), 64), "slow": (layered(slow), 16)}
    log(f"circuits: medium {medium} layers, slow {slow} layers (seed {args.seed}); logs in {args.log_dir}")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        args.api_port = s.getsockname()[1]
    env = dict(os.environ, DATABASE_URL=args.pg_url, QTQ_HOST="127.0.0.1", QTQ_PORT=str(args.api_port))
    fleet = Fleet(args, env)
    clients = Clients(args, circuits)
    plan = injection_plan(args)
    with fleet.lock:
        fleet.start_api()
        for slot in WORKER_SLOTS:
            fleet.start_worker(slot)
    t0 = time.time()
    try:
        deadline = time.monotonic() + 60
        while not (healthy(args.api_port) and int(psql(args.pg_url, "SELECT count(*) FROM pg_stat_activity "
                                                     "WHERE query ILIKE 'LISTEN%qtq_tasks%'")) >= len(WORKER_SLOTS)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the API and workers were not up within 60 s (see {args.log_dir})")
            time.sleep(0.2)

        log(f"load for {args.duration:.0f} s at {args.rate}/s with {args.clients} clients; plan {json.dumps(plan)}")
        t0 = time.time()
        at = lambda: round(time.time() - t0, 2)
        threads = [threading.Thread(target=clients.run, args=(n,), daemon=True) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        injectors = inject(args, fleet, plan, t0)
        while time.time() - t0 < args.duration or any(t.is_alive() for t in injectors):
            fleet.reap(at)
            time.sleep(0.5)
        clients.stop.set()
        for thread in threads:
            thread.join()

        log(f"t={at():.1f}s draining (at most {args.drain:.0f} s)")
        drain_start, left = time.monotonic(), None
        while time.monotonic() - drain_start < args.drain:
            fleet.reap(at)
            try:
                left = int(psql(args.pg_url, "SELECT count(*) FROM tasks WHERE current_status IN ('pending', 'processing')"))
            except subprocess.CalledProcessError:
                left = None
            if left == 0:
                break
            time.sleep(1)
        drain_seconds = round(time.monotonic() - drain_start, 1)
    finally:
        fleet.stop()

    counts, examples, totals, warnings = checks(args, clients, fleet, t0)
    totals.update(drain_seconds=drain_seconds, left_unfinished_after_drain=left)
    failed = [name for name, count in counts.items() if count]
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "mode": "short" if args.short else "default", "passed": not failed, "failed_checks": failed,
        "commit": subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip(),
        "checks": counts,
        "injected": {"counts": {name: len(fleet.events[name]) for name in
                                ("worker_kills", "api_kills", "postgres_crashes", "postgres_outages", "unexpected_exits")},
                     **{name: events for name, events in fleet.events.items()}},
        "totals": totals,
        "settings": {"duration_seconds": args.duration, "clients": args.clients, "rate_per_second": args.rate,
                     "mix_percent": {"fast": 80, "medium": 18, "slow": 2}, "workers": len(WORKER_SLOTS),
                     "lease_seconds": LEASE_SECONDS, "outage_seconds": args.outage, "seed": args.seed,
                     "circuits": {"medium_layers": medium, "slow_layers": slow,
                                  "ms_per_layer": round(per_layer * 1000, 2) if per_layer else None,
                                  "shots": {kind: shots for kind, (_, shots) in circuits.items()}}},
        "examples": examples,
        "warnings": warnings,
        "logs": str(args.log_dir),
    }
    (args.log_dir / "accepted.json").write_text(json.dumps(clients.accepted))
    text = json.dumps(report, indent=2)
    (args.log_dir / "report.json").write_text(text + "\n")
    print(text)
    sys.exit(0 if not failed else 1)


if __name__ == "__main__":
    main()
