"""The portal and the peer (django-helpdesk 2.6 with 10,000 tickets) back to back, and the comparable pairs as ratios.

    .venv/bin/python bench/peer.py                  # bench/pages.py (its arguments after --), then the peer
    .venv/bin/python bench/peer.py --skip-portal    # the peer only, against bench/out/results.json
    .venv/bin/python bench/peer.py -- --reuse       # keep the portal's seeded database

The peer is set up and measured by ../shared/peer-bench/peer_baseline.sh (its own venv and site under
/tmp/rk_perf_peer, pip installs its pinned requirements the first time); none of its code is in this
repository. Both sides run gunicorn with 2 sync workers and wrk with 1 thread and 8 connections. The pairs
compare what a user waits for: the claim page with the ticket view, the Espace vendeur with the ticket list
(its HTML shell plus the AJAX request that brings its rows), the contact form with the public submit form, the
contact POST with the submit POST. Target: each pair at least 3x the peer. Results: bench/out/peer.json.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# ../shared from the main checkout; worktrees live one level deeper (/work/wt/<name>).
PEER_SCRIPT = Path(os.environ.get("PEER_BASELINE") or next(
    (str(base / "shared" / "peer-bench" / "peer_baseline.sh") for base in (ROOT.parent, ROOT.parent.parent)
     if (base / "shared" / "peer-bench" / "peer_baseline.sh").exists()), ROOT.parent / "shared"))
PEER_HOME = Path(os.environ.get("PEER_HOME", "/tmp/rk_perf_peer"))
TARGET = 3.0


def run_peer(duration: int, runs: int, posts: int) -> Path:
    if not PEER_SCRIPT.exists():
        raise SystemExit(f"{PEER_SCRIPT} is missing")
    env = {**os.environ, "PEER_VENV": str(PEER_HOME / "venv"), "PEER_SITE": str(PEER_HOME / "site"),
           "PEER_OUT": str(OUT / "peer"), "RUNS": str(runs), "DURATION": str(duration), "THREADS": "1",
           "CONNS": "8", "WORKERS": "2", "N_TICKETS": "10000", "N_POSTS": str(posts)}
    subprocess.run(["bash", str(PEER_SCRIPT)], cwd=ROOT, env=env, check=True)
    return Path(sorted(glob.glob(str(OUT / "peer" / "peer-*")))[-1])


def peer_figures(folder: Path) -> dict:
    probe = json.loads((folder / "probe.json").read_text())
    figures = {}
    for path in folder.glob("wrk_*.json"):
        data = json.loads(path.read_text())
        figures[data["name"]] = {**data["median"], "queries": probe["pages"].get(data["name"], {}).get("queries")}
    post = folder / "post.json"
    figures["post"] = json.loads(post.read_text())["median"] if post.exists() else None
    return figures


def serial_rps(*rates):
    """Requests per second of a view that needs these requests one after the other (shell, then its rows);
    0 when one of them completed no request at all in the time given."""
    return 0.0 if not all(rates) else 1 / sum(1 / rate for rate in rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-portal", action="store_true", help="use bench/out/results.json as it is")
    parser.add_argument("--peer-duration", type=int, default=8, help="seconds of wrk per endpoint (at most 20)")
    parser.add_argument("--peer-runs", type=int, default=1)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("portal_args", nargs="*", help="arguments for bench/pages.py, after --")
    args = parser.parse_args()
    if not args.skip_portal:
        same_load = [] if "--duration" in args.portal_args else ["--duration", str(args.peer_duration)]
        subprocess.run([sys.executable, str(ROOT / "bench" / "pages.py"), "--posts", str(args.posts), *same_load,
                        *args.portal_args], cwd=ROOT, check=False)  # a missed target is exit 1: still compare
    ours = json.loads((OUT / "results.json").read_text())
    pages = ours["pages"]
    peer = peer_figures(run_peer(args.peer_duration, args.peer_runs, args.posts))
    dashboard_peer = serial_rps(peer["ticket_list_page"]["rps"], peer["ticket_list_json"]["rps"])
    pairs = [
        ("bare view / hello (the two ceilings)", pages["bare"]["rps"], peer["hello"]["rps"], "req/s"),
        ("claim page (buyer) / ticket view", pages["claim (buyer)"]["rps"], peer["ticket_view"]["rps"], "req/s"),
        ("claim page (seller) / ticket view", pages["claim (seller)"]["rps"], peer["ticket_view"]["rps"], "req/s"),
        ("Espace vendeur / ticket list shell + rows", pages["espace vendeur"]["rps"], dashboard_peer, "req/s"),
        ("contact form (anonymous) / submit form", pages["contact form (anonymous)"]["rps"],
         peer["submit_form_get"]["rps"], "req/s"),
        ("contact form (alice, 50 orders) / submit form", pages["contact form (alice)"]["rps"],
         peer["submit_form_get"]["rps"], "req/s"),
    ]
    if ours.get("contact_post") and peer["post"]:
        # Milliseconds per POST: the ratio is the peer's time over ours.
        pairs.append(("contact POST / submit POST (ms, sequential)", peer["post"]["median_ms"],
                      ours["contact_post"]["median_ms"], "ms"))
    print(f"\nThe portal and the peer in the same run (portal {ours['date_utc']}); wrk 1 thread 8 connections, "
          f"gunicorn 2 sync workers on both sides\n")
    print("| pair | portal | peer | ratio | target 3x |")
    print("| --- | ---: | ---: | ---: | --- |")
    rows = []
    for name, first, second, unit in pairs:
        ratio = first / second if second else float("inf")  # the peer completed no request in the time given
        portal, other = (first, second) if unit == "req/s" else (second, first)
        met = "—" if name.startswith("bare") else ("met" if ratio >= TARGET else "missed")
        print(f"| {name} | {portal:.1f} {unit} | {other:.1f} {unit} | {ratio:.2f}x | {met} |")
        rows.append({"pair": name, "portal": portal, "peer": other, "unit": unit, "ratio": ratio})
    print(f"\npeer queries: ticket view {peer['ticket_view']['queries']}, list shell "
          f"{peer['ticket_list_page']['queries']} + rows {peer['ticket_list_json']['queries']}, submit form "
          f"{peer['submit_form_get']['queries']}")
    (OUT / "peer.json").write_text(json.dumps({"pairs": rows, "peer": peer}, indent=2))


if __name__ == "__main__":
    main()
