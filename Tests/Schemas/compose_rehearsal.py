#!/usr/bin/env python3
"""deploy/compose.yaml rehearsed without Docker (no engine runs here).

Given a scratch copy of deploy/ in which deploy/dev-secrets.sh has run (its .env and .secrets), and
a PostgreSQL cluster of the rehearsal's own, this:
1. initialises the database as the postgres container would: its POSTGRES_DB, then its
   docker-entrypoint-initdb.d scripts (deploy/postgres/init-roles.sh) with the container's
   environment, and runs its health check (`pg_isready ...`);
2. starts each LAYAR service (the services built from deploy/docker/Dockerfile) in depends_on order
   with exactly its command (compose's over the image's ENTRYPOINT), the image's ENV and the
   service's `environment` (interpolated from .env as compose does), and its mounted secret files;
   host names of compose services are mapped to loopback, published ports to free loopback ports,
   and container paths of volumes to their files in the scratch copy;
3. waits until each service's own health-check command passes (compose's `healthcheck`, run with the
   container's environment) before starting the services that depend on it, and fails when one does
   not become healthy within its start period and retries;
4. submits a referral through intake's gRPC API with layarctl and waits until it is ASSIGNED (the
   services' topics on the broker, the consumers, a case worker), and asks the portal for its pages;
5. stops every service with SIGTERM, in reverse order; each must exit 0.

Kafka is the broker given as KAFKA_BROKERS (the dev broker, which creates topics on first use and
speaks plaintext only). So:
- compose's init job, deploy/kafka/init-kafka.sh, runs with its environment and mounted files but
  with recording stand-ins for the Kafka image's kafka-topics/-configs/-acls tools; the rehearsal
  checks that it creates every topic, every service user with that user's password file, and
  every ACL of deploy/kafka/layar-kafka.txt, and the partner users;
- each service first runs `migrate` with exactly its compose settings, Kafka's SASL_SSL ones
  included (the configuration is read and checked before anything else: a missing password file
  or CA stops it), and checks that it mounts its own user's password; it is then served with
  KAFKA_SECURITY_PROTOCOL=plaintext, all else unchanged, for the dev broker.

Environment: LAYAR_BIN_DIR, LAYAR_COMPOSE_DIR (the scratch deploy/), KAFKA_BROKERS,
LAYAR_REHEARSAL_PG_HOST (socket directory) and LAYAR_REHEARSAL_PG_PORT, LAYAR_REHEARSAL_PORT_BASE.
"""
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

from deployfiles import DEPLOY, dependency_order, dockerfile_environment, healthcheck_argv, layar_services, local_argv, start_argv

env = os.environ
BIN = pathlib.Path(env["LAYAR_BIN_DIR"])
COMPOSE_DIR = pathlib.Path(env["LAYAR_COMPOSE_DIR"])
PG_HOST, PG_PORT = env["LAYAR_REHEARSAL_PG_HOST"], env["LAYAR_REHEARSAL_PG_PORT"]
PORT_BASE = int(env.get("LAYAR_REHEARSAL_PORT_BASE", "26051"))
LOGS = COMPOSE_DIR / "logs"
LOGS.mkdir(exist_ok=True)
# What a container starts with besides its image's and compose's settings.
BASE_ENVIRONMENT = {name: env[name] for name in ("PATH", "HOME", "LANG", "TZ") if name in env}


def say(text):
    print(f"[compose-rehearsal] {text}", file=sys.stderr, flush=True)


def fail(text):
    print(f"[compose-rehearsal] FAILED: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


# --- compose.yaml as compose reads it ---------------------------------------------------------

def dotenv(path):
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def interpolate(text, values):
    """Compose's ${NAME}, ${NAME:?message}, ${NAME?message}, ${NAME:-default} and ${NAME-default}."""
    def replace(match):
        name, operator, argument = match.group(1), match.group(2) or "", match.group(3) or ""
        value = values.get(name)
        if operator in (":?", "?") and (value is None or (operator == ":?" and value == "")):
            fail(f"compose.yaml needs {name}: {argument}")
        if operator in (":-", "-") and (value is None or (operator == ":-" and value == "")):
            return argument
        return value or ""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:\?|\?|:-|-)([^}]*))?\}", replace, text.replace("$$", "\0")).replace("\0", "$")


