#!/usr/bin/env python3
"""Static checks of the deployment files (no Docker engine or cluster needed):

- deploy/compose.yaml validates against the Compose Specification schema;
- deploy/docker/Dockerfile: pinned bases, a non-root final user, a health check, exec-form entry
  point, apt caches removed; every compose image builds an executable product of Package.swift;
- deploy/k8s: well-formed, every resource listed by kustomize exists, Deployments have probes,
  resources, a non-root security context, a Service, a PodDisruptionBudget and (services) a
  migration Job, replicas within the topics' partitions, images the compose file builds;
- environment: every variable set for a service in compose or Kubernetes is one that service reads
  (no typos), and every variable it requires is set (read from the Swift sources).

Exits non-zero listing every problem.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
problems = []


def problem(text):
    problems.append(text)


# --- What each executable reads -------------------------------------------------------------

READ = re.compile(r'(?:reader\.|\b)(required|optional|integer|choice|readableFile)\(\s*"((?:LAYAR|KAFKA)_[A-Z0-9_]+)"')


def variables_in(paths):
    read, required = set(), set()
    for path in paths:
        text = path.read_text()
        for kind, name in READ.findall(text):
            read.add(name)
            if kind == "required":
                required.add(name)
        # Tables of names read in a loop: ("LAYAR_INTAKE_ADDR", \.intake), ("LAYAR_SMS", ...).
        read.update(re.findall(r'\(\s*"((?:LAYAR|KAFKA)_[A-Z0-9_]+)"\s*,', text))
        for prefix in re.findall(r'"((?:LAYAR)_[A-Z]+)",\s*\[', text):
            read.update(f"{prefix}_{suffix}" for suffix in ("PROVIDER", "URL", "TOKEN", "ACCOUNT", "FROM"))
    return read, required


runtime_read, runtime_required = variables_in((ROOT / "Shared/Runtime/Configuration").glob("*.swift"))
SERVICES = ["intake", "verification", "assignment", "notification", "survey"]
reads = {}
for service in SERVICES:
    own, own_required = variables_in((ROOT / f"Services/{service.capitalize()}/Sources").rglob("*.swift"))
    reads[service] = (runtime_read | own, runtime_required | own_required)
portal_read, portal_required = variables_in((ROOT / "Services/Portal").rglob("*.swift"))
reads["portal"] = (portal_read | {"LAYAR_LOG_LEVEL", "LAYAR_LOG_FORMAT"}, portal_required)
for name, (read, required) in reads.items():
    if "LAYAR_DATABASE_URL" not in required:
        problem(f"reading the sources failed: {name} does not seem to require LAYAR_DATABASE_URL")


def check_environment(where, executable, names):
    read, required = reads[executable]
    for name in sorted(set(names) - read):
        problem(f"{where}: sets {name}, which layar-{executable} never reads")
    for name in sorted(required - set(names)):
        problem(f"{where}: does not set {name}, which layar-{executable} requires")


# --- Package.swift products ------------------------------------------------------------------

package = (ROOT / "Package.swift").read_text()
executables = set(re.findall(r'\.executable\(name: "([a-z-]+)"', package))
executables |= {f"layar-{name.lower()}" for name in re.findall(r'"(Intake|Verification|Assignment|Notification|Survey)"', package)}

# --- Compose ---------------------------------------------------------------------------------

compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
schema = json.loads((ROOT / "Tests/Schemas/compose-spec.json").read_text())
for error in sorted(jsonschema.Draft7Validator(schema).iter_errors(compose), key=lambda e: list(e.path)):
    problem(f"compose.yaml {'/'.join(map(str, error.path))}: {error.message}")

compose_images = {}
for name in SERVICES + ["portal"]:
    service = compose.get("services", {}).get(name)
    if not service:
        problem(f"compose.yaml: no service {name}")
        continue
    build = service.get("build", {})
    product = build.get("args", {}).get("PRODUCT")
    if build.get("dockerfile") != "deploy/docker/Dockerfile" or product != f"layar-{name}" or product not in executables:
        problem(f"compose.yaml: {name} must build layar-{name} (an executable of Package.swift) from deploy/docker/Dockerfile")
    compose_images[name] = service.get("image", "").split(":")[0]
    if "healthcheck" not in service:
        problem(f"compose.yaml: {name} has no health check")
    check_environment(f"compose.yaml {name}", name, service.get("environment", {}).keys())
    depends = service.get("depends_on", {})
    if not {"postgres", "kafka-init"} <= set(depends):
        problem(f"compose.yaml: {name} must start after postgres and kafka-init")
kafka = compose["services"].get("kafka", {})
kafka_env = kafka.get("environment", {})
if "PARTNER:SASL_SSL" not in kafka_env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", ""):
    problem("compose.yaml: Kafka needs a SASL_SSL listener for partners")
if kafka_env.get("KAFKA_SASL_ENABLED_MECHANISMS") != "SCRAM-SHA-512":
    problem("compose.yaml: partners authenticate with SCRAM-SHA-512")
if str(kafka_env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")).lower() != "false":
    problem("compose.yaml: Kafka must deny by default")
if not kafka.get("image", "").startswith("apache/kafka:"):
    problem("compose.yaml: Kafka runs from the apache/kafka image")
published = [port for name, service in compose["services"].items() for port in service.get("ports", [])]
for port in published:
    if not str(port).startswith("127.0.0.1:"):
        problem(f"compose.yaml: {port} is published beyond loopback")
# dev-secrets.sh, run in a scratch copy, must produce every ${...} compose.yaml interpolates.
with tempfile.TemporaryDirectory() as scratch:
    shutil.copytree(DEPLOY, pathlib.Path(scratch) / "deploy", ignore=shutil.ignore_patterns(".secrets", ".env"))
    run = subprocess.run(["bash", str(pathlib.Path(scratch) / "deploy/dev-secrets.sh")], capture_output=True, text=True)
    env_file = pathlib.Path(scratch) / "deploy/.env"
    if run.returncode != 0 or not env_file.exists():
        problem(f"dev-secrets.sh failed: {run.stderr.strip()}")
    else:
        generated = set(re.findall(r"^([A-Z0-9_]+)=", env_file.read_text(), re.M))
        for reference in sorted(set(re.findall(r"\$\{([A-Z0-9_]+)", (DEPLOY / "compose.yaml").read_text())) - generated):
            problem(f"compose.yaml: ${{{reference}}} is not generated by dev-secrets.sh")
        for name in ["broker.p12", "ca.crt", "partners.txt", "token-signing.pem", "token-keys/dev-1.pem", "kafka-admin.properties"] + [
            f"kafka-users/layar-{service}" for service in SERVICES + ["operator"]
        ]:
            if not (pathlib.Path(scratch) / "deploy/.secrets" / name).exists():
                problem(f"dev-secrets.sh: no .secrets/{name}, which compose.yaml mounts")
roles = re.search(r"for role in ([a-z ]+); do", (DEPLOY / "postgres/init-roles.sh").read_text()).group(1).split()
if sorted(roles) != sorted(SERVICES + ["portal"]):
    problem(f"postgres/init-roles.sh creates roles {roles}, expected one per service and the portal")
# The topics kafka-init creates (deploy/kafka/layar-kafka.txt, generated from the topic table and
# compared with it by the Swift suite) include every LayarTopic and the seeded institutions' topics.
table = (DEPLOY / "kafka/layar-kafka.txt").read_text()
created = set(re.findall(r"^topic (\S+)$", table, re.M))
seeded = set(re.findall(r"'(layar\.partner\.[a-z-]+)'", (ROOT / "Services/Assignment/Sources/Storage/AssignmentMigrations.swift").read_text()))
if not {f"{prefix}.referrals.v1" for prefix in seeded} <= created:
    problem(f"kafka/layar-kafka.txt lacks seeded partner topics: {sorted({f'{p}.referrals.v1' for p in seeded} - created)}")
service_topics = set(re.findall(r'= "(layar\.[a-z]+\.[a-z]+\.v1)"', (ROOT / "Shared/LayarSchema/LayarTopic.swift").read_text()))
if not service_topics <= created:
    problem("kafka/layar-kafka.txt does not create every topic of LayarTopic")
compose_text = (DEPLOY / "compose.yaml").read_text()
if "ANONYMOUS" in compose_text:
    problem("compose.yaml: User:ANONYMOUS appears (no listener may take unauthenticated clients)")
listener_map = yaml.safe_load(compose_text)["services"]["kafka"]["environment"]["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
for listener in listener_map.split(","):
    name, protocol = listener.split(":")
    if protocol not in ("SSL", "SASL_SSL"):
        problem(f"compose.yaml: Kafka listener {name} is {protocol}: every listener must use TLS")

# --- Dockerfile ------------------------------------------------------------------------------

dockerfile = (DEPLOY / "docker/Dockerfile").read_text()
arguments = dict(re.findall(r"^ARG (\w+)=(\S+)", dockerfile, re.M))
stages = re.findall(r"^FROM (\S+)", dockerfile, re.M)
for base in stages:
    image = re.sub(r"\$\{(\w+)\}", lambda m: arguments.get(m.group(1), m.group(0)), base)
    tag = image.split(":", 1)[1] if ":" in image else ""
    if "$" in image or not tag or tag == "latest" or not re.search(r"\d", tag):
        problem(f"Dockerfile: base {base} ({image}) is not pinned to a version")
final = dockerfile[dockerfile.rindex("\nFROM "):]
user = re.findall(r"^USER (\S+)", final, re.M)
if not user or user[-1].split(":")[0] in ("root", "0"):
    problem("Dockerfile: the final stage must switch to a non-root USER")
if not re.search(r"^HEALTHCHECK .*CMD \[", final, re.M):
    problem("Dockerfile: the final stage needs an exec-form HEALTHCHECK")
if not re.search(r'^ENTRYPOINT \["', final, re.M):
    problem("Dockerfile: ENTRYPOINT must be exec form (signals reach the service)")
for run in re.findall(r"^RUN ((?:.*\\\n)*.*)$", dockerfile, re.M):
    if "apt-get install" in run and "rm -rf /var/lib/apt/lists" not in run:
        problem("Dockerfile: apt lists must be removed in the RUN that installs")
    if "apt-get install" in run and "--no-install-recommends" not in run:
        problem("Dockerfile: apt-get install without --no-install-recommends")
# The build context is the checkout: BuildKit's Dockerfile-specific ignore file keeps local builds,
# data and secrets out of it (the top level holds no .dockerignore).
ignore_file = DEPLOY / "docker/Dockerfile.dockerignore"
ignored = ignore_file.read_text().split() if ignore_file.exists() else []
for pattern in (".build", ".data", "deploy/.secrets", ".git"):
    if pattern not in ignored:
        problem(f"docker/Dockerfile.dockerignore: does not keep {pattern} out of the build context")
if re.search(r"^ADD\s+https?://", dockerfile, re.M):
    problem("Dockerfile: no ADD from URLs")
for library in ("librdkafka1", "libpq5"):
    if library not in final:
        problem(f"Dockerfile: the runtime image lacks {library}")
if "--static-swift-stdlib" not in dockerfile:
    problem("Dockerfile: link the Swift runtime statically (the runtime image has none)")

# --- Kubernetes ------------------------------------------------------------------------------

K8S = DEPLOY / "k8s"
documents = {}
for path in sorted(K8S.rglob("*.yaml")):
    try:
        documents[path] = [d for d in yaml.safe_load_all(path.read_text()) if d]
    except yaml.YAMLError as error:
        problem(f"{path.relative_to(ROOT)}: {error}")
base = K8S / "base"
kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
for resource in kustomization.get("resources", []):
    if not (base / resource).exists():
        problem(f"k8s/base/kustomization.yaml lists a missing {resource}")
resources = [d for r in kustomization.get("resources", []) if (base / r).exists() for d in documents[base / r]]
for path, docs in documents.items():
    for doc in docs:
        if path.name != "kustomization.yaml" and not {"apiVersion", "kind", "metadata"} <= set(doc):
            problem(f"{path.relative_to(ROOT)}: a document lacks apiVersion, kind or metadata")

config_keys = set()
for doc in resources:
    if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "layar-config":
        config_keys = set(doc.get("data", {}))

partitions = int(re.search(r"LAYAR_TOPIC_PARTITIONS:-(\d+)", (DEPLOY / "kafka/init-kafka.sh").read_text()).group(1))
overlay_replicas = {}
overlay_patches = []  # (path, Deployment document) of the overlays' strategic-merge patches
# Written for kustomize v2.0.3 (Debian 12's kubectl 1.20) too: none of its unknown fields, and
# directories (bases) only under `bases:`.
for path in K8S.rglob("kustomization.yaml"):
    kustomization_file = yaml.safe_load(path.read_text())
    for field in ("labels", "replicas", "patches", "components", "replacements", "sortOptions", "helmCharts"):
        if field in kustomization_file:
            problem(f"{path.relative_to(ROOT)}: `{field}:` is unknown to kustomize v2.0.3 (kubectl 1.20)")
    for resource in kustomization_file.get("resources", []):
        if (path.parent / resource).is_dir():
            problem(f"{path.relative_to(ROOT)}: the directory {resource} belongs under `bases:` for kustomize v2.0.3")
for path in (K8S / "overlays").rglob("kustomization.yaml"):
    overlay = yaml.safe_load(path.read_text())
    for resource in overlay.get("resources", []) + overlay.get("bases", []) + overlay.get("patchesStrategicMerge", []):
        if not (path.parent / resource).exists():
            problem(f"{path.relative_to(ROOT)} lists a missing {resource}")
    for patch in overlay.get("patchesStrategicMerge", []):
        if (path.parent / patch).is_file():
            for doc in documents.get(path.parent / patch, []):
                if doc.get("kind") == "Deployment":
                    overlay_patches.append((path.parent / patch, doc))
                    if "replicas" in doc.get("spec", {}):
                        overlay_replicas[(path, doc["metadata"]["name"])] = doc["spec"]["replicas"]


def by_kind(kind):
    return {d["metadata"]["name"]: d for d in resources if d["kind"] == kind}


deployments, services, budgets, jobs = by_kind("Deployment"), by_kind("Service"), by_kind("PodDisruptionBudget"), by_kind("Job")
for name in SERVICES + ["portal"]:
    deployment = deployments.get(f"layar-{name}")
    if not deployment:
        problem(f"k8s: no Deployment layar-{name}")
        continue
    spec = deployment["spec"]
    if spec.get("replicas", 1) > partitions:
        problem(f"k8s: layar-{name} has more replicas than the {partitions} partitions")
    for (path, target), count in overlay_replicas.items():
        if target == f"layar-{name}" and count > partitions:
            problem(f"{path.relative_to(ROOT)}: layar-{name} × {count} exceeds the {partitions} partitions")
    pod = spec["template"]["spec"]
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        problem(f"k8s: layar-{name} must run as non-root")
    labels = spec["template"]["metadata"]["labels"]
    for container in pod["containers"]:
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in container:
                problem(f"k8s: layar-{name} lacks a {probe}")
        limits = container.get("resources", {})
        if not limits.get("requests") or not limits.get("limits"):
            problem(f"k8s: layar-{name} needs resource requests and limits")
        image = container["image"].split(":")[0]
        if image != compose_images.get(name):
            problem(f"k8s: layar-{name} runs {image}, compose builds {compose_images.get(name)}")
        env = container.get("env", [])
        check_environment(f"k8s layar-{name}", name, [e["name"] for e in env])
        for entry in env:
            reference = entry.get("valueFrom", {}).get("configMapKeyRef")
            if reference and reference["key"] not in config_keys:
                problem(f"k8s: layar-{name} reads {reference['key']}, which layar-config lacks")
    service = services.get(f"layar-{name}")
    if not service or any(labels.get(k) != v for k, v in service["spec"]["selector"].items()):
        problem(f"k8s: no Service selecting layar-{name}")
    budget = budgets.get(f"layar-{name}")
    if not budget or any(labels.get(k) != v for k, v in budget["spec"]["selector"]["matchLabels"].items()):
        problem(f"k8s: no PodDisruptionBudget for layar-{name}")
    if name != "portal":
        job = jobs.get(f"layar-{name}-migrate")
        containers = job["spec"]["template"]["spec"]["containers"] if job else []
        if not containers or containers[0].get("args") != ["migrate"] or containers[0]["image"].split(":")[0] != compose_images.get(name):
            problem(f"k8s: no migration Job running `migrate` for layar-{name}")
        else:
            check_environment(f"k8s layar-{name}-migrate", name, [e["name"] for e in containers[0].get("env", [])])

# An overlay's patches add to the base's environment: what they set must be read (the base has
# what is required).
for path, patch in overlay_patches:
    name = patch["metadata"]["name"].removeprefix("layar-")
    if name not in reads:
        problem(f"{path.relative_to(ROOT)}: patches {patch['metadata']['name']}, which is no LAYAR Deployment")
        continue
    for container in patch.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
        for variable in sorted({e["name"] for e in container.get("env", [])} - reads[name][0]):
            problem(f"{path.relative_to(ROOT)}: sets {variable} for {patch['metadata']['name']}, which layar-{name} never reads")

if problems:
    print("deployment checks failed:\n  - " + "\n  - ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"deployment checks: compose ({len(compose['services'])} services) valid against the Compose Specification; "
      f"Dockerfile ({len(stages)} stages) pinned and non-root; {sum(len(d) for d in documents.values())} Kubernetes documents "
      f"consistent; environment of {len(reads)} executables consistent")
