"""Chapter 09 (the Hub): other students' answers."""

SETUP = {"ex3-answer": ["ex3-setup"]}  # each answer deletes from a fresh copy of the cache

_FIND = ('    repo = next(r for r in scan_cache_dir().repos if r.repo_id == repo_id and '
         'r.repo_type == "model")\n')
_WITH_FILE = ('def revisions_with_file(repo_id, filename):\n' + _FIND +
              '    return {c.commit_hash for c in repo.revisions if (c.snapshot_path / filename).exists()}\n')
_RESOLVE = ('def resolve_revision(repo_id, revision):\n' + _FIND +
            '    for c in repo.revisions:\n'
            '        if revision == c.commit_hash or revision in c.refs:\n'
            '            return c.commit_hash\n\n')


def _delete(hashes: str, freed: str = "plan.expected_freed_size", execute: bool = True) -> str:
    return ('info = scan_cache_dir(cache_dir=exercise_cache)\n'
            'doomed = next(r for r in info.repos if r.repo_id == repo_id)\n'
            f'plan = info.delete_revisions(*{hashes})\n'
            f'freed = {freed}\n' + ('plan.execute()' if execute else ''))


def _card(data: str, body: str = 'model_id="my-sentiment-model"', save: str = 'card_dir / "README.md"') -> str:
    return (f'my_card = ModelCard.from_template(ModelCardData({data}), {body})\n'
            f'my_card.save({save})')


_DATA = ('license="mit", language="en", base_model=course.checkpoint("sentiment"), '
         'datasets=base_card.data.datasets, metrics=["accuracy"], pipeline_tag="text-classification"')

RIGHT = {
    "ex1-answer": [
        'pinned_path = hf_hub_download(repo_id=repo_id, filename="config.json", revision=old_revision)\n'
        'with open(pinned_path) as f:\n'
        '    pinned_config = json.load(f)',
        'pinned_path = hf_hub_download(repo_id, "config.json", revision=old_revision)\n'
        'pinned_config = json.loads(open(pinned_path).read())',
        'from pathlib import Path\n'
        'pinned_path = Path(hf_hub_download(repo_id=repo_id, filename="config.json", '
        'revision=old_revision))\n'
        'pinned_config = dict(json.loads(pinned_path.read_text()))',
    ],
    "ex2-answer": [
        _RESOLVE + _WITH_FILE,
        'def resolve_revision(repo_id, revision):\n'
        '    if len(revision) == 40:\n'
        '        return revision\n'
        '    return Path(hf_hub_download(repo_id=repo_id, filename="config.json", '
        'revision=revision)).parent.name\n\n'
        'def revisions_with_file(repo_id, filename):\n' + _FIND +
        '    return {c.commit_hash for c in repo.revisions if any(f.file_name == filename '
        'for f in c.files)}\n',
        _RESOLVE + 'def revisions_with_file(repo_id, filename):\n'
        '    found = set()\n'
        '    for r in scan_cache_dir().repos:\n'
        '        if r.repo_id == repo_id:\n'
        '            for c in r.revisions:\n'
        '                if filename in {f.file_path.name for f in c.files}:\n'
        '                    found.add(c.commit_hash)\n'
        '    return found\n',
    ],
    "ex3-answer": [
        _delete("[rev.commit_hash for rev in doomed.revisions]"),
        'cache_info = scan_cache_dir(cache_dir=exercise_cache)\n'
        'hashes = [rev.commit_hash for repo in cache_info.repos if repo.repo_id == repo_id '
        'for rev in repo.revisions]\n'
        'strategy = cache_info.delete_revisions(*hashes)\n'
        'freed = int(strategy.expected_freed_size)\n'
        'strategy.execute()',
        _delete("(rev.commit_hash for rev in doomed.revisions)", freed="doomed.size_on_disk"),
    ],
    "ex4-answer": [
        _card(_DATA),
        _card(_DATA.replace('license="mit"', 'license="apache-2.0"').replace(
            'metrics=["accuracy"]', 'metrics=["accuracy", "f1"]'), save='str(card_dir / "README.md")'),
        'data = ModelCardData(' + _DATA + ')\n'
        'my_card = ModelCard(f"---\\n{data.to_yaml()}\\n---\\n# My sentiment model\\nFine-tuned.")\n'
        'my_card.save(card_dir / "README.md")',
    ],
}

WRONG = {
    "ex1-answer": [
        ('pinned_path = hf_hub_download(repo_id=repo_id, filename="config.json")\n'
         'pinned_config = json.loads(Path(pinned_path).read_text())', "revision=old_revision"),
        ('pinned_path = hf_hub_download(repo_id=repo_id, filename="config.json", revision=old_revision)\n'
         'pinned_config = Path(pinned_path).read_text()', "dict"),
        ('pinned_path = str(Path(hf_hub_download(repo_id=repo_id, filename="config.json", '
         'revision=old_revision)).parent)\n'
         'pinned_config = json.loads((Path(pinned_path) / "config.json").read_text())', "`pinned_path` should be"),
    ],
    "ex2-answer": [
        ('def resolve_revision(repo_id, revision):\n    return revision\n\n' + _WITH_FILE,
         "40 hex digits"),
        (_RESOLVE.replace("revision == c.commit_hash or ", "") + _WITH_FILE, "A commit hash stands for itself"),
        (_RESOLVE + 'def revisions_with_file(repo_id, filename):\n' + _FIND +
         '    return {c.commit_hash for c in repo.revisions}\n', "revisions_with_file"),
        (_RESOLVE + 'def revisions_with_file(repo_id, filename):\n' + _FIND +
         '    return [c.commit_hash for c in repo.revisions if (c.snapshot_path / filename).exists()]\n',
         "set"),
    ],
    "ex3-answer": [
        (_delete("[r.commit_hash for r in sorted(doomed.revisions, key=lambda r: r.last_modified)[-1:]]"),
         "still in `exercise_cache`"),
        (_delete("[rev.commit_hash for rev in doomed.revisions]", execute=False), "execute()"),
        ('info = scan_cache_dir()\n'
         'doomed = next(r for r in info.repos if r.repo_id == repo_id)\n'
         'freed = doomed.size_on_disk', "exercise_cache"),
        (_delete("[rev.commit_hash for rev in doomed.revisions]", freed="str(plan.expected_freed_size)"),
         "Read `expected_freed_size` (an int)"),
    ],
    "ex4-answer": [
        (_card(_DATA.replace('language="en"', 'language="English"')), "ISO 639-1"),
        (_card(_DATA.replace('metrics=["accuracy"], ', '')), "`metrics`"),
        (_card(_DATA.replace('course.checkpoint("sentiment")', '"distilbert-base-uncased"')),
         "course.checkpoint('sentiment')"),
        (_card(_DATA, save='card_dir / "CARD.md"'), "Save your card there"),
        (_card(_DATA.replace('license="mit"', 'license="MIT License"')), "license id"),
    ],
}
