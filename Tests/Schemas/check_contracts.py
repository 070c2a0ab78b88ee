#!/usr/bin/env python3
"""Static checks of the published contracts: the partner topics' AsyncAPI document is valid AsyncAPI
3.0.0 and inlines exactly the committed proto; the .proto files evolve compatibly with the released
baseline (proto/baseline). Exits 1 naming every problem."""
import copy
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema
import yaml
from google.protobuf import descriptor_pb2

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = pathlib.Path(__file__).resolve().parent


def check_asyncapi() -> list[str]:
    document = yaml.safe_load((ROOT / "proto/layar/partner/v1/asyncapi.yaml").read_text())
    schema = json.loads((SCHEMAS / "asyncapi-3.0.0.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    problems = [f"asyncapi.yaml: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    proto = (ROOT / "proto/layar/partner/v1/offers.proto").read_text()
    for name, message in document["components"]["messages"].items():
        if message["payload"]["schema"] != proto:
            problems.append(f"asyncapi.yaml: {name} does not inline proto/layar/partner/v1/offers.proto as it is")
    if "layar.partner.{agency}.referrals.v1" not in document["channels"]["agencyReferrals"]["address"]:
        problems.append("asyncapi.yaml: the channel address is not the partner topic pattern")
    return problems


def descriptor_set(path: pathlib.Path) -> descriptor_pb2.FileDescriptorSet:
    files = descriptor_pb2.FileDescriptorSet()
    files.ParseFromString(path.read_bytes())
    return files


def current_descriptor_set() -> descriptor_pb2.FileDescriptorSet:
    protos = sorted(str(p.relative_to(ROOT / "proto")) for p in (ROOT / "proto").rglob("*.proto"))
    with tempfile.TemporaryDirectory() as scratch:
        out = pathlib.Path(scratch) / "current.binpb"
        subprocess.run(["protoc", "-I", ".", f"--descriptor_set_out={out}", *protos], cwd=ROOT / "proto", check=True)
        return descriptor_set(out)


def index(files: descriptor_pb2.FileDescriptorSet) -> tuple[dict, dict, dict]:
    """Messages, enums and services by full name."""
    messages, enums, services = {}, {}, {}

    def walk(prefix: str, message_types, enum_types):
        for message in message_types:
            name = f"{prefix}.{message.name}"
            messages[name] = message
            walk(name, message.nested_type, message.enum_type)
        for enum in enum_types:
            enums[f"{prefix}.{enum.name}"] = enum

    for file in files.file:
        walk(file.package, file.message_type, file.enum_type)
        for service in file.service:
            services[f"{file.package}.{service.name}"] = service
    return messages, enums, services


def reserved(ranges, number: int, inclusive_end: bool = False) -> bool:
    """Message reserved ranges end before `end`; enum reserved ranges include it."""
    return any(r.start <= number < r.end + (1 if inclusive_end else 0) for r in ranges)


def evolution_problems(old: descriptor_pb2.FileDescriptorSet, new: descriptor_pb2.FileDescriptorSet) -> list[str]:
    """What breaks readers of the old contract: removed or renumbered fields, changed types, reused
    reserved numbers, removed enum values, removed or retyped RPCs."""
    problems = []
    old_messages, old_enums, old_services = index(old)
    new_messages, new_enums, new_services = index(new)
    for name, before in old_messages.items():
        after = new_messages.get(name)
        if after is None:
            problems.append(f"message {name} removed")
            continue
        fields = {field.number: field for field in after.field}
        for field in before.field:
            now = fields.get(field.number)
            if now is None:
                if not reserved(after.reserved_range, field.number):
                    problems.append(f"{name}.{field.name} (= {field.number}) removed without reserving its number")
            elif (now.name, now.type, now.label, now.type_name) != (field.name, field.type, field.label, field.type_name):
                problems.append(f"{name}.{field.name} (= {field.number}) changed to {now.name}, type {now.type}, label {now.label}")
        for field in after.field:
            if reserved(before.reserved_range, field.number) or field.name in before.reserved_name:
                problems.append(f"{name}.{field.name} reuses reserved number or name {field.number}")
    for name, before in old_enums.items():
        after = new_enums.get(name)
        if after is None:
            problems.append(f"enum {name} removed")
            continue
        values = {value.number for value in after.value}
        for value in before.value:
            if value.number not in values and not reserved(after.reserved_range, value.number, inclusive_end=True):
                problems.append(f"{name}.{value.name} (= {value.number}) removed without reserving it")
    for name, before in old_services.items():
        after = {method.name: method for method in new_services.get(name, descriptor_pb2.ServiceDescriptorProto()).method}
        for method in before.method:
            now = after.get(method.name)
            if now is None:
                problems.append(f"rpc {name}.{method.name} removed")
            elif (now.input_type, now.output_type) != (method.input_type, method.output_type):
                problems.append(f"rpc {name}.{method.name} changed its request or response type")
    return problems


def check_evolution() -> list[str]:
    baseline = descriptor_set(ROOT / "proto/baseline/layar-v1.binpb")
    problems = evolution_problems(baseline, current_descriptor_set())
    # The checker checks itself: a removed field and a retyped one must be caught.
    broken = copy.deepcopy(baseline)
    message = next(m for f in broken.file for m in f.message_type if len(m.field) > 1)
    del message.field[0]
    message.field[0].type = descriptor_pb2.FieldDescriptorProto.TYPE_BYTES if message.field[0].type != descriptor_pb2.FieldDescriptorProto.TYPE_BYTES else descriptor_pb2.FieldDescriptorProto.TYPE_STRING
    if len(evolution_problems(baseline, broken)) < 2:
        problems.append("check_contracts.py: the evolution check missed a removed and a retyped field")
    return problems


def main() -> int:
    problems = check_asyncapi() + check_evolution()
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"contracts: {'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
