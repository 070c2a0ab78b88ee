#!/usr/bin/env python3
"""The personal-data inventory of the topics (issue: security and personal data).

Builds the descriptor set of proto/, walks every field (nested messages included) of every
event (Shared/LayarSchema/LayarEvent.swift says which topic each travels on) and partner message,
and checks it against proto/personal-data.yaml: every field classified, no field listed that does
not exist, and every field's class allowed on its topic. Prints the inventory's counts.
"""
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml
from google.protobuf import descriptor_pb2

ROOT = pathlib.Path(__file__).resolve().parents[2]


def descriptor_set():
    protos = sorted(str(p.relative_to(ROOT / "proto")) for p in (ROOT / "proto").rglob("*.proto"))
    with tempfile.TemporaryDirectory() as scratch:
        out = pathlib.Path(scratch) / "all.binpb"
        subprocess.run(["protoc", "-I", ".", "--include_imports", f"--descriptor_set_out={out}", *protos], cwd=ROOT / "proto", check=True)
        files = descriptor_pb2.FileDescriptorSet()
        files.ParseFromString(out.read_bytes())
        return files


def messages(files):
    found = {}

    def walk(prefix, items):
        for message in items:
            name = f"{prefix}.{message.name}"
            found[name] = message
            walk(name, message.nested_type)

    for file in files.file:
        walk(file.package, file.message_type)
    return found


def field_paths(known, name, prefix="", seen=()):
    paths = []
    for field in known[name].field:
        path = prefix + field.name
        nested = field.type_name.lstrip(".")
        if field.type == field.TYPE_MESSAGE and not nested.startswith("google.") and nested not in seen:
            paths += field_paths(known, nested, path + ".", seen + (nested,))
        else:
            paths.append(path)
    return paths


def main():
    inventory = yaml.safe_load((ROOT / "proto/personal-data.yaml").read_text())
    known = messages(descriptor_set())
    swift_topics = dict(re.findall(r'case (\w+) = "([^"]+)"', (ROOT / "Shared/LayarSchema/LayarTopic.swift").read_text()))
    events = re.findall(
        r'extension Layar_V1_(\w+): LayarEvent \{\s*public static let eventType = "[^"]+"\s*public static let topic = LayarTopic\.(\w+)',
        (ROOT / "Shared/LayarSchema/LayarEvent.swift").read_text(),
    )
    travels = {f"layar.v1.{message}": swift_topics[case] for message, case in events}
    for message in re.findall(r"extension Layar_Partner_V1_(\w+): PartnerMessage", (ROOT / "Shared/LayarSchema/PartnerMessage.swift").read_text()):
        travels[f"layar.partner.v1.{message}"] = "partner"
    problems, counts = [], {}
    for message, topic in sorted(travels.items()):
        allowed = inventory["topics"].get(topic)
        if allowed is None:
            problems.append(f"{topic}: not in proto/personal-data.yaml's topics")
            continue
        listed = inventory["messages"].get(message, {})
        paths = field_paths(known, message)
        for path in paths:
            kind = listed.get(path)
            if kind is None:
                problems.append(f"{message}.{path} ({topic}): not classified in proto/personal-data.yaml")
            elif kind not in allowed:
                problems.append(f"{message}.{path}: {kind} data may not travel on {topic} (allowed: {', '.join(allowed)})")
            else:
                counts[kind] = counts.get(kind, 0) + 1
        for path in sorted(set(listed) - set(paths)):
            problems.append(f"{message}.{path}: listed in proto/personal-data.yaml but not a field")
    for message in sorted(set(inventory["messages"]) - set(travels)):
        problems.append(f"{message}: listed but travels on no topic")
    if problems:
        print("personal-data inventory:\n  " + "\n  ".join(problems))
        return 1
    print(f"personal-data inventory: {len(travels)} messages, {sum(counts.values())} fields ("
          + ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items())) + "): OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
