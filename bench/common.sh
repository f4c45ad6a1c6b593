# Shell functions shared by the load scripts (bench/http.sh, bench/instructions.sh);
# sourced, not run.

# Installs Debian packages, with sudo when not root.
install() {
    local sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

# Installs each of the given tools that is missing, from its Debian package.
need_tools() {
    local tool
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null; then
            case "$tool" in
            taskset) install util-linux ;;
            *) install "$tool" ;;
            esac
        fi
    done
}

# A TCP port free on loopback right now.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits until something listens on port $1, for up to $2 seconds (default 10).
wait_for_port() {
    local tries=$((${2:-10} * 20))
    for _ in $(seq 1 "$tries"); do
        if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "nothing listens on port $1 after ${2:-10} s" >&2
    return 1
}
