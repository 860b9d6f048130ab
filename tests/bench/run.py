"""`make bench`: the real site, served by gunicorn as `make run` serves it, measured over HTTP.

For each size (S: the demo in a fresh database; L: the big generated database, when
PostgreSQL has it) the bench starts gunicorn with notrecontinent/gunicorn.py and DEBUG
off, on PostgreSQL and Redis when DATABASE_URL and REDIS_URL say so (else SQLite and
the local-memory cache), then drives it with wrk (tests/bench/wrk.lua):
- under load: `2 × cores` connections for BENCH_SECONDS per page → requests/s, p50, p99;
- alone: one connection → the p50 of a single request;
and prints requests/s as a ratio of /healthz's in the same run, the SQL queries of each
page (from a separate probe process, tests/bench/probe.py: counting there is exact,
timing would not be) and the RSS of the gunicorn workers before and after.

With both sizes measured, each page's single request is timed once more with the S and
L servers side by side, S, L, S, L: the L/S growth of the verdict compares those runs,
not runs made minutes apart on a machine whose load has changed meanwhile.

Only wrk's clock is read: the harness (Python, the probe, Django's test client) is never
inside a measured interval. Counted views are checked: the views the site recorded must
match the requests wrk completed.

Environment: DATABASE_URL, REDIS_URL (as for `make run`); BENCH_L_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench_l); BENCH_SIZES (default "S,L"); BENCH_SECONDS
(8); BENCH_SINGLE_SECONDS (3); BENCH_CONNECTIONS (2 per core); BENCH_PORT (a free port);
BENCH_COMMON_WORD, BENCH_RARE_WORD (else found in the data); BENCH_PAGES (some pages
only, by key: home,category,category_deep,empty_new,empty_same,busy_new,busy_same,
search_common,search_rare,feed,sitemap,sitemap_page).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("wrk.lua")
L_DEFAULT = "postgres://postgres@127.0.0.1:5432/bench_l"
L_RECIPE = (
    "DATABASE_URL={url} .venv/bin/python manage.py migrate && "
    "DATABASE_URL={url} .venv/bin/python manage.py generate_dataset "
    "--articles 100000 --comments 1000000 --days 30 --seed 1"
)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
# Pages whose throughput must reach half of /healthz's (issue 8).
RATIO_TARGET_PAGES = {
    "home",
    "category",
    "category_deep",
    "empty_new",
    "empty_same",
    "busy_new",
    "busy_same",
}


def env_int(name, default):
    return int(os.environ.get(name) or default)


SECONDS = env_int("BENCH_SECONDS", 8)
SINGLE_SECONDS = env_int("BENCH_SINGLE_SECONDS", 3)
HEALTH_SECONDS = env_int("BENCH_HEALTH_SECONDS", 2)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 2 * (os.cpu_count() or 1))


@dataclass
class Page:
    key: str
    label: str
    path: str | None
    reader: str = "same"  # "new": a new reader each request (a counted view)
    slug: str | None = None


@dataclass
class Row:
    page: Page
    load: dict | None = None
    single: dict | None = None
    queries: list | None = None
    problem: str = ""

    health: dict | None = None  # /healthz measured just before this page
    cpu_ms: float | None = None  # gunicorn's CPU time per request under load
    health_cpu_ms: float | None = None

    @property
    def rate(self):
        return rate(self.load)

    @property
    def ratio(self):
        """Throughput against /healthz's, measured just before: both see the same machine."""
        health = rate(self.health)
        return self.rate / health if health and self.rate is not None else None

    @property
    def cpu_ratio(self):
        """The same ratio from CPU time per request: what throughput would be if gunicorn
        had the cores to itself."""
        if self.cpu_ms and self.health_cpu_ms:
            return self.health_cpu_ms / self.cpu_ms
        return None


def rate(run):
    return run["requests"] / (run["duration_us"] / 1e6) if run else None


