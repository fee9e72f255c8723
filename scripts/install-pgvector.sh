#!/usr/bin/env bash
# install-pgvector.sh - make sure the pgvector extension ("vector") is
# installed for the local PostgreSQL server.
#
# Used by CI (.ci/run) on every run and by developers. Usage:
#
#   scripts/install-pgvector.sh        # as root, or as a user with sudo
#
# What it does:
#   * Fast path: if vector.control is already installed in the server's
#     extension directory ($(pg_config --sharedir)/extension), print its
#     version and exit 0. Nothing else is run (no apt-get, no cluster).
#   * macOS: print the Homebrew advice (brew install postgresql pgvector).
#   * Debian/Ubuntu (slow path, a few minutes at most):
#       1. apt-get update (once); install the distribution's default
#          PostgreSQL server if none is installed;
#       2. if the system's apt sources offer postgresql-<major>-pgvector
#          (Ubuntu, apt.postgresql.org), install that package; otherwise
#       3. install the build dependencies (postgresql-server-dev-<major>,
#          build-essential, dpkg-dev), fetch Debian's pgvector SOURCE package
#          from the "trixie" suite (Debian 12 has no pgvector) with a private,
#          throw-away apt configuration - the system's apt sources are not
#          changed - and build and install it with PGXS;
#       4. verify: start a scratch cluster in a temp dir (unix socket only, no
#          TCP), CREATE EXTENSION vector, print the version, remove the cluster.
#
# Environment:
#   PGVECTOR_DEBIAN_SUITE   Debian suite to take the source from (default: trixie)
#   PGVECTOR_DEBIAN_MIRROR  Debian archive URI to use instead of the one found
#                           in the machine's apt sources
set -euo pipefail

readonly PROG="install-pgvector"
readonly SUITE="${PGVECTOR_DEBIAN_SUITE:-trixie}"
# Keyring for the private trixie source: the keyring the machine's own Debian
# sources use. On bookworm, debian-archive-keyring (>= 2023.3+deb12u2, the
# current bookworm version) contains the trixie keys, and trixie's InRelease
# is additionally signed with the bookworm archive key, so signatures are
# checked without installing anything extra or trusting anything new.
readonly DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

WORK=""        # temp dir for apt state, sources, build, logs
VERIFY_DIR=""  # temp dir of the scratch cluster
CLUSTER_UP=0
PG_BINDIR=""
RUNAS=()       # prefix to run a command as the unprivileged cluster owner

