"""Starts a training run and kills it (SIGKILL, as a crash or a preempted
machine would) once its metrics file shows that epoch N has ended.

Usage: kill-midway.py --after-epoch N --metrics PATH -- COMMAND [ARGS...]

`--metrics PATH` is added to the command. Fails unless the run was killed
before it finished (it must not reach its last epoch).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--after-epoch", type=int, required=True)
parser.add_argument("--metrics", required=True)
parser.add_argument("command", nargs=argparse.REMAINDER)
args = parser.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command
if os.path.exists(args.metrics):
    os.remove(args.metrics)

process = subprocess.Popen(command + ["--metrics", args.metrics],
                           stdout=subprocess.DEVNULL)
deadline = time.time() + 120
while process.poll() is None and time.time() < deadline:
    try:
        with open(args.metrics) as f:
            records = [json.loads(line) for line in f if line.endswith("\n")]
    except FileNotFoundError:
        records = []
    if any(r["label"] == "accuracy" and r["position"][0] >= args.after_epoch
           for r in records):
        process.send_signal(signal.SIGKILL)
        break
    time.sleep(0.002)
process.wait()
if process.returncode != -signal.SIGKILL:
    sys.exit(f"the run was not killed mid-way (exit status "
             f"{process.returncode}): it finished first")
print(f"killed after epoch {args.after_epoch} ended")
