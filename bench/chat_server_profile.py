"""daphne under measurement, for bench/chat_load.py --profile: what the server does per message, counted.

    python bench/chat_server_profile.py OUT.json -- -b 127.0.0.1 -p 8001 rakuten_portal.asgi:application

Runs daphne in this process with cProfile enabled (on Python 3.12 cProfile sees every thread, the
thread pool of database_sync_to_async included: call counts are exact, times across threads are
mixed up, so read `ncalls`, not `cumtime`), and every SQL statement counted by its text (a Django
execute wrapper on every connection). On exit (SIGTERM stops daphne's reactor) it writes OUT.json
(the statements and the CPU time of the process) and OUT.prof (the cProfile stats, for pstats).
"""
import cProfile
import collections
import json
import re
import resource
import sys
import threading

OUT = sys.argv[1]
DAPHNE_ARGS = sys.argv[sys.argv.index("--") + 1:]

statements: collections.Counter = collections.Counter()
_lock = threading.Lock()
_NUMBERS = re.compile(r"\b\d+\b")


def _caller() -> str:
    """The innermost frame of the project's own code (helpdesk/, rakuten_portal/, channels' auth)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if ("/site-packages/" not in name or "/channels/auth" in name or "/channels/sessions" in name) \
                and "chat_server_profile" not in name:
            return f"{name.rsplit('/', 2)[-2]}/{name.rsplit('/', 1)[-1]}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return "?"


def _count(execute, sql, params, many, context):
    key = _caller() + " | " + _NUMBERS.sub("N", " ".join(str(sql).split()))[:160]
    with _lock:
        statements[key] += 1
    return execute(sql, params, many, context)


def _on_connection(sender, connection, **kwargs):
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


def _dump(profile: cProfile.Profile):
    profile.disable()
    profile.dump_stats(OUT.removesuffix(".json") + ".prof")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(OUT, "w") as out:
        json.dump({"cpu_seconds": usage.ru_utime + usage.ru_stime, "max_rss_kib": usage.ru_maxrss,
                   "statements": statements.most_common()}, out, indent=1)


# --- sampling (CHAT_PROFILE_SAMPLE=1): where the CPU goes, every thread, without cProfile's overhead ---
# SIGPROF fires every millisecond of process CPU; the handler looks at every thread's stack and counts the
# ones that are running (not waiting in epoll, a lock, a queue or a socket read).
_IDLE = {"poll", "select", "wait", "acquire", "get", "_worker", "recv", "recv_into", "sleep", "_wait_for_tstate_lock"}
samples: collections.Counter = collections.Counter()
inclusive: collections.Counter = collections.Counter()
_taken = [0]


def _where(code) -> str:
    name = code.co_filename.split("site-packages/")[-1].replace("/work/wt/chat/", "").split("python3.12/")[-1]
    return f"{name}:{code.co_name}"


def _sample(signum, frame):
    _taken[0] += 1
    for thread_frame in sys._current_frames().values():
        code = thread_frame.f_code
        if (code.co_name in _IDLE and code.co_filename.startswith("/root/.pyenv")) or (
                code.co_name == "wait" and "psycopg" in code.co_filename):  # waiting for PostgreSQL
            continue
        stack, seen = [], set()
        f = thread_frame
        while f is not None and len(stack) < 60:
            stack.append(_where(f.f_code))
            f = f.f_back
        samples[stack[0]] += 1
        for entry in stack:
            if entry not in seen:
                seen.add(entry)
                inclusive[entry] += 1


def _dump_samples():
    with open(OUT.removesuffix(".json") + ".samples.txt", "w") as out:
        out.write(f"{_taken[0]} samples (1 ms of process CPU each)\n\n-- self --\n")
        for entry, count in samples.most_common(60):
            out.write(f"{count:7d} {entry}\n")
        out.write("\n-- inclusive --\n")
        for entry, count in inclusive.most_common(150):
            out.write(f"{count:7d} {entry}\n")


def _memory_probe(signum, frame):
    """SIGUSR2 (CHAT_PROFILE_MODE=memory): is the memory still held by objects, or freed and kept by malloc?"""
    import ctypes
    import gc

    def rss():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2 ** 20

    lines = [f"rss {rss():.1f} MiB", f"objects {len(gc.get_objects())}"]
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds: objects only reachable from reference cycles
    gc.collect()
    garbage = collections.Counter(
        f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage)
    lines += ["in cycles: " + ", ".join(f"{name} {n}" for name, n in garbage.most_common(25))]
    gc.set_debug(0)
    gc.garbage.clear()
    collected = gc.collect()
    lines += [f"gc.collect() freed {collected} objects: rss {rss():.1f} MiB, objects {len(gc.get_objects())}"]
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    lines += [f"malloc_trim(0): rss {rss():.1f} MiB"]
    counts = collections.Counter(type(o).__name__ for o in gc.get_objects())
    lines += ["most common objects: " + ", ".join(f"{name} {n}" for name, n in counts.most_common(12))]
    with open(OUT.removesuffix(".json") + ".memory.txt", "a") as out:
        out.write("\n".join(lines) + "\n\n")


def _dump_yappi():
    import yappi

    yappi.stop()
    stats = yappi.get_func_stats()
    total = sum(t.ttot for t in yappi.get_thread_stats())
    with open(OUT.removesuffix(".json") + ".yappi.txt", "w") as out:
        out.write(f"CPU in profiled threads {total:.2f} s\n\n-- by own time (tsub) --\n")
        for entry in sorted(stats, key=lambda e: -e.tsub)[:60]:
            out.write(f"{entry.tsub:8.3f} {entry.ttot:8.3f} {entry.ncall:8d} {_yname(entry)}\n")
        out.write("\n-- by total time (ttot), the project's and the libraries' entry points --\n")
        for entry in sorted(stats, key=lambda e: -e.ttot)[:200]:
            out.write(f"{entry.ttot:8.3f} {entry.tsub:8.3f} {entry.ncall:8d} {_yname(entry)}\n")


def _yname(entry) -> str:
    module = entry.module.split("site-packages/")[-1].replace("/work/wt/chat/", "").split("python3.12/")[-1]
    return f"{module}:{entry.lineno} {entry.name}"


def main():
    import os
    import signal

    from django.db.backends.signals import connection_created

    connection_created.connect(_on_connection)
    # Django's health check (CONN_HEALTH_CHECKS) runs SELECT 1 on psycopg's own cursor, past the wrapper above.
    from django.db.backends.postgresql.base import DatabaseWrapper

    is_usable = DatabaseWrapper.is_usable

    def counted_is_usable(self):
        with _lock:
            statements["(health check) django/db/backends/postgresql/base.py is_usable | SELECT 1"] += 1
        return is_usable(self)

    DatabaseWrapper.is_usable = counted_is_usable
    from daphne.cli import CommandLineInterface

    sampling = os.environ.get("CHAT_PROFILE_SAMPLE") == "1"
    memory = os.environ.get("CHAT_PROFILE_MODE") == "memory"
    # CHAT_PROFILE_MODE=yappi: CPU time per function in every thread (yappi's CPU clock; yappi is not in
    # requirements: `pip install --target DIR yappi` and PYTHONPATH=DIR). Written to OUT.yappi.txt.
    use_yappi = os.environ.get("CHAT_PROFILE_MODE") == "yappi"
    profile = cProfile.Profile()
    if use_yappi:
        import yappi

        yappi.set_clock_type("cpu")
        yappi.start(builtins=False, profile_threads=True)
    elif memory:
        signal.signal(signal.SIGUSR2, _memory_probe)
    elif sampling:
        signal.signal(signal.SIGPROF, _sample)
        signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)
    else:
        profile.enable()
    try:
        CommandLineInterface().run(DAPHNE_ARGS)
    finally:
        if use_yappi:
            _dump_yappi()
        if sampling:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            _dump_samples()
        _dump(profile)


if __name__ == "__main__":
    main()
