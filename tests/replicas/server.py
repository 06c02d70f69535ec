"""Serve the full-profile replicas over HTTP as the Hub does: olah, offline, over local git repos.

    .venv-olah/bin/python tests/replicas/server.py MIRRORS PORT

Runs in olah's own virtual environment (`make replica-server`), so it imports only olah and the
standard library. `MIRRORS/<models|datasets>/<org>/<name>` are git repos (tests/replicas/build.py);
olah's offline mode answers resolve, tree, paths-info, revision and refs requests from them. Five
answers differ from the Hub's in olah 0.5.4, and `HubAnswers` gives the Hub's instead:
- a file or folder missing from a repo is a 404 with `X-Error-Code: EntryNotFound` (olah: 401
  RepoNotFound, which makes transformers stop at its optional `adapter_config.json` and
  `additional_chat_templates/`);
- `/api/models/<id>` without a revision answers for `main` (olah: 401 offline);
- a download with a `Range` header gets those bytes, 206 (olah: the whole file, 200, which
  breaks streaming parquet: its reader asks for the footer);
- a revision the real repo has but a replica cannot (a commit hash: git derives it from the
  content) is read as the replica's tag for it (`build.py` tags it `real-<hash>`);
- `/api/<type>s/<id>/commits/<revision>` lists the commits as the Hub does, newest first (olah:
  each commit's whole message as its title, and authors without the `user` key that
  huggingface_hub's `list_repo_commits` reads); `PAGE` a page, the next one in a `Link` header;
- `POST /api/validate-yaml` (`RepoCard.validate`) accepts a card whose metadata block is a YAML
  mapping and answers 400 with the parser's message otherwise (olah: 405; the Hub checks more,
  such as license ids and the model-index schema).
"""
from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode

import git
import gitdb
import yaml

RESOLVE = re.compile(r"^/(?:(?P<type>datasets|spaces)/)?(?P<repo>[^/]+/[^/]+)/resolve/"
                     r"(?P<revision>[^/]+)/(?P<rest>.+)$")
REVISION = re.compile(r"^/api/(?P<type>models|datasets|spaces)/(?P<repo>[^/]+/[^/]+)/"
                      r"(?P<kind>revision|tree|paths-info|commits)/(?P<revision>[^/]+)(?P<rest>.*)$")
MODEL_INFO = re.compile(r"^/api/(?P<type>models|datasets|spaces)/(?P<repo>[^/]+/[^/]+)/?$")
HEX = re.compile(r"^[0-9a-f]{40}$")
PAGE = 50  # commits a page (the Hub's page size is assumed: huggingface_hub follows `Link`)


