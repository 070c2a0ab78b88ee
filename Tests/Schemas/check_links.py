#!/usr/bin/env python3
"""Every relative link in the project's Markdown files leads somewhere: the file exists and, for a
link with an anchor, the target has a heading with that GitHub-style slug. The top README stays a
page a newcomer reads (at most 300 lines); the rest lives in each folder's README.

Run by deploy/local/test.sh; exits 1 naming each broken link.
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")
TOP_README_LINES = 300


def markdown_files():
    listed = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in listed.splitlines() if line]


def prose(path):
    """The file's lines outside code fences, numbered from 1."""
    inside = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            inside = not inside
            continue
        if not inside:
            yield number, line


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        found, seen = set(), {}
        for _, line in prose(path):
            match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if match:
                base = slug(match.group(1))
                count = seen.get(base, 0)
                seen[base] = count + 1
                found.add(base if count == 0 else f"{base}-{count}")
        cache[path] = found
    return cache[path]


def main():
    problems, checked = [], 0
    for path in markdown_files():
        for number, line in prose(path):
            for target in LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                    continue
                checked += 1
                file_part, _, anchor = target.partition("#")
                destination = (path.parent / file_part).resolve() if file_part else path
                where = f"{path.relative_to(ROOT)}:{number}"
                if not destination.exists():
                    problems.append(f"{where}: {target} (no such file)")
                elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
                    problems.append(f"{where}: {target} (no heading #{anchor} in {destination.relative_to(ROOT)})")
    top = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    if top > TOP_README_LINES:
        problems.append(f"README.md has {top} lines: at most {TOP_README_LINES} (move the detail to a folder's README)")
    for problem in problems:
        print(f"broken link: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"links: {checked} relative links in {len(markdown_files())} Markdown files lead somewhere; README.md {top} lines")


if __name__ == "__main__":
    main()
