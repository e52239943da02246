"""Checks Chokepoint's FollowTheMoney export with the followthemoney library itself.

Usage: ftm_check.py FILE.ftm.json [...]. Each line must be an entity that the library's model
accepts: a known, non-abstract schema; only properties of that schema; every value valid for
its property's type (dates, countries, URLs, e-mails, numbers ...); every required property
present; every entity-typed value the id of an entity in the same file; ids unique. Prints one
line per file and every problem found, and exits 1 if there is any.
"""

import json
import sys

from followthemoney import model
from followthemoney.types import registry


def check(path):
    problems = []
    entities = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entities.append((number, json.loads(line)))
            except json.JSONDecodeError as e:
                problems.append(f"line {number}: not JSON: {e}")
    ids = {}
    for number, data in entities:
        eid = data.get("id")
        if not eid:
            problems.append(f"line {number}: no id")
        elif eid in ids:
            problems.append(f"line {number}: id {eid} also on line {ids[eid]}")
        else:
            ids[eid] = number
    for number, data in entities:
        where = f"line {number} ({data.get('id')})"
        schema = model.get(data.get("schema", ""))
        if schema is None:
            problems.append(f"{where}: unknown schema {data.get('schema')!r}")
            continue
        if schema.abstract:
            problems.append(f"{where}: abstract schema {schema.name}")
        props = data.get("properties", {})
        for name, values in props.items():
            prop = schema.get(name)
            if prop is None:
                problems.append(f"{where}: {schema.name} has no property {name!r}")
                continue
            if not isinstance(values, list) or not values:
                problems.append(f"{where}: {name} is not a non-empty list of values")
                continue
            for value in values:
                if not isinstance(value, str):
                    problems.append(f"{where}: {name} value {value!r} is not a string")
                elif prop.type == registry.entity:
                    if value not in ids:
                        problems.append(f"{where}: {name} refers to missing entity {value!r}")
                elif not prop.type.validate(value):
                    problems.append(f"{where}: {name} value {value!r} is not a valid {prop.type.name}")
        for name in schema.required:
            if not props.get(name):
                problems.append(f"{where}: required property {name} missing")
        try:
            schema.validate(data)
            proxy = model.get_proxy(data, cleaned=False)
            proxy.to_dict()
        except Exception as e:  # the library's own refusal, whatever its type
            problems.append(f"{where}: the library refuses it: {e}")
    print(f"{path}: {len(entities)} entities, {len(problems)} problems")
    for p in problems:
        print("  ", p)
    return not problems


def main():
    ok = all([check(p) for p in sys.argv[1:]])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