@dataclass
class SizeResult:
    name: str
    description: str
    rows: list = field(default_factory=list)
    rss_before: dict = field(default_factory=dict)
    rss_after: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)  # the environment its gunicorn ran with


def say(message):
    print(message, flush=True)


# Setting up ---------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk est absent : installation du paquet Debian (apt-get install -y wrk)…")
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], stdout=subprocess.DEVNULL, check=True)
            subprocess.run(install, stdout=subprocess.DEVNULL, check=True)
        return
    raise SystemExit(
        "make bench a besoin de wrk (générateur de charge HTTP). Installez-le : "
        "sudo apt-get install wrk"
    )


def manage(env, *args, log):
    command = [sys.executable, "manage.py", *args]
    with open(log, "a") as out:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise SystemExit(f"échec de « manage.py {' '.join(args)} » (journal : {log})")


def probe(env, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.probe", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"échec de la sonde ({' '.join(args)}) :\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_connect(url, dbname=None):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname or parts.path.lstrip("/"),
        connect_timeout=5,
        autocommit=True,
    )


def fresh_postgres_database(url, name):
    with postgres_connect(url, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def drop_postgres_database(url, name):
    with postgres_connect(url, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def base_env(workdir, size):
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            # wrk's readers arrive through one trusted "proxy": X-Forwarded-For tells them apart.
            "TRUSTED_PROXY_COUNT": "1",
            # A prefix of our own: the run starts with a cold cache and shares no key with
            # a site running beside it on the same Redis.
            "CACHE_KEY_PREFIX": f"bench-{size}-{os.getpid()}-{int(time.time())}",
            "PYTHONPATH": str(ROOT),
            "MEDIA_ROOT": str(workdir / "media"),
        }
    )
    return env


def prepare_s(workdir, log):
    """S: the demo (load_demo, load_demo_comments) in a fresh database."""
    env = base_env(workdir, "S")
    url = os.environ.get("DATABASE_URL", "")
    dropper = None
    if url.startswith(("postgres://", "postgresql://")):
        name = f"{urlsplit(url).path.lstrip('/')}_bench_s"
        env["DATABASE_URL"] = fresh_postgres_database(url, name)
        dropper = (url, name)
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench-s.sqlite3'}"
    say(f"Taille S : base neuve ({redact(env['DATABASE_URL'])}), migrate, load_demo…")
    manage(env, "migrate", "--noinput", log=log)
    manage(env, "load_demo", log=log)
    manage(env, "load_demo_comments", log=log)
    busy = probe(env, "prepare-s")
    return env, dropper, f"démo + {busy['comments']} commentaires sur un article"


def find_l(workdir, log):
    """L: the generated database, if PostgreSQL has it and it is migrated."""
    url = os.environ.get("BENCH_L_DATABASE_URL") or L_DEFAULT
    try:
        with postgres_connect(url) as conn:
            count = conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    except Exception as error:  # noqa: BLE001 - any failure means "no L database here"
        say(
            f"Taille L ignorée : base {redact(url)} inaccessible ou vide ({str(error).strip()[:120]}).\n"
            f"Pour la créer : createdb bench_l && {L_RECIPE.format(url=url)}"
        )
        return None
    if count == 0:
        say(f"Taille L ignorée : aucun article dans {redact(url)}. {L_RECIPE.format(url=url)}")
        return None
    env = base_env(workdir, "L")
    env["DATABASE_URL"] = url
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    if check.returncode != 0:
        say(
            f"Taille L ignorée : la base {redact(url)} n'a pas toutes les migrations du code "
            f"mesuré. Appliquez-les (DATABASE_URL={redact(url)} .venv/bin/python manage.py "
            "migrate), de préférence sur une copie (createdb -T bench_l bench_l_copie)."
        )
        return None
    return env


def redact(url):
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# gunicorn -----------------------------------------------------------------------------