values = dotenv(COMPOSE_DIR / ".env")
compose = yaml.safe_load(interpolate((COMPOSE_DIR / "compose.yaml").read_text(), values))
products = layar_services(compose)
order = dependency_order(compose, list(products))
image_environment = dockerfile_environment(DEPLOY / "docker/Dockerfile")

# Loopback ports for what compose publishes (and for the container ports the services' settings name).
local_port = {}  # (service, container port) -> loopback port
for name in order:
    for mapping in compose["services"][name].get("ports") or []:
        container = int(str(mapping).split(":")[-1])
        local_port[(name, container)] = PORT_BASE + len(local_port)
HOSTS = {"postgres": {5432: f"127.0.0.1:{PG_PORT}"}, "kafka": {9092: env["KAFKA_BROKERS"]}}
for (name, container), port in local_port.items():
    HOSTS.setdefault(name, {})[container] = f"127.0.0.1:{port}"


def container_environment(name):
    """The service's environment as its container would see it, mapped onto this machine."""
    service = compose["services"][name]
    mounts = {}
    for volume in service.get("volumes") or []:
        source, target = str(volume).split(":")[:2]
        if source.startswith("."):
            mounts[target] = str((COMPOSE_DIR / source).resolve())
    variables = dict(BASE_ENVIRONMENT)
    variables.update(image_environment)
    variables.update({key: str(value) for key, value in (service.get("environment") or {}).items()})
    for key, value in list(variables.items()):
        if value == "0.0.0.0":
            value = "127.0.0.1"  # the rehearsal listens on loopback only
        for host, ports in HOSTS.items():
            for container, address in ports.items():
                value = re.sub(rf"(?<![\w.-]){re.escape(host)}:{container}(?!\d)", address, value)
        if key.endswith("_PORT") and value.isdigit() and (name, int(value)) in local_port:
            value = str(local_port[(name, int(value))])
        for target, source in sorted(mounts.items(), key=lambda item: -len(item[0])):
            if value == target or value.startswith(target + "/"):
                value = source + value[len(target):]
                break
        variables[key] = value
    return variables


# --- PostgreSQL as its container initialises it ----------------------------------------------