class HubAnswers:
    """ASGI middleware in front of olah: answers as the Hub does where olah does not.

    Requests are parsed from the raw path, where a revision such as `refs%2Fconvert%2Fparquet`
    is still one segment, and olah is handed the commit hash the revision names."""

    def __init__(self, app, mirrors: Path):
        self.app, self.mirrors = app, mirrors

    def repo(self, repo_type: str | None, repo_id: str) -> git.Repo | None:
        folder = self.mirrors / (repo_type or "models") / repo_id
        return git.Repo(folder) if (folder / ".git").is_dir() else None

    @staticmethod
    def commit(repo: git.Repo, revision: str) -> git.Commit | None:
        """The commit `revision` names: a branch, tag, ref, hash, or a real hash the replica
        tagged `real-<hash>`."""
        if HEX.match(revision) and f"real-{revision}" in [t.name for t in repo.tags]:
            revision = f"real-{revision}"
        try:
            return repo.commit(revision)
        except (gitdb.exc.BadName, ValueError):
            return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        raw = scope.get("raw_path", scope["path"].encode()).decode().split("?")[0]
        if raw == "/api/validate-yaml" and scope["method"] == "POST":
            return await self.validate_yaml(receive, send)
        if (match := MODEL_INFO.match(raw)) and scope["method"] in ("GET", "HEAD"):
            return await self.app(self.moved(scope, raw.rstrip("/") + "/revision/main"),
                                  receive, send)
        match = REVISION.match(raw) or RESOLVE.match(raw)
        repo = match and self.repo(match["type"], match["repo"])
        if not repo:
            return await self.app(scope, receive, send)
        revision = unquote(match["revision"])
        commit = self.commit(repo, revision)
        if commit is None:
            return await self.not_found(send, "RevisionNotFound", f"Invalid rev id: {revision}")
        if match.re is REVISION and match["kind"] == "commits":
            return await self.commits(scope, send, repo, commit, raw)
        path = unquote(match["rest"]).strip("/")
        if match.re is RESOLVE or match["kind"] == "tree":
            try:
                path and commit.tree[path]
            except KeyError:
                return await self.not_found(send, "EntryNotFound",
                                            f"{path} does not exist on \"{revision}\"")
        ranged = dict(scope["headers"]).get(b"range")
        if match.re is RESOLVE and scope["method"] == "GET" and ranged:
            return await self.part(send, commit.tree[path].data_stream.read(), ranged.decode())
        start, end = match.span("revision")
        return await self.app(self.moved(scope, raw[:start] + commit.hexsha + raw[end:]),
                              receive, send)

    @staticmethod
    def commit_info(commit: git.Commit, formatted: bool) -> dict:
        """One commit as the Hub lists it: the first line of the message is the title."""
        title, _, message = commit.message.strip().partition("\n")
        info = {"id": commit.hexsha, "title": title, "message": message.strip(),
                "authors": [{"user": commit.author.email.split("@")[0], "avatar": None}],
                "date": commit.committed_datetime.strftime("%Y-%m-%dT%H:%M:%S.000Z")}
        if formatted:  # `expand[]=formatted`: the title and message as HTML
            info["formatted"] = {"title": html.escape(info["title"]),
                                 "message": html.escape(info["message"])}
        return info

    async def commits(self, scope, send, repo: git.Repo, commit: git.Commit, raw: str) -> None:
        """The history of `commit`, newest first, one page of `PAGE` (query `p`, from 0)."""
        query = parse_qs(scope.get("query_string", b"").decode())
        page = int(query.get("p", ["0"])[0])
        history = list(repo.iter_commits(commit.hexsha))
        formatted = "formatted" in query.get("expand[]", [])
        body = json.dumps([self.commit_info(c, formatted)
                           for c in history[page * PAGE:(page + 1) * PAGE]]).encode()
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode())]
        if (page + 1) * PAGE < len(history):
            host = dict(scope["headers"]).get(b"host", b"127.0.0.1").decode()
            following = urlencode({**query, "p": [str(page + 1)]}, doseq=True)
            headers.append((b"link", f'<http://{host}{raw}?{following}>; rel="next"'.encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def validate_yaml(receive, send) -> None:
        """200 when the card's metadata block (between its first two `---` lines) parses as a
        YAML mapping, else 400 with the reason as text, which `RepoCard.validate` raises."""
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        content = json.loads(body or b"{}").get("content", "")
        parts = content.split("---\n", 2) if content.startswith("---\n") else []
        try:
            metadata = yaml.safe_load(parts[1]) if len(parts) == 3 else {}
            error = "" if isinstance(metadata, dict) or metadata is None else \
                "the metadata is not a YAML mapping"
        except yaml.YAMLError as problem:
            error = f"invalid YAML in the metadata: {problem}"
        answer = error.encode() or b"{}"
        await send({"type": "http.response.start", "status": 400 if error else 200, "headers": [
            (b"content-type", b"text/plain" if error else b"application/json"),
            (b"content-length", str(len(answer)).encode())]})
        await send({"type": "http.response.body", "body": answer})

    @staticmethod
    def moved(scope: dict, raw: str) -> dict:
        """`scope` for the request at `raw` (a raw, still quoted path)."""
        return dict(scope, path=unquote(raw), raw_path=raw.encode())

    @staticmethod
    async def part(send, data: bytes, ranged: str) -> None:
        """206 with the bytes `Range: bytes=a-b` (or `a-`, `-n`) asks for: olah sends the whole
        file, and a parquet reader that asked for the footer then reads the header instead."""
        first, _, last = ranged.removeprefix("bytes=").split(",")[0].partition("-")
        if not first:
            first, last = str(max(0, len(data) - int(last))), ""
        start, stop = int(first), min(int(last) + 1 if last else len(data), len(data))
        await send({"type": "http.response.start", "status": 206, "headers": [
            (b"content-range", f"bytes {start}-{stop - 1}/{len(data)}".encode()),
            (b"content-length", str(stop - start).encode()), (b"accept-ranges", b"bytes")]})
        await send({"type": "http.response.body", "body": data[start:stop]})

    @staticmethod
    async def not_found(send, code: str, message: str) -> None:
        await send({"type": "http.response.start", "status": 404,
                    "headers": [(b"x-error-code", code.encode()),
                                (b"x-error-message", message.encode()),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def config(mirrors: Path, port: int) -> Path:
    """olah's configuration: offline, the replicas as local mirrors, its cache beside them."""
    file = mirrors.parent / "olah.toml"
    file.write_text(f"""[basic]
host = "127.0.0.1"
port = {port}
repos-path = "{mirrors.parent / 'olah-cache'}"
mirrors-path = ["{mirrors}"]
mirror-netloc = "127.0.0.1:{port}"
mirror-lfs-netloc = "127.0.0.1:{port}"
[accessibility]
offline = true
""")
    return file


def main(mirrors: Path, port: int) -> None:
    import uvicorn

    os.environ["OLAH_CONFIG"] = str(config(mirrors, port))
    os.environ["OLAH_LOG_PATH"] = str(mirrors.parent / "olah-logs")
    from olah.server import app  # reads OLAH_CONFIG when imported

    uvicorn.run(HubAnswers(app, mirrors), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), int(sys.argv[2]))
