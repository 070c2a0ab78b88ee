#!/usr/bin/env python3
"""Runs every command the deployment files run, read from those files, against a local stack.

What is read (nothing is copied into this script):
- deploy/docker/Dockerfile: the image's ENTRYPOINT, CMD and HEALTHCHECK (every image);
- deploy/compose.yaml: each LAYAR service's product (build arg PRODUCT), `entrypoint`, `command` and
  `healthcheck`;
- deploy/k8s/base: each Deployment's and Job's container (image layar/<name> -> product layar-<name>),
  its `command`/`args`, and its probes (grpc and httpGet).

For every product, in compose's dependency order (the services, then the portal):
1. each health-check command must FAIL while nothing serves (a check that always passes checks nothing);
2. each one-shot command (a Kubernetes Job: `migrate`) must exit 0;
3. each long-running command (compose's, then Kubernetes') starts the executable; every health-check
   command and probe must then pass within 60 s; all but the last are stopped with SIGTERM and must
   exit 0; the last stays up for the products that depend on it.

Ports are mapped to loopback ones (gRPC, metrics, the portal's HTTP) and the environment is the local
stack's (database role per service, broker, key directories); a probe on a named port resolves it
through the container's `ports`. Called by deploy/local/deploy-commands-test.sh, which gives:
LAYAR_BIN_DIR, LAYAR_DEPLOY_DATABASE_URL (with {service}), KAFKA_BROKERS, LAYAR_TOKEN_KEYS_DIR,
LAYAR_DATA_KEYS_ROOT, LAYAR_TOKEN_SIGNING_KEY_FILE, LAYAR_TOKEN_SIGNING_KEY_ID, LAYAR_DEPLOY_PORT_BASE.
"""
import os
import pathlib
import signal
import subprocess
import sys
import time
import urllib.request

import yaml

from deployfiles import DEPLOY, ROOT, dependency_order, dockerfile_instruction, healthcheck_argv, layar_services, start_argv
from deployfiles import local_argv as image_argv

SERVICES = ["intake", "verification", "assignment", "notification", "survey"]
env = os.environ
BIN = pathlib.Path(env["LAYAR_BIN_DIR"])
BASE = int(env.get("LAYAR_DEPLOY_PORT_BASE", "25251"))
LOGS = pathlib.Path(env.get("LAYAR_DEPLOY_LOG_DIR", ROOT / ".data/logs/deploy-commands"))
LOGS.mkdir(parents=True, exist_ok=True)


def fail(text):
    print(f"[deploy-commands] FAILED: {text}", file=sys.stderr)
    sys.exit(1)


def say(text):
    print(f"[deploy-commands] {text}", file=sys.stderr, flush=True)


# --- What the files run ----------------------------------------------------------------------

entrypoint = dockerfile_instruction("ENTRYPOINT") or []
default_cmd = dockerfile_instruction("CMD") or []
image_healthcheck = dockerfile_instruction("HEALTHCHECK")
if image_healthcheck is None:
    fail("the Dockerfile has no exec-form HEALTHCHECK")

# product -> {"long": [(where, argv)], "once": [...], "check": [...], "probes": [(where, kind, target)]}
plans = {}
compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
products = layar_services(compose)  # Kafka, PostgreSQL and their init jobs are not ours
order = dependency_order(compose, list(products))
for name, product in products.items():
    service = compose["services"][name]
    plan = plans.setdefault(product, {"long": [], "once": [], "check": [], "probes": []})
    plan["long"].append((f"compose {name}", start_argv(service)))
    test = (service.get("healthcheck") or {}).get("test")
    plan["check"].append((f"compose {name} healthcheck", healthcheck_argv(test, name) if test else image_healthcheck))
    plan["check"].append(("Dockerfile HEALTHCHECK", image_healthcheck))

for path in sorted((DEPLOY / "k8s/base").glob("*.yaml")):
    for document in yaml.safe_load_all(path.read_text()):
        if not document or document.get("kind") not in ("Deployment", "Job"):
            continue
        spec = document["spec"]["template"]["spec"]
        for container in spec["containers"]:
            image = container["image"].split(":")[0]
            if not image.startswith("layar/"):
                continue
            product = "layar-" + image.split("/", 1)[1]
            if product not in plans:
                fail(f"{path.name}: {image} is not an image compose builds")
            plan = plans[product]
            argv = list(container.get("command") or entrypoint) + list(container.get("args") or default_cmd)
            where = f"{path.name} {document['kind']} {document['metadata']['name']}"
            plan["once" if document["kind"] == "Job" else "long"].append((where, argv))
            ports = {port["name"]: port["containerPort"] for port in container.get("ports", [])}
            for probe_name in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(probe_name)
                if not probe:
                    continue
                if "exec" in probe:
                    plan["check"].append((f"{where} {probe_name}", probe["exec"]["command"]))
                elif "grpc" in probe:
                    plan["probes"].append((f"{where} {probe_name}", "grpc", probe["grpc"]["port"]))
                elif "httpGet" in probe:
                    port = probe["httpGet"]["port"]
                    plan["probes"].append((f"{where} {probe_name}", "http", (ports.get(port, port), probe["httpGet"]["path"])))
                else:
                    fail(f"{where} {probe_name}: a probe kind this test does not run")

# --- The local stack -------------------------------------------------------------------------

def ports_of(service):
    index = SERVICES.index(service) if service in SERVICES else len(SERVICES)
    return {"grpc": BASE + index, "metrics": BASE + 100 + index, "http": BASE + 50}