say() { printf '%s: %s\n' "$PROG" "$*"; }
die() {
  printf '%s: ERROR: %s\n' "$PROG" "$1" >&2
  [ $# -gt 1 ] && printf '%s: what to do: %s\n' "$PROG" "$2" >&2
  exit 1
}

cleanup() {
  local rc=$?
  if [ "$CLUSTER_UP" = 1 ]; then
    "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$VERIFY_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$VERIFY_DIR" ] && rm -rf "$VERIFY_DIR"
  [ -n "$WORK" ] && rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a step with its output in a log file; on failure show the log's tail.
step() {
  local what=$1 hint=$2 log
  shift 2
  log="$WORK/step.log"
  if ! "$@" >"$log" 2>&1; then
    printf '%s: ERROR: %s failed; command: %s\n' "$PROG" "$what" "$*" >&2
    printf '%s: ---- last lines of its output ----\n' "$PROG" >&2
    tail -n 25 "$log" >&2
    printf '%s: ----\n%s: what to do: %s\n' "$PROG" "$PROG" "$hint" >&2
    exit 1
  fi
}

# Highest PostgreSQL major version whose server is installed in the Debian layout.
server_major() {
  local p m best=""
  for p in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$p" ] || continue
    m=${p#/usr/lib/postgresql/}
    m=${m%%/*}
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best" "$m" | sort -V | tail -n 1)" = "$m" ]; then
      best=$m
    fi
  done
  printf '%s' "$best"
}

# pg_config of the server: the Debian per-version one when present.
find_pg_config() {
  local major=$1
  if [ -n "$major" ] && [ -x "/usr/lib/postgresql/$major/bin/pg_config" ]; then
    printf '%s' "/usr/lib/postgresql/$major/bin/pg_config"
  elif command -v pg_config >/dev/null 2>&1; then
    command -v pg_config
  fi
}

os_release() {
  sed -n "s/^$1=[\"']\{0,1\}\([^\"']*\).*/\1/p" /etc/os-release 2>/dev/null | head -n 1
}

control_version() {
  sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$1" | head -n 1
}

# ---------------------------------------------------------------- fast path
MAJOR=$(server_major)
PG_CONFIG=$(find_pg_config "$MAJOR")
if [ -n "$PG_CONFIG" ]; then
  [ -n "$MAJOR" ] || MAJOR=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
  CONTROL="$("$PG_CONFIG" --sharedir)/extension/vector.control"
  if [ -f "$CONTROL" ]; then
    say "pgvector $(control_version "$CONTROL") is already installed for PostgreSQL $MAJOR ($CONTROL)"
    exit 0
  fi
fi

# ---------------------------------------------------------------- macOS
if [ "$(uname -s)" = Darwin ]; then
  die "pgvector is not installed for the PostgreSQL found on PATH (${PG_CONFIG:-no pg_config found})" \
    "run: brew install postgresql pgvector   (and put that PostgreSQL's bin directory first on PATH)"
fi

command -v apt-get >/dev/null 2>&1 ||
  die "pgvector is not installed and this is not a Debian/Ubuntu system (no apt-get)" \
    "install pgvector with your OS's package manager or build it: https://github.com/pgvector/pgvector#installation"
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  die "installing packages needs root, and sudo is not available" "run this script as root"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/install-pgvector.XXXXXX")
# World-readable so apt's unprivileged download user (_apt) and the scratch
# cluster's owner can reach their subdirectories.
chmod 755 "$WORK"

apt_sys() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@"
}

say "pgvector not found; installing it (apt-get update, build dependencies, build from Debian's $SUITE source)"
step "apt-get update" "check network access to the machine's apt sources (/etc/apt/sources.list*)" \
  apt_sys update

if [ -z "$MAJOR" ] || [ ! -x "/usr/lib/postgresql/$MAJOR/bin/postgres" ]; then
  say "no PostgreSQL server installed; installing the distribution's default (apt-get install postgresql)"
  step "installing PostgreSQL" "install a PostgreSQL server package (postgresql-<major>) by hand, then rerun" \
    apt_sys install -y postgresql
  MAJOR=$(server_major)
  [ -n "$MAJOR" ] || die "PostgreSQL was installed but no server was found in /usr/lib/postgresql/*/bin/postgres" \
    "check the postgresql package installation"
fi
PG_CONFIG="/usr/lib/postgresql/$MAJOR/bin/pg_config"   # shipped by postgresql-client-<major>
say "PostgreSQL server major version: $MAJOR"

# ----------------------------------------------------- prebuilt package if any
PKG="postgresql-$MAJOR-pgvector"
CANDIDATE=$(LC_ALL=C apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ {print $2}')
if [ -n "$CANDIDATE" ] && [ "$CANDIDATE" != "(none)" ]; then
  say "installing $PKG $CANDIDATE from the system's apt sources"
  step "installing $PKG" "install $PKG by hand and rerun" \
    apt_sys install -y --no-install-recommends "$PKG"
else
  # ------------------------------------------- build from Debian's source package
  OS_ID=$(os_release ID)
  CODENAME=$(os_release VERSION_CODENAME)
  [ "$OS_ID" = debian ] ||
    die "no $PKG package in this system's apt sources, and building from Debian's source needs a Debian system (this is '$OS_ID')" \
      "enable the repository that has $PKG (Ubuntu: universe; or apt.postgresql.org), or build pgvector by hand: https://github.com/pgvector/pgvector#installation"

  say "installing build dependencies (postgresql-server-dev-$MAJOR build-essential dpkg-dev)"
  step "installing the build dependencies" \
    "make sure postgresql-server-dev-$MAJOR is available from your apt sources (it must match the installed server, postgresql-$MAJOR)" \
    apt_sys install -y --no-install-recommends "postgresql-server-dev-$MAJOR" build-essential dpkg-dev debian-archive-keyring

  # The Debian archive address comes from the machine's own apt sources, as
  # apt itself reads them (/etc/apt/sources.list and sources.list.d/*.list and
  # *.sources): `apt-cache policy` lists each configured archive with the
  # metadata of its signed Release file, so we pick the entry whose Release
  # says Origin Debian, codename <this release>, component main. That excludes
  # -security and -updates suites and third-party repositories reliably.
  MIRROR="${PGVECTOR_DEBIAN_MIRROR:-}"
  if [ -z "$MIRROR" ]; then
    MIRROR=$(LC_ALL=C apt-cache policy | awk -v cn="$CODENAME" '
      /^ *-?[0-9]+ [A-Za-z0-9+.-]+:/ { uri = $2; dist = $3; next }
      /^ *release / {
        if (dist == cn "/main" && uri !~ /^cdrom:/ &&
            $0 ~ ("[ ,]n=" cn "(,|$)") && $0 ~ /[ ,]o=Debian(,|$)/ && $0 ~ /[ ,]c=main(,|$)/) {
          print uri; exit
        }
      }')
  fi
  [ -n "$MIRROR" ] ||
    die "found no Debian archive serving '$CODENAME main' in this machine's apt sources" \
      "add the Debian archive to /etc/apt/sources.list(.d), or set PGVECTOR_DEBIAN_MIRROR=<Debian archive URI>"
  [ -r "$DEBIAN_KEYRING" ] ||
    die "$DEBIAN_KEYRING is missing" "apt-get install debian-archive-keyring"

  # Private apt configuration: its own sources list (one deb-src line), index
  # lists and cache under $WORK. Dir::Etc::SourceParts=/dev/null hides the
  # system's sources.list.d; apt.conf(.d) (proxies etc.) still applies. Nothing
  # in /etc/apt or /var/lib/apt is modified, and no trixie binary package is
  # ever visible to the system's apt.
  mkdir -p "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/src"
  printf 'deb-src [signed-by=%s] %s %s main\n' "$DEBIAN_KEYRING" "$MIRROR" "$SUITE" >"$WORK/apt/sources.list"
  if id _apt >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    # let apt download as its sandbox user instead of warning and using root
    chown _apt "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/src"
  fi
  APT_PRIVATE=(
    -o "Dir::Etc::SourceList=$WORK/apt/sources.list"
    -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$WORK/apt/lists"
    -o "Dir::Cache=$WORK/apt/cache"
    -o Dir::Cache::pkgcache=pkgcache.bin
    -o Dir::Cache::srcpkgcache=srcpkgcache.bin
  )
  apt_private_source() ( cd "$WORK/src" && apt-get -q "${APT_PRIVATE[@]}" source pgvector )
  say "fetching Debian's pgvector source package from $MIRROR $SUITE"
  step "apt-get update of the private $SUITE deb-src index" \
    "check access to $MIRROR (dists/$SUITE/InRelease) and that $DEBIAN_KEYRING has the $SUITE signing keys (apt-get install debian-archive-keyring)" \
    apt-get -q --error-on=any "${APT_PRIVATE[@]}" update
  step "apt-get source pgvector" \
    "check that Debian's $SUITE suite has the pgvector source package (https://packages.debian.org/source/$SUITE/pgvector)" \
    apt_private_source
  SRC_DIR=$(find "$WORK/src" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
  if [ -z "$SRC_DIR" ] || [ ! -f "$SRC_DIR/Makefile" ]; then
    die "apt-get source did not unpack a pgvector source tree in $WORK/src" "check that dpkg-dev is installed"
  fi
  say "building $(basename "$SRC_DIR") against PostgreSQL $MAJOR"

  # OPTFLAGS="": upstream's Makefile defaults to -march=native on x86-64.
  # We build the portable way, as Debian's package does (its patch
  # "no-native", applied by apt-get source, drops the default too; passing
  # OPTFLAGS="" keeps that true whatever the source tree): the binary does not
  # depend on this CPU, so a machine image or container built here keeps
  # working on another CPU. pgvector still picks faster SIMD code paths at run
  # time where it supports that.
  step "building pgvector (make)" "see the compiler output above; check that postgresql-server-dev-$MAJOR matches the server" \
    make -C "$SRC_DIR" -j "$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
  step "installing pgvector (make install)" "see the output above" \
    as_root make -C "$SRC_DIR" install PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
fi

CONTROL="$("$PG_CONFIG" --sharedir)/extension/vector.control"
[ -f "$CONTROL" ] || die "installation finished but $CONTROL does not exist" "check the output above"

# ---------------------------------------------------------------- verify
# initdb refuses to run as root: the scratch cluster belongs to postgres
# (or nobody). It listens on a unix socket in its own temp dir only.
PG_BINDIR=$("$PG_CONFIG" --bindir)
VERIFY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pgvector-verify.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  id "$OWNER" >/dev/null 2>&1 || OWNER=nobody
  chown "$OWNER" "$VERIFY_DIR"
  RUNAS=(runuser -u "$OWNER" --)
else
  RUNAS=(env)
fi
say "verifying with a scratch cluster in $VERIFY_DIR"
(cd / && "${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$VERIFY_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
  >"$VERIFY_DIR/initdb.log" 2>&1) ||
  { tail -n 20 "$VERIFY_DIR/initdb.log" >&2; die "initdb of the scratch cluster failed" "see the initdb output above"; }
CLUSTER_UP=1
(cd / && "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$VERIFY_DIR/data" -l "$VERIFY_DIR/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $VERIFY_DIR -p 5432" start >/dev/null 2>&1) ||
  { tail -n 20 "$VERIFY_DIR/server.log" >&2 || true; die "could not start the scratch PostgreSQL cluster" "see the server log above"; }
if ! VERSION=$(cd / && "${RUNAS[@]}" "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
    -h "$VERIFY_DIR" -p 5432 -U postgres -d postgres \
    -c "CREATE EXTENSION vector" \
    -c "SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector" \
    -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'" 2>&1); then
  printf '%s\n' "$VERSION" >&2
  die "CREATE EXTENSION vector failed in the scratch cluster" "see the error above; the files were installed under $("$PG_CONFIG" --pkglibdir) and $("$PG_CONFIG" --sharedir)/extension"
fi
VERSION=$(printf '%s\n' "$VERSION" | tail -n 1)
(cd / && "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$VERIFY_DIR/data" -m fast -w stop >/dev/null 2>&1) || true
CLUSTER_UP=0
say "pgvector $VERSION installed for PostgreSQL $MAJOR"
