#!/usr/bin/env python3
"""docs_paths: the docs cannot rot. Every repository path a doc cites must exist.

Reads README.md and docs/*.md and checks:
  * every backticked path whose first folder is one of the repository's own (`kiosk/app/AppModel.h`,
    `tests/e2e/`, `.ci/run`), a `path:line` too, exists (a unit may be named without its
    extension: `sync/SearchCheck` for its .h/.cpp);
  * every backticked source file name without a folder (`SyncEngine.cpp`, `smoke.mjs`; not a
    system header like `csv.h`) is the name of a file somewhere in the repository;
  * every relative Markdown link (`[FHIR](docs/FHIR.md)`) leads to a file or folder.
Also checks that no tracked file refers to notes outside the repository, and that every document
a tracked file cites by name (`PRIVACY.md 13` in a comment) is one the repository has.
Placeholders (`<lang>`, `*`, `...`) and build outputs (`build/...`) are not paths to check.
Exit status 0 when all hold, 1 with one line per problem. Standard library only.
"""
import argparse
import os
import re
import subprocess
import sys

SOURCE_EXT = ('.h', '.cpp', '.mjs', '.py', '.sql', '.cmake', '.sh', '.po')
NOT_A_PATH = re.compile(r'[<>*?=|{}$\s]|\.\.\.|…|://')
DOC_NAME = re.compile(r'\b([A-Z][A-Z0-9_]+\.md)\b')  # PRIVACY.md, SCREENS.md 7
OUTSIDE = (re.compile(r'shared/design'), re.compile(r'\.\./shared'), re.compile(r'/work/'))


def ours(name):
    """A file name in the project's style: PascalCase C++ (`SyncEngine.cpp`; a lowercase `.h` is
    a system header like `csv.h`), or a script, migration or catalog."""
    if name.endswith(('.h', '.cpp')):
        return name[:1].isupper()
    return name.endswith(SOURCE_EXT)


def tracked_files(root):
    try:
        out = subprocess.run(['git', '-C', root, 'ls-files', '-z'], check=True,
                             capture_output=True).stdout.decode()
        return [f for f in out.split('\0') if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if x not in ('.git', 'node_modules')
                       and not os.path.exists(os.path.join(d, x, 'CMakeCache.txt'))]
            files += [os.path.relpath(os.path.join(d, n), root) for n in names]
        return files


def check_doc(root, doc, text, top, basenames, problems):
    in_fence = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith('```'):
            in_fence = not in_fence
            continue
        where = f'{doc}:{number}'
        for link in re.findall(r'\]\(([^)\s]+)\)', line):
            target = link.split('#')[0]
            if not target or re.match(r'[a-z]+:', target):
                continue
            if not os.path.exists(os.path.normpath(os.path.join(root, os.path.dirname(doc), target))):
                problems.append(f'{where}: link to {link}: no such file')
        if in_fence:
            continue
        for token in re.findall(r'`([^`]+)`', line):
            path = re.sub(r':[0-9]+(-[0-9]+)?$', '', token.strip())
            if NOT_A_PATH.search(path) or path.startswith(('/', '-', 'build/', 'build-asan/')):
                continue
            first = path.split('/')[0]
            if '/' in path and first in top:
                full = os.path.join(root, path)
                if not any(os.path.exists(full + ext) for ext in ('', '.h', '.cpp')):
                    problems.append(f'{where}: `{token}`: no such file or folder')
            elif '/' not in path and ours(path) and path not in basenames:
                problems.append(f'{where}: `{token}`: no file of that name in the repository')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', default=os.path.join(os.path.dirname(__file__), '..', '..'))
    root = os.path.abspath(parser.parse_args().root)
    files = tracked_files(root)
    top = {f.split('/')[0] for f in files}
    basenames = {os.path.basename(f) for f in files}
    docs = ['README.md'] + sorted('docs/' + f for f in os.listdir(os.path.join(root, 'docs'))
                                  if f.endswith('.md'))
    problems = []
    for doc in docs:
        with open(os.path.join(root, doc), encoding='utf-8') as f:
            check_doc(root, doc, f.read(), top, basenames, problems)
    me = os.path.relpath(os.path.abspath(__file__), root)
    for name in files:
        if name == me or not os.path.isfile(os.path.join(root, name)):
            continue
        try:
            with open(os.path.join(root, name), encoding='utf-8') as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue  # fonts, pictures
        for number, line in enumerate(text.splitlines(), 1):
            if any(p.search(line) for p in OUTSIDE):
                problems.append(f'{name}:{number}: refers to a file outside the repository')
            for cited in DOC_NAME.findall(line):
                if cited not in basenames:
                    problems.append(f'{name}:{number}: cites {cited}, which is not in the repository')
    for p in problems:
        print(p)
    print(f'docs_paths: {len(docs)} documents checked, {len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
