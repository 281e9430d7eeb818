"""Server CPU per conversation and per message, from two runs of bench/chat_load.py (the load-independent figures).

    .venv/bin/python bench/chat_cost.py                    # 200 visitors with 2, then 12 messages each (each answered)
    .venv/bin/python bench/chat_cost.py --few 2 --many 22 --repeat 2 -- --servers 1

Each run's server CPU (user + system, every daphne process) covers the visitors' whole lives: connect,
start, take, the messages, end (the help-desk request and its transcript), the queue news. The
difference between the two runs is the extra messages only: per message = difference / extra stored
messages; per conversation = the short run's CPU less its messages at that price, over the visitors.
Latency is not the point here (see chat_load.py): CPU time hardly depends on the machine's load, but
`uptime` is printed before and after each run all the same.
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def uptime() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def run(messages: int, visitors: int, extra: list[str]) -> tuple[float, int, str]:
    before = uptime()
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "chat_load.py"), "--visitors", str(visitors),
                          "--messages", str(messages), *extra], cwd=ROOT, capture_output=True, text=True, check=True)
    text = out.stdout
    cpu = float(re.search(r"server CPU\s+([\d.]+) s", text).group(1))
    stored = int(re.search(r"messages stored\s+(\d+)", text).group(1))
    lost = re.search(r"messages lost\s+(\d+)", text).group(1)
    dup = re.search(r"messages duplicated\s+(\d+)", text).group(1)
    note = f"load {before} → {uptime()}, lost {lost}, duplicated {dup}"
    print(f"  {visitors} visitors × {messages} messages: server CPU {cpu:.2f} s for {stored} stored messages ({note})",
          flush=True)
    return cpu, stored, note


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--few", type=int, default=2)
    parser.add_argument("--many", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=1, help="pairs of runs (the figures of each pair are printed)")
    parser.add_argument("extra", nargs="*", help="after --: more arguments for chat_load.py")
    args = parser.parse_args()
    for _ in range(args.repeat):
        few_cpu, few_stored, _note = run(args.few, args.visitors, args.extra)
        many_cpu, many_stored, _note = run(args.many, args.visitors, args.extra)
        per_message = (many_cpu - few_cpu) / max(many_stored - few_stored, 1)
        per_conversation = (few_cpu - per_message * few_stored) / args.visitors
        print(f"server CPU per message {per_message * 1000:.2f} ms, per conversation (connect, start, take, end, "
              f"request and transcript, queue news; without its messages) {per_conversation * 1000:.1f} ms")


if __name__ == "__main__":
    main()
