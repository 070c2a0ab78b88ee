#!/usr/bin/env python3
"""Static checks of the published contracts: the partner topics' AsyncAPI document is valid AsyncAPI
3.0.0 and inlines exactly the committed proto. Exits 1 naming every problem."""
import json
import pathlib
import sys

import jsonschema
import yaml

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


def main() -> int:
    problems = check_asyncapi()
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"contracts: {'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