postgres = compose["services"]["postgres"]
pg_environment = {key: str(value) for key, value in (postgres.get("environment") or {}).items()}
pg_environment.update(BASE_ENVIRONMENT | {"PGHOST": PG_HOST, "PGPORT": PG_PORT})
database = pg_environment["POSTGRES_DB"]
subprocess.run(["psql", "-q", "-U", pg_environment["POSTGRES_USER"], "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                "-c", f'CREATE DATABASE "{database}"'], env=pg_environment, check=True)
for volume in postgres.get("volumes") or []:
    source, target = str(volume).split(":")[:2]
    if target.startswith("/docker-entrypoint-initdb.d/"):
        script = (COMPOSE_DIR / source).resolve()
        say(f"postgres: {target} ({source})")
        subprocess.run(["bash", str(script)], env=pg_environment, check=True, capture_output=True)
check = postgres["healthcheck"]["test"]
if check[0] != "CMD-SHELL" or subprocess.run(["sh", "-c", check[1]], env=pg_environment).returncode != 0:
    fail(f"postgres: its health check {check} does not pass")

# --- Kafka's init job, with recording stand-ins for the Kafka tools ----------------------------

def rehearse_kafka_init():
    init = compose["services"]["kafka-init"]
    variables = container_environment("kafka-init")
    tools = pathlib.Path(tempfile.mkdtemp(dir=COMPOSE_DIR, prefix="kafka-tools-"))
    calls = tools / "calls.log"
    for tool in ("kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh"):
        (tools / tool).write_text(f'#!/bin/sh\nprintf "%s" "$(basename "$0")" >> "{calls}"\n'
                                  f'for a in "$@"; do printf " %s" "$a" >> "{calls}"; done\necho >> "{calls}"\n')
        (tools / tool).chmod(0o755)
    variables["KAFKA_BIN"] = str(tools)
    entry = init["entrypoint"]
    script = None
    for volume in init.get("volumes") or []:
        source, target = str(volume).split(":")[:2]
        if target == entry[-1]:
            script = (COMPOSE_DIR / source).resolve()
    if entry[0] != "/bin/bash" or script is None:
        fail(f"kafka-init: its entrypoint {entry} does not run a mounted script")
    result = subprocess.run(["bash", str(script)], env=variables, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        fail(f"kafka-init: {script.name} exited {result.returncode}: {result.stderr.strip()[-400:]}")
    made = calls.read_text().splitlines()
    table = pathlib.Path(variables["LAYAR_KAFKA_TABLE"]).read_text().splitlines()
    users_dir = pathlib.Path(variables["LAYAR_KAFKA_USERS_DIR"])
    missing = []
    for line in table:
        kind, _, rest = line.partition(" ")
        if kind == "topic":
            wanted = f" --create --if-not-exists --topic {rest} "
            found = any(call.startswith("kafka-topics.sh") and wanted in call + " " for call in made)
        elif kind == "user":
            password = (users_dir / rest).read_text().strip()
            found = any(call.startswith("kafka-configs.sh") and f"--entity-name {rest} " in call
                        and f"password={password}]" in call for call in made)
        elif kind == "acl":
            principal, resource, pattern, name, operations = rest.split(" ")
            flags = "".join(f" --operation {operation}" for operation in operations.split(","))
            wanted = f"--allow-principal User:{principal}{flags} --{resource} {name} --resource-pattern-type {pattern}"
            found = any(call.startswith("kafka-acls.sh") and wanted in call for call in made)
        else:
            continue
        if not found:
            missing.append(line)
    if missing:
        fail(f"kafka-init did not apply {len(missing)} lines of {variables['LAYAR_KAFKA_TABLE']}, e.g. {missing[:3]}")
    if any("ANONYMOUS" in call for call in made):
        fail("kafka-init grants something to User:ANONYMOUS")
    say(f"kafka-init: {len(made)} Kafka admin calls cover the {sum(1 for line in table if not line.startswith('#'))} lines of the topic table "
        f"({result.stdout.strip().splitlines()[0] if result.stdout.strip() else 'no output'})")


rehearse_kafka_init()


def check_kafka_settings(name, variables, argv):
    """The service's compose Kafka settings are accepted as they are (run with `migrate`), and its
    password file is its own user's; returns the variables to serve with on the dev broker."""
    if variables.get("KAFKA_SECURITY_PROTOCOL", "plaintext") == "plaintext":
        fail(f"{name}: compose lets it speak plaintext to Kafka")
    user = variables.get("KAFKA_SASL_USERNAME", f"layar-{name}")
    # container_environment mapped the container path to the file mounted there (unmounted: unchanged).
    password_file = pathlib.PurePath(variables.get("KAFKA_SASL_PASSWORD_FILE", ""))
    if password_file.name != user:
        fail(f"{name}: KAFKA_SASL_PASSWORD_FILE is {password_file}, not the mounted password of its Kafka user {user}")
    result = subprocess.run([argv[0], "migrate"], env=variables, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        fail(f"{name}: `migrate` with compose's Kafka settings exited {result.returncode}: {result.stderr.strip()[-400:]}")
    return variables | {"KAFKA_SECURITY_PROTOCOL": "plaintext"}


# --- The services ----------------------------------------------------------------------------

running = []  # (name, process)


def stop_all():
    failures = []
    for name, process in reversed(running):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                code = "no exit within 20 s"
        else:
            code = process.returncode
        if code != 0:
            failures.append(f"{name} exited {code} (see {LOGS / (name + '.log')})")
    running.clear()
    return failures


def seconds(text, default):
    match = re.fullmatch(r"(\d+)s", str(text or ""))
    return int(match.group(1)) if match else default


def healthy(name, variables):
    service = compose["services"][name]
    check = service.get("healthcheck") or {}
    argv = local_argv(BIN, products[name], healthcheck_argv(check.get("test"), name))
    # Compose's budget: the start period, then `retries` failures `interval` apart; polled every
    # half second here instead of every interval.
    budget = seconds(check.get("start_period"), 0) + seconds(check.get("interval"), 30) * int(check.get("retries", 3))
    deadline = time.monotonic() + budget
    process = dict(running)[name]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"{name} exited {process.returncode} before it was healthy (see {LOGS / (name + '.log')})")
        if subprocess.run(argv, env=variables, capture_output=True, timeout=30).returncode == 0:
            return True
        time.sleep(0.5)
    return False


def layarctl(arguments, variables):
    result = subprocess.run([str(BIN / "layarctl")] + arguments, env=variables, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        fail(f"layarctl {' '.join(arguments)}: {result.stderr.strip()[-500:]}")
    return result.stdout


try:
    for name in order:
        variables = container_environment(name)
        argv = local_argv(BIN, products[name], start_argv(compose["services"][name]))
        if "KAFKA_BROKERS" in variables:
            variables = check_kafka_settings(name, variables, argv)
        log = open(LOGS / f"{name}.log", "w")
        running.append((name, subprocess.Popen(argv, env=variables, stdout=log, stderr=subprocess.STDOUT, cwd=COMPOSE_DIR)))
        started = time.monotonic()
        if not healthy(name, variables):
            fail(f"{name} did not become healthy (see {LOGS / (name + '.log')})")
        say(f"{name}: `{' '.join(argv[1:]) or '(no arguments)'}` healthy after {time.monotonic() - started:.1f} s")

    # A referral goes through, as an operator would check it.
    portal = container_environment("portal")
    client = dict(BASE_ENVIRONMENT)
    for service in ("intake", "verification", "assignment", "notification", "survey"):
        client[f"LAYAR_{service.upper()}_ADDR"] = HOSTS[service][int(compose["services"][service]["environment"]["LAYAR_GRPC_PORT"])]
    token = subprocess.run(
        local_argv(BIN, products["portal"], ["/usr/local/bin/layar", "issue-token", "--username", portal["LAYAR_PORTAL_ADMIN_USER"], "--hours", "1"]),
        env=portal, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.strip()
    if not token.startswith("layarctl."):
        fail(f"issue-token printed no layarctl key: {token[:20]}...")
    # layarctl exchanges the key at the portal for a short-lived token, as at the office.
    portal_url = f"http://{HOSTS['portal'][int(compose['services']['portal']['environment']['LAYAR_PORTAL_PORT'])]}"
    client["LAYAR_TOKEN"] = token
    client["LAYAR_PORTAL_URL"] = portal_url
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=COMPOSE_DIR, delete=False) as form:
        form.write(layarctl(["example-form"], client))
    submitted = json.loads(layarctl(["submit", form.name], client))
    code = submitted.get("tracking_code") or submitted.get("trackingCode")
    pin = submitted.get("tracking_pin") or submitted.get("trackingPin")
    if not pin or len(pin) != 6:
        fail(f"the submission answered no six-digit PIN: {submitted}")
    deadline = time.monotonic() + 60
    status = ""
    while time.monotonic() < deadline:
        status = json.loads(layarctl(["status", code], client)).get("status", "")
        if status.endswith("ASSIGNED"):
            break
        time.sleep(0.5)
    if not status.endswith("ASSIGNED"):
        fail(f"referral {code} stayed {status or 'unknown'} (logs in {LOGS})")
    say(f"referral {code} submitted through intake is {status}")
    # ...and the applicant follows it on the portal's tracking page.
    for path in ("/", "/rujukan", "/lacak"):
        with urllib.request.urlopen(portal_url + path, timeout=10) as response:
            if response.status != 200:
                fail(f"the portal answered {response.status} for {path}")
    lookup = urllib.parse.urlencode({"tracking_code": code, "pin": pin})
    with urllib.request.urlopen(urllib.request.Request(portal_url + "/lacak", data=lookup.encode(), method="POST"), timeout=10) as response:
        page = response.read().decode()
    if "Sedang ditangani pendamping" not in page:
        fail(f"the portal's tracking page does not show {code} as being handled")
    say(f"the portal at {portal_url} shows {code}: Sedang ditangani pendamping")
    # A password change ends layarctl's access at once: the key is refused at the next command.
    subprocess.run(
        local_argv(BIN, products["portal"], ["/usr/local/bin/layar", "add-staff", "--username", portal["LAYAR_PORTAL_ADMIN_USER"],
                                             "--name", "Administrator", "--roles", "admin"]),
        env=portal, input="a-new-password-after-rehearsal\n", capture_output=True, text=True, timeout=60, check=True,
    )
    refused = subprocess.run([str(BIN / "layarctl"), "status", code], env=client, capture_output=True, text=True, timeout=60)
    if refused.returncode == 0 or "Kunci layarctl tidak berlaku" not in refused.stderr:
        fail(f"layarctl still worked after the password change: {refused.returncode} {refused.stderr.strip()[-300:]}")
    say("after the administrator's password changed, layarctl's key was refused")
finally:
    problems = stop_all()
if problems:
    fail("; ".join(problems))
say(f"{len(order)} services started from compose.yaml, healthy, a referral assigned, all stopped cleanly")