def container_port(service, port):
    """The loopback port a manifest's container port stands for."""
    compose_env = compose["services"][service].get("environment") or {}
    if str(port) == str(compose_env.get("LAYAR_GRPC_PORT")):
        return ports_of(service)["grpc"]
    if str(port) == str(compose_env.get("LAYAR_METRICS_PORT")):
        return ports_of(service)["metrics"]
    if str(port) == str(compose_env.get("LAYAR_PORTAL_PORT")):
        return ports_of(service)["http"]
    fail(f"{service}: no local port for container port {port}")


def environment(service):
    variables = {key: value for key, value in env.items() if not key.startswith("LAYAR_") or key in (
        "LAYAR_TOKEN_KEYS_DIR", "LAYAR_TOKEN_SIGNING_KEY_FILE", "LAYAR_TOKEN_SIGNING_KEY_ID")}
    role = "portal" if service == "portal" else service
    variables["LAYAR_DATABASE_URL"] = env["LAYAR_DEPLOY_DATABASE_URL"].replace("{service}", role)
    variables["LAYAR_LOG_FORMAT"] = "json"
    if service == "portal":
        variables.update({
            "LAYAR_PORTAL_PORT": str(ports_of("portal")["http"]),
            "LAYAR_PORTAL_ADMIN_USER": "admin", "LAYAR_PORTAL_ADMIN_PASSWORD": "layar-admin-dev",
            "LAYAR_PORTAL_DEV_PASSWORDS": "allow",
        })
        for backend in ("intake", "verification", "assignment", "survey"):
            variables[f"LAYAR_{backend.upper()}_ADDR"] = f"127.0.0.1:{ports_of(backend)['grpc']}"
    else:
        variables.update({
            "LAYAR_GRPC_PORT": str(ports_of(service)["grpc"]), "LAYAR_METRICS_PORT": str(ports_of(service)["metrics"]),
            "LAYAR_DATA_KEYS_DIR": str(pathlib.Path(env["LAYAR_DATA_KEYS_ROOT"]) / service),
        })
    return variables


def local_argv(product, argv):
    return image_argv(BIN, product, argv)


def run_once(product, service, where, argv, timeout=120):
    result = subprocess.run(local_argv(product, argv), env=environment(service), capture_output=True, text=True, timeout=timeout)
    return result.returncode, (result.stdout + result.stderr).strip()[-2000:]


def probe(service, kind, target):
    if kind == "grpc":
        # grpc.health.v1 Check, as the kubelet asks it: the service's own probe client.
        port = container_port(service, target)
        variables = environment(service) | {"LAYAR_GRPC_PORT": str(port)}
        return subprocess.run([str(BIN / products[service]), "healthcheck"], env=variables, capture_output=True, timeout=20).returncode == 0
    port, path = target
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{container_port(service, port)}{path}", timeout=5) as response:
            return 200 <= response.status < 400
    except OSError:
        return False


running = []


def stop(process, where):
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        fail(f"{where}: did not stop within 20 s of SIGTERM")
    if code != 0:
        fail(f"{where}: exited {code} after SIGTERM (see {LOGS})")


def main():
    checked = 0
    try:
        for service in order:
            product = products[service]
            plan = plans[product]
            for where, argv in plan["check"]:
                code, output = run_once(product, service, where, argv)
                if code == 0:
                    fail(f"{product}: `{' '.join(argv)}` ({where}) passes while nothing serves")
                if code == 64:
                    fail(f"{product}: `{' '.join(argv)}` ({where}) is not a command it knows: {output}")
                checked += 1
            for where, argv in plan["once"]:
                code, output = run_once(product, service, where, argv)
                if code != 0:
                    fail(f"{product}: `{' '.join(argv)}` ({where}) exited {code}: {output}")
                say(f"{product}: `{' '.join(argv[1:])}` ({where}) exited 0")
                checked += 1
            for index, (where, argv) in enumerate(plan["long"]):
                log = open(LOGS / f"{service}-{index}.log", "w")
                process = subprocess.Popen(local_argv(product, argv), env=environment(service), stdout=log, stderr=subprocess.STDOUT)
                running.append((process, where))  # stopped at the end whatever happens
                deadline = time.monotonic() + 60
                pending = list(plan["check"]) + list(plan["probes"])
                while pending and time.monotonic() < deadline:
                    if process.poll() is not None:
                        fail(f"{product}: `{' '.join(argv)}` ({where}) exited {process.returncode} (see {log.name})")
                    still = []
                    for item in pending:
                        if len(item) == 2:
                            ok = run_once(product, service, item[0], item[1], timeout=20)[0] == 0
                        else:
                            ok = probe(service, item[1], item[2])
                        if not ok:
                            still.append(item)
                    pending = still
                    if pending:
                        time.sleep(0.5)
                if pending:
                    fail(f"{product}: `{' '.join(argv)}` ({where}) never passed {[item[0] for item in pending]} (see {log.name})")
                say(f"{product}: `{' '.join(argv[1:]) or '(no arguments)'}` ({where}) serves; "
                    f"{len(plan['check'])} health-check commands and {len(plan['probes'])} probes pass")
                checked += 1 + len(plan["check"]) + len(plan["probes"])
                if index < len(plan["long"]) - 1:
                    running.remove((process, where))
                    stop(process, where)
        say(f"{checked} commands and probes from compose.yaml, the Dockerfile and deploy/k8s passed for {len(order)} images")
    finally:
        for process, where in reversed(running):
            if process.poll() is None:
                stop(process, where)


main()