def free_port(chosen=True):
    """BENCH_PORT when it is set (and `chosen`), else a port nobody listens on."""
    if chosen and (port := os.environ.get("BENCH_PORT")):
        return int(port)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn started exactly as `make run` starts it."""

    def __init__(self, env, log, port=None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "a")  # noqa: SIM115 - closed in stop()
        self.log_path, self.log_start = Path(log), self.log.tell()
        command = [
            str(VENV_BIN / "gunicorn"),
            "notrecontinent.wsgi",
            "--config",
            "notrecontinent/gunicorn.py",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn s'est arrêté au démarrage (journal : {log})")
            try:
                if fetch(f"{self.base}/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn ne répond pas sur {self.base} (journal : {log})")

    def workers(self):
        """RSS in MB of each worker process, by pid."""
        out = subprocess.run(
            ["ps", "-o", "pid=,rss=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        rss = {}
        for line in out.splitlines():
            pid, kb = line.split()
            rss[int(pid)] = int(kb) / 1024
        return rss

    def worker_class(self):
        """The worker class gunicorn says it uses (sync, gthread…), from its log."""
        with self.log_path.open() as log:
            log.seek(self.log_start)
            found = re.findall(r"Using worker: (\S+)", log.read())
        return found[-1] if found else "?"

    def cpu_seconds(self):
        """User + system CPU time used so far by gunicorn: the master, its live workers and
        the workers it has reaped (recycled ones). Not PostgreSQL's nor Redis's. A cost per
        request that other loads on the machine hardly change, unlike wall-clock figures."""
        ticks = 0
        for pid in [self.process.pid, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a worker that has just exited: its time is in the master's
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            if pid == self.process.pid:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped workers
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def fetch(url):
    request = urllib.request.Request(
        url, headers={"User-Agent": BROWSER, "X-Forwarded-For": "198.51.100.7"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def wrk(url, *, connections, seconds, reader, tag):
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
        "--",
        reader,
        tag,
    ]
    out = subprocess.run(command, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise SystemExit(f"sortie de wrk illisible :\n{out}")


# Measuring ----------------------------------------------------------------------------


def pages_for(targets):
    def search(word):
        return f"/recherche/?q={quote(word)}"

    return [
        Page("healthz", "/healthz", "/healthz"),
        Page("home", "accueil /", "/"),
        Page("category", "rubrique, page 1", targets["category"]),
        Page("category_deep", "rubrique, page profonde", targets["category_deep"]),
        Page("empty_new", "article 0 comm., nouveau lecteur", targets["article_empty"], "new"),
        Page("empty_same", "article 0 comm., lecteur revenu", targets["article_empty"]),
        Page("busy_new", "article {n} comm., nouveau lecteur", targets["article_busy"], "new"),
        Page("busy_same", "article {n} comm., lecteur revenu", targets["article_busy"]),
        Page(
            "search_common",
            f"recherche « {targets['common_word']} »",
            search(targets["common_word"]),
        ),
        Page("search_rare", f"recherche « {targets['rare_word']} »", search(targets["rare_word"])),
        Page("feed", "/flux/", "/flux/"),
        Page("sitemap", "/sitemap.xml", "/sitemap.xml"),
        Page("sitemap_page", "une page du plan du site", targets["sitemap_page"]),
        Page("healthz_end", "/healthz (à la fin)", "/healthz"),
    ]


def slug_of(path):
    return path.rstrip("/").rsplit("/", 1)[-1]


def measure(name, description, env, log):
    result = SizeResult(name, description)
    say(f"Taille {name} : choix des pages…")
    result.notes.append(
        "charge moyenne de la machine au début : {:.2f} / {:.2f} / {:.2f} (1, 5, 15 min)".format(
            *os.getloadavg()
        )
    )
    targets = probe(env, "targets")
    pages = pages_for(targets)
    for page in pages:
        page.label = page.label.format(n=targets["article_busy_comments"])
        if page.reader == "new":
            page.slug = slug_of(page.path)
    result.description += (
        f" ; {targets['articles']} articles publiés, {targets['comments']} commentaires"
    )
    if only := os.environ.get("BENCH_PAGES"):
        keep = {"healthz", "healthz_end", *only.split(",")}
        pages = [page for page in pages if page.key in keep]
    rows = [Row(page) for page in pages]
    for row in rows:
        if row.page.path is None:
            row.problem = (
                "sans objet (la rubrique tient sur une page)"
                if row.page.key == "category_deep"
                else "sans objet (pas d'index de plan du site)"
            )

    # Query counts first, from a separate process: nothing is being timed meanwhile.
    measurable = [r for r in rows if r.page.path and not r.page.key.endswith("_end")]
    counts = probe(
        env,
        "queries",
        stdin=json.dumps(
            [{"name": r.page.key, "path": r.page.path, "reader": r.page.reader} for r in measurable]
        ),
    )
    for row in measurable:
        row.queries = counts.get(row.page.key)

    server = Server(env, log)
    try:
        for row in rows:
            if row.page.path and row.page.key != "healthz_end":
                status, _ = fetch(server.base + row.page.path)
                if status != 200:
                    row.problem = f"HTTP {status}"
        # After the first requests: gunicorn forks its workers after it answers.
        result.rss_before = server.workers()
        result.notes.append(
            f"gunicorn : {len(result.rss_before)} worker(s) {server.worker_class()}, "
            f"port {server.port}"
        )
        slugs = sorted({r.page.slug for r in rows if r.page.slug})
        views_before = {slug: probe(env, "views", slug)["views"] for slug in slugs}
        sent = dict.fromkeys(slugs, 0)
        for n, row in enumerate(rows):
            if row.problem or row.page.path is None:
                continue
            say(f"  {row.page.label}…")
            url = server.base + row.page.path
            tag = f"{name}{n}"
            cpu = server.cpu_seconds()
            row.health = wrk(
                f"{server.base}/healthz",
                connections=CONNECTIONS,
                seconds=HEALTH_SECONDS,
                reader="same",
                tag=tag + "h",
            )
            row.health_cpu_ms = (server.cpu_seconds() - cpu) * 1000 / max(row.health["requests"], 1)
            warm = wrk(
                url, connections=CONNECTIONS, seconds=1, reader=row.page.reader, tag=tag + "w"
            )
            cpu = server.cpu_seconds()
            row.load = wrk(
                url, connections=CONNECTIONS, seconds=SECONDS, reader=row.page.reader, tag=tag + "l"
            )
            row.cpu_ms = (server.cpu_seconds() - cpu) * 1000 / max(row.load["requests"], 1)
            row.single = wrk(
                url, connections=1, seconds=SINGLE_SECONDS, reader=row.page.reader, tag=tag + "s"
            )
            if row.page.slug:
                sent[row.page.slug] += sum(r["requests"] for r in (warm, row.load, row.single))
            errors = {k: v for k, v in row.load["errors"].items() if v}
            if errors:
                row.problem = "erreurs : " + ", ".join(f"{k} {v}" for k, v in errors.items())
            if not row.load["requests"]:
                row.problem = f"aucune réponse complète en {SECONDS} s"
        result.rss_after = server.workers()
    finally:
        server.stop()
    for slug in slugs:
        counted = probe(env, "views", slug)["views"] - views_before[slug]
        # wrk stops with up to one request per connection in flight, served but not reported.
        ok = sent[slug] <= counted <= sent[slug] + 3 * CONNECTIONS + 3
        result.notes.append(
            f"lectures comptées sur {slug[:40]} : {counted} pour {sent[slug]} requêtes "
            f"« nouveau lecteur »{'' if ok else ' — ÉCART : le comptage ou le banc est faux'}"
        )
    result.rows = rows
    result.targets = targets
    result.env = env
    return result


def compare_singles(results, log, rounds=2):
    """The single-request p50 of each page at S and at L, measured in alternation.

    The main runs measure S, then L minutes later: a machine that has since grown busier
    or quieter (the bench's own PostgreSQL work included) would show up as growth between
    sizes. Here both servers stand side by side and each page is timed S, L, S, L…; the
    best of each size's runs is kept (noise only ever adds time)."""
    small, large = results
    servers = [Server(small.env, log), Server(large.env, log, port=free_port(chosen=False))]
    singles = {}
    try:
        by_key = [{row.page.key: row for row in r.rows if row.single} for r in results]
        for key, row in by_key[0].items():
            other = by_key[1].get(key)
            if other is None or key.endswith("_end"):
                continue
            runs = ([], [])
            for n in range(rounds):
                for i, (server, size_row) in enumerate(zip(servers, (row, other), strict=True)):
                    url = server.base + size_row.page.path
                    tag = f"c{i}{n}{key}"
                    wrk(url, connections=1, seconds=1, reader=size_row.page.reader, tag=tag + "w")
                    run = wrk(
                        url,
                        connections=1,
                        seconds=SINGLE_SECONDS,
                        reader=size_row.page.reader,
                        tag=tag,
                    )
                    if run["requests"]:
                        runs[i].append(run["p50_us"])
            if all(runs):
                label = row.page.label
                if other.page.label != label:  # the busy article: its comments at each size
                    label += f" (L : {other.page.label})"
                singles[key] = (label, *(min(r) for r in runs))
    finally:
        for server in servers:
            server.stop()
    return singles


# Reporting ----------------------------------------------------------------------------


def ms(us, run=None):
    if us is None or (run is not None and not run["requests"]):
        return "–"
    return f"{us / 1000:.1f}"


def table(result):
    rows = result.rows
    lines = [
        f"== Taille {result.name} : {result.description}",
        f"   charge : {CONNECTIONS} connexions, {SECONDS} s par page ; "
        f"seul : 1 connexion, {SINGLE_SECONDS} s ; temps en ms ; ×healthz : rapport au débit "
        f"de /healthz mesuré juste avant la page ({HEALTH_SECONDS} s, mêmes connexions) ;\n"
        "   CPU ms : temps CPU de gunicorn par requête sous charge (sans PostgreSQL ni Redis) ; "
        "×h CPU : le rapport à /healthz d'après ce temps",
        "",
        f"{'page':<44} {'req/s':>8} {'p50':>7} {'p99':>7} {'p99/p50':>7} "
        f"{'×healthz':>8} {'CPU ms':>6} {'×h CPU':>6} {'p50 seul':>8} {'SQL froid/chaud':>15}",
    ]
    for row in rows:
        queries = (
            "/".join("–" if q is None else str(q) for q in row.queries) if row.queries else "–"
        )
        if row.load is None:
            lines.append(f"{row.page.label[:44]:<44} {row.problem or 'non mesuré'}")
            continue
        load = row.load
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "–"
        spread = f"{load['p99_us'] / load['p50_us']:.1f}" if load["p50_us"] else "–"
        lines.append(
            f"{row.page.label[:44]:<44} {row.rate:>8.1f} {ms(load['p50_us'], load):>7} "
            f"{ms(load['p99_us'], load):>7} {spread:>7} {ratio:>8} {row.cpu_ms:>6.2f} "
            f"{(f'{row.cpu_ratio:.2f}' if row.cpu_ratio else '–'):>6} "
            f"{ms(row.single['p50_us'], row.single):>8} "
            f"{queries:>15}" + (f"  ⚠ {row.problem}" if row.problem else "")
        )
    before, after = result.rss_before, result.rss_after
    recycled = len(set(before) - set(after))
    lines += [
        "",
        f"RSS des workers (Mo) avant : {fmt_rss(before)} ; après : {fmt_rss(after)}"
        + (f" ; {recycled} worker(s) remplacé(s) pendant la mesure" if recycled else ""),
        *result.notes,
    ]
    return "\n".join(lines)


def fmt_rss(rss):
    if not rss:
        return "–"
    return f"{sum(rss.values()):.0f} au total, {max(rss.values()):.0f} au plus ({len(rss)} workers)"


def singles_table(singles):
    lines = [
        "== p50 d'une requête seule, S et L en alternance (serveurs côte à côte, ms)",
        "",
        f"{'page':<60} {'S':>7} {'L':>7} {'L / S':>7}",
    ]
    for label, small, large in singles.values():
        lines.append(
            f"{label[:60]:<60} {small / 1000:>7.2f} {large / 1000:>7.2f} {large / max(small, 1):>7.2f}"
        )
    return "\n".join(lines)


def verdict(results, singles=None):
    """The targets of issue 8 that this bench can check, met (✓) or not (✗)."""
    lines = ["== Objectifs (issue 8)"]
    by_size = {r.name: {row.page.key: row for row in r.rows} for r in results}
    for result in results:
        rows = by_size[result.name]
        for key in sorted(RATIO_TARGET_PAGES):
            row = rows.get(key)
            if row and row.ratio is not None:
                ratio = row.ratio
                lines.append(
                    f"{'✓' if ratio >= 0.5 else '✗'} {result.name} {row.page.label} : "
                    f"{ratio:.2f} × healthz (≥ 0,5)"
                    + (f" ; d'après le temps CPU : {row.cpu_ratio:.2f}" if row.cpu_ratio else "")
                )
        for row in rows.values():
            if not row.load or not row.load["requests"]:
                continue
            spread = row.load["p99_us"] / max(row.load["p50_us"], 1)
            single = row.single["p50_us"] / 1000 if row.single["requests"] else float("inf")
            if spread > 4:
                lines.append(f"✗ {result.name} {row.page.label} : p99 = {spread:.1f} × p50 (≤ 4)")
            if single > 50:
                lines.append(f"✗ {result.name} {row.page.label} : {single:.1f} ms seul (≤ 50)")
    for label, small, large in (singles or {}).values():
        growth = large / max(small, 1)
        if growth > 1.2:
            lines.append(
                f"✗ {label} : p50 seul L = {growth:.2f} × S (≤ 1,2), mesurés en alternance"
            )
    lines.append("(les p99 ≤ 4 × p50 et p50 seul ≤ 50 ms non signalés sont tenus)")
    return "\n".join(lines)


def main():
    sizes = [s.strip().upper() for s in os.environ.get("BENCH_SIZES", "S,L").split(",")]
    ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="nc-bench-"))
    log = workdir / "bench.log"
    database = os.environ.get("DATABASE_URL", "") or "SQLite"
    cache = (
        "Redis"
        if (os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL"))
        else "mémoire locale"
    )
    say(
        f"make bench — {os.cpu_count()} cœurs ; "
        f"base {redact(database).split('://')[0]}, cache {cache} ; journaux : {log}"
    )
    env = base_env(workdir, "static")
    manage(env, "collectstatic", "--noinput", "-v", "0", log=log)
    results, dropper, singles = [], None, None
    try:
        if "S" in sizes:
            env, dropper, description = prepare_s(workdir, log)
            results.append(measure("S", description, env, log))
            say("\n" + table(results[-1]) + "\n")
        if "L" in sizes and (env_l := find_l(workdir, log)):
            results.append(measure("L", "base générée", env_l, log))
            say("\n" + table(results[-1]) + "\n")
        if [r.name for r in results] == ["S", "L"]:
            say("Requêtes seules, S et L en alternance…")
            try:
                singles = compare_singles(results, log)
            except (OSError, SystemExit) as error:  # the main results are printed anyway
                say(f"Mesure en alternance impossible : {error}")
            say("\n" + singles_table(singles) + "\n")
    finally:
        if dropper:
            drop_postgres_database(*dropper)
    if results:
        say(verdict(results, singles))


if __name__ == "__main__":
    main()
