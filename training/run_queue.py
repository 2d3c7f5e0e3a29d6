"""Train several model ids with a fixed number of parallel workers (1 torch thread each).

    /usr/bin/python3 training/run_queue.py [--workers 2] [--logs /tmp/train-logs] [--resume] JOB...

A JOB is a MODEL_ID (its recipe's seed, into runs/MODEL_ID) or MODEL_ID@SEED (an extra seed of the same
recipe, into runs/seeds/MODEL_ID-seedSEED: measures run-to-run noise, never shipped). Each job runs
`train.py MODEL_ID --threads T` (T = 2 // workers, at least 1), logging to LOGS/JOB.log; jobs start in
the order given as workers free up.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ids", nargs="+")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--logs", default="/tmp/train-logs")
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.logs, exist_ok=True)
    threads = max(1, 2 // args.workers)
    pending, running = list(args.ids), {}

    def log(msg):
        line = time.strftime("%H:%M:%S ") + msg
        print(line, flush=True)

    while pending or running:
        while pending and len(running) < args.workers:
            mid = pending.pop(0)
            model_id, _, seed = mid.partition("@")
            cmd = [sys.executable, os.path.join(HERE, "train.py"), model_id, "--threads", str(threads)]
            if seed:
                cmd += ["--seed", seed, "--out", os.path.join(HERE, "runs", "seeds", f"{model_id}-seed{seed}")]
            if args.resume:
                cmd.append("--resume")
            f = open(os.path.join(args.logs, mid + ".log"), "a")
            running[mid] = (subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT), f, time.time())
            log(f"start {mid} pid {running[mid][0].pid}")
        time.sleep(2)
        for mid in list(running):
            p, f, t0 = running[mid]
            if p.poll() is not None:
                f.close()
                log(f"done {mid} rc {p.returncode} in {time.time() - t0:.0f}s")
                del running[mid]
    log("queue finished")


if __name__ == "__main__":
    main()
