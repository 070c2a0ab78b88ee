"""What the deployment files say, read once for the scripts that run them.

Used by run_deploy_commands.py (every command and probe, on this build's executables) and
compose_rehearsal.py (compose.yaml started without Docker).
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Where the image installs its one executable (Dockerfile: `install ... /out/layar`, `COPY ... /usr/local/bin/layar`).
IMAGE_BINARY = "/usr/local/bin/layar"


def fail(prefix, text):
    print(f"[{prefix}] FAILED: {text}", file=sys.stderr)
    sys.exit(1)


def final_stage(dockerfile=None):
    text = (dockerfile or DEPLOY / "docker/Dockerfile").read_text().replace("\\\n", " ")
    return text[text.rindex("\nFROM "):]


def dockerfile_instruction(name, dockerfile=None):
    """The final stage's exec-form instruction `name` (its JSON array), or None."""
    found = re.findall(rf"^{name}\b.*?(\[.*\])\s*$", final_stage(dockerfile), re.MULTILINE)
    return json.loads(found[-1]) if found else None


def dockerfile_environment(dockerfile=None):
    """The final stage's `ENV name=value ...` settings."""
    variables = {}
    for line in re.findall(r"^ENV\s+(.*)$", final_stage(dockerfile), re.MULTILINE):
        for name, value in re.findall(r'([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)', line):
            variables[name] = value.strip('"')
    return variables


def healthcheck_argv(test, where):
    """A compose or Dockerfile health-check test as the argv the image runs (exec form only)."""
    if not test or test[0] != "CMD":
        fail("deploy", f"{where}: health check {test} is not exec form (CMD)")
    return list(test[1:])


def layar_services(compose):
    """compose service name -> its product (build arg PRODUCT), for the services built from our image."""
    services = {}
    for name, service in compose["services"].items():
        product = ((service.get("build") or {}).get("args") or {}).get("PRODUCT")
        if product:
            services[name] = product
    return services


def start_argv(service):
    """What the container runs: compose's entrypoint/command over the image's ENTRYPOINT/CMD."""
    entrypoint = service.get("entrypoint") or dockerfile_instruction("ENTRYPOINT") or []
    command = service.get("command") or dockerfile_instruction("CMD") or []
    return list(entrypoint) + list(command)


def dependency_order(compose, names):
    """`names` ordered so that each comes after the services it depends on (compose's depends_on)."""
    ordered, seen = [], set()

    def visit(name, path):
        if name in seen:
            return
        if name in path:
            fail("deploy", f"compose.yaml: a depends_on cycle through {name}")
        for dependency in compose["services"][name].get("depends_on") or {}:
            if dependency in names:
                visit(dependency, path | {name})
        seen.add(name)
        ordered.append(name)

    for name in names:
        visit(name, set())
    return ordered


def local_argv(bin_dir, product, argv):
    """The image's argv, run with this build's executable of `product`."""
    if not argv or argv[0] != IMAGE_BINARY:
        fail("deploy", f"{product}: {argv} does not run the image's executable {IMAGE_BINARY}")
    return [str(pathlib.Path(bin_dir) / product)] + list(argv[1:])
