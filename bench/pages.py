"""Load test of the main pages on PostgreSQL with 100,000 orders, against a bare Django view as the ceiling.

    .venv/bin/python bench/pages.py                 # create rk_bench, seed, serve, measure (about 3 minutes)
    .venv/bin/python bench/pages.py --reuse         # keep the seeded database from a previous run
    BENCH_PORT=8777 .venv/bin/python bench/pages.py # if 8765 is taken

gunicorn serves production-like settings (DEBUG off, cached templates, persistent connections, Redis cache);
wrk drives each page with the session cookie of a logged-in user; a Django test client counts the SQL
queries of each page against the same database. Results: the table on stdout and bench/out/results.json.
Targets: each page at least 25% of the bare view's requests per second and at most 10 queries.
"""
import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
DB_NAME = os.environ.get("BENCH_DB", "rk_perf_bench")
PG = "postgres://postgres@127.0.0.1:5432"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
TARGET_RATIO = 0.25
TARGET_QUERIES = 10


def bench_env():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="rakuten_portal.settings", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0",
        DATABASE_URL=f"{PG}/{DB_NAME}", DATABASE_CONN_MAX_AGE="60", CACHE_URL="redis://127.0.0.1:6379/13",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/13", EMAIL_URL="consolemail://", LOG_LEVEL="WARNING",
        BENCH_BARE_VIEW="1", PORTAL_VAR_DIR=str(OUT / "var"), STATIC_ROOT=str(OUT / "static"), AXES_ENABLED="1",
    )
    return env


def manage(env, *args, capture=False):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                          capture_output=capture)


def recreate_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")


def prepare(env, orders, reuse):
    if not reuse:
        print(f"Creating the database {DB_NAME}")
        recreate_database()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    seconds = None
    if not reuse:
        started = time.monotonic()
        result = manage(env, "seed_demo", "--orders", str(orders), capture=True)
        seconds = time.monotonic() - started
        print(result.stdout.strip())
        print(f"seed_demo --orders {orders}: {seconds:.1f} s in all")
        result = subprocess.run([PYTHON, str(ROOT / "bench" / "seed_claims.py"), "--scale"], cwd=ROOT, env=env,
                                check=True, text=True, capture_output=True)
        print(result.stdout.strip())
    # A production database is vacuumed and analysed by autovacuum; right after a bulk load it is not yet,
    # and stale statistics make the planner sort a seller's whole history instead of walking its index.
    import psycopg

    with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return seconds


def count_queries(env):
    """Queries per page and the URLs to load, from a Django test client against the same database."""
    result = subprocess.run([PYTHON, str(ROOT / "bench" / "queries.py")], cwd=ROOT, env=env, check=True,
                            text=True, capture_output=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_gunicorn(env, workers):
    with open(OUT / "gunicorn.log", "w") as log:  # gunicorn keeps its own copy of the descriptor
        process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "rakuten_portal.wsgi", "--bind", f"127.0.0.1:{PORT}",
             "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    for _ in range(150):
        try:
            if requests.get(BASE + "/bench/bare/", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            pass  # not listening yet, or a worker still booting
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit(f"gunicorn did not start: see {OUT / 'gunicorn.log'}")


def session_cookie(login_url, username, password="demo-2026"):
    """Log in through the form, as a browser would, and return the Cookie header of that session."""
    session = requests.Session()
    page = session.get(BASE + login_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(BASE + login_url, data={"csrfmiddlewaretoken": token, "username": username,
                                                  "password": password}, allow_redirects=False)
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"login as {username} failed ({answer.status_code})")
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def to_ms(value):
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if match is None:
        return float("nan")  # wrk prints -nan when no request completed
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(url, cookie, duration, connections, threads):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Cookie: {cookie}", url]
    output = subprocess.run(command, check=True, text=True, capture_output=True).stdout
    with (OUT / "wrk.log").open("a") as log:
        log.write(output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99_ms": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database seeded by an earlier run")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    seed_seconds = prepare(env, args.orders, args.reuse)
    pages = count_queries(env)
    server = start_gunicorn(env, args.workers)
    results = {}
    try:
        cookies = {username: session_cookie(pages["_login_url"], username) for username in ("alice", "boutique-paris")}
        for name, page in pages.items():
            if name.startswith("_"):
                continue
            url = BASE + page["url"]
            cookie = cookies[page["user"]]
            check = requests.get(url, headers={"Cookie": cookie}, allow_redirects=False)
            if check.status_code != 200:
                raise SystemExit(f"{url} answered {check.status_code}")
            wrk(url, cookie, 2, args.connections, 1)  # warm-up: workers' connections, caches, template loading
            results[name] = {**page, **wrk(url, cookie, args.duration, args.connections, 1)}
            if name != "bare":
                # The ceiling measured again next to each page, so that load from elsewhere weighs on both alike.
                bare = pages["bare"]
                results[name]["bare_rps"] = wrk(BASE + bare["url"], cookies[bare["user"]], args.duration,
                                                args.connections, 1)["rps"]
            print(f"  {name:<10} {results[name]['rps']:8.1f} req/s", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    results["bare"]["bare_rps"] = results["bare"]["rps"]
    print(f"\n{args.orders} orders, gunicorn {args.workers} sync workers, wrk 1 thread {args.connections} connections, "
          f"{args.duration} s per page; '% of bare' compares with the bare view measured just after the page\n")
    print("| page | user | req/s | bare req/s | % of bare | p50 ms | p99 ms | in-process ms | queries | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in results.items():
        row["ratio"] = row["rps"] / row["bare_rps"]
        print(f"| {name} | {row['user']} | {row['rps']:.0f} | {row['bare_rps']:.0f} | {100 * row['ratio']:.0f}% | "
              f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['app_ms']:.1f} | {row['queries']} | {row['errors']} |")
    missed = [name for name, row in results.items() if name != "bare"
              and (row["ratio"] < TARGET_RATIO or row["queries"] > TARGET_QUERIES)]
    print("\nTargets (>= 25% of bare, <= 10 queries): " + ("all met" if not missed else "missed by " + ", ".join(missed)))
    (OUT / "results.json").write_text(json.dumps({
        "orders": args.orders, "seed_seconds": seed_seconds, "workers": args.workers,
        "connections": args.connections, "duration": args.duration, "pages": results,
    }, indent=2))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
