# Sourced by scripts/studio and scripts/test: make .venv (once) and install the project into it.
# Usage: bootstrap "" | bootstrap "[test]"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AVATAR_STUDIO_VENV:-$ROOT/.venv}"

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "Avatar Studio needs Python 3.11 or newer (sudo apt-get install python3)." >&2
    exit 1
}

bootstrap() {
    local extras="$1"
    if [ ! -x "$VENV/bin/python" ]; then
        local python
        python="$(find_python)"
        if ! "$python" -m venv "$VENV" 2>/dev/null; then
            # Debian and Ubuntu ship venv's pip bootstrap separately.
            rm -rf "$VENV"
            local apt="apt-get"
            [ "$(id -u)" -eq 0 ] || apt="sudo apt-get"
            echo "Installing python3-venv (Debian/Ubuntu) to create $VENV ..." >&2
            $apt update -qq && $apt install -y -qq python3-venv >/dev/null
            "$python" -m venv "$VENV"
        fi
    fi
    # Reinstall only when the project's dependencies changed since the last run.
    local stamp="$VENV/.installed$extras"
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e "$ROOT$extras"
        touch "$stamp"
    fi
}

# Qt's X11 plugin needs a few libraries a minimal Debian/Ubuntu lacks; install them when missing.
QT_DISPLAY_PACKAGES=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1
    libdbus-1-3)

ensure_qt_display_libraries() {
    [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || return 0 # offscreen or headless: nothing to show on
    local plugin
    plugin="$("$VENV/bin/python" -c 'import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent / "Qt/plugins/platforms/libqxcb.so")')"
    if [ -f "$plugin" ] && ldd "$plugin" | grep -q "not found" || ! ldconfig -p | grep -q libxcb-cursor.so.0; then
        local apt="apt-get"
        [ "$(id -u)" -eq 0 ] || apt="sudo apt-get"
        echo "Installing the libraries Qt needs to open windows ..." >&2
        $apt update -qq && $apt install -y -qq "${QT_DISPLAY_PACKAGES[@]}" >/dev/null
    fi
}
