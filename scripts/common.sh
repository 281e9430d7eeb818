# Shared steps of `make run` and `make test`: sourced, not run.
# Finds a Python >= 3.12 (Django 6 needs it), keeps .venv in step with a requirements file,
# and compiles the translation catalogs when gettext is there.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33mWARNING: %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# True if $1 runs and is Python 3.12 or newer (pyenv shims exist but fail when the version is not active).
python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
    # 3.12 first (what the project is developed and tested on), then any newer one.
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    candidates+=(python3.12)
    local root=""
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root 2>/dev/null || true)"
    fi
    if [ -n "$root" ]; then
        candidates+=($(ls -d "$root"/versions/3.12* 2>/dev/null | sort -rV | sed 's|$|/bin/python|'))
    fi
    candidates+=(python3 python3.13 python3.14)
    if [ -n "$root" ]; then
        candidates+=($(ls -d "$root"/versions/3.1[3-9]* 2>/dev/null | sort -V | sed 's|$|/bin/python|'))
    fi
    for candidate in "${candidates[@]}"; do
        if python_ok "$candidate"; then
            command -v "$candidate" || echo "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv <requirements file>: create .venv if needed, install the requirements when they changed.
ensure_venv() {
    local requirements="$1"
    if [ -x "$VENV/bin/python" ] && ! python_ok "$VENV/bin/python"; then
        warn ".venv uses a Python older than 3.12: recreating it"
        rm -rf "$VENV"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        local python
        python="$(find_python)" || die "Python 3.12 or newer is required (Django 6 needs it) and none was found.
Install it (e.g. 'pyenv install 3.12' or your system's python3.12 package), or point PYTHON=/path/to/python3.12 at it."
        say "Creating .venv with $python ($("$python" --version 2>&1))"
        "$python" -m venv "$VENV"
    fi
    # Reinstall only when a requirements file changed since the last successful install.
    local stamp="$VENV/.installed-$(basename "$requirements")"
    local digest
    digest="$(cat "$ROOT"/requirements*.txt | "$VENV/bin/python" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        say "Installing $(basename "$requirements") into .venv"
        # The filter drops pip's notices about missing local index folders (some machines configure them).
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/$requirements" 2>&1 \
            | { grep -v "is ignored: it is neither a file nor a directory" || true; }
        echo "$digest" > "$stamp"
    fi
}

# Compile locale/*/LC_MESSAGES/*.po into .mo files; the .mo files are committed, so gettext is optional.
compile_messages() {
    if ! ls "$ROOT"/locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then
        return 0
    fi
    if command -v msgfmt >/dev/null 2>&1; then
        say "Compiling translations"
        (cd "$ROOT" && DJANGO_DEBUG=1 "$VENV/bin/python" manage.py compilemessages --ignore=.venv --ignore=var --verbosity 0)
    else
        warn "gettext's msgfmt is missing: using the committed .mo files (apt-get install gettext to recompile)"
    fi
}
