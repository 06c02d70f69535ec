"""The maintainer's build: `python -m course build` makes notebooks/ and solutions/ from
autograder/source and the README's chapter table. Needs the repository checkout."""
