"""Two real ranks on one CPU machine, as chapter 07 claims: `accelerate launch` and `notebook_launcher`.

Each rank of a small script writes what it saw (its rank, the world size, the distributed type,
the indices of the examples it received) to a file; the tests read the files. Everything runs
in subprocesses with this interpreter, so the `accelerate` under test is the venv's own.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from conftest import ROOT

LAUNCH = [sys.executable, "-m", "accelerate.commands.launch",
          "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no"]
TIMEOUT = 120
N_EXAMPLES = 11  # batches of 2: six batches, the last one short, so accelerate fills it up

RANK_SCRIPT = textwrap.dedent(f"""
    import json, sys
    from pathlib import Path

    import torch
    from accelerate import Accelerator
    from torch.utils.data import DataLoader

    accelerator = Accelerator()
    loader = accelerator.prepare(DataLoader(list(range({N_EXAMPLES})), batch_size=2))
    seen, gathered = [], []
    for batch in loader:
        seen += batch.tolist()
        gathered += accelerator.gather_for_metrics(batch).tolist()
    record = {{"rank": accelerator.process_index, "num_processes": accelerator.num_processes,
              "distributed_type": str(accelerator.distributed_type),
              "backend": accelerator.state.backend, "seen": seen, "gathered": gathered}}
    Path(sys.argv[1], f"rank{{accelerator.process_index}}.json").write_text(json.dumps(record))
    accelerator.end_training()  # without it, about one run in six aborted on exit (gloo threads)
""")


def _records(folder: Path) -> dict[int, dict]:
    return {record["rank"]: record for record in
            (json.loads(path.read_text()) for path in sorted(folder.glob("rank*.json")))}


def _launch(tmp_path: Path, options: list[str], environment: dict[str, str]) -> dict[int, dict]:
    script, out = tmp_path / "ranks.py", tmp_path / "out"
    script.write_text(RANK_SCRIPT)
    out.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "ACCELERATE_USE_CPU"}
    env.update({"OMP_NUM_THREADS": "1", **environment})
    done = subprocess.run(LAUNCH + options + [str(script), str(out)], capture_output=True,
                          text=True, env=env, timeout=TIMEOUT, cwd=tmp_path)
    assert done.returncode == 0, (f"accelerate launch {' '.join(options)} failed "
                                  f"({done.returncode}):\n{done.stderr[-3000:]}")
    return _records(out)


def test_accelerate_launch_runs_two_cpu_ranks(tmp_path: Path) -> None:
    """The command chapter 07 teaches starts two processes that join over gloo."""
    records = _launch(tmp_path, ["--multi_gpu", "--num_processes", "2", "--main_process_port", "0"],
                      {"ACCELERATE_USE_CPU": "1"})
    summary = {rank: (r["num_processes"], r["distributed_type"]) for rank, r in records.items()}
    assert sorted(records) == [0, 1], (
        f"ACCELERATE_USE_CPU=1 accelerate launch --multi_gpu --num_processes 2 should run ranks "
        f"0 and 1; got {summary}. Chapter 07 section 8 relies on it.")
    assert all(r["num_processes"] == 2 for r in records.values()), (
        f"each rank should see world size 2, got {summary}: the processes did not join one group.")
    assert all(r["distributed_type"].endswith("MULTI_CPU") and r["backend"] == "gloo"
               for r in records.values()), f"expected MULTI_CPU over gloo, got {summary}"
    shares = [set(records[rank]["seen"]) for rank in (0, 1)]
    assert shares[0] | shares[1] == set(range(N_EXAMPLES)), f"the ranks' shares miss examples: {shares}"
    assert len(shares[0] & shares[1]) <= 1, f"the ranks got the same batches: {shares}"
    assert records[0]["gathered"] == records[1]["gathered"] == list(range(N_EXAMPLES)), (
        "gather_for_metrics should give every rank each example once, in order")


def test_cpu_flag_alone_runs_one_process(tmp_path: Path) -> None:
    """Pins the pitfall chapter 07 explains: `--cpu --num_processes 2` starts one process."""
    records = _launch(tmp_path, ["--cpu", "--num_processes", "2"], {})
    summary = {rank: r["num_processes"] for rank, r in records.items()}
    assert summary == {0: 1}, (
        f"accelerate launch --cpu --num_processes 2 now gives ranks/world sizes {summary}, not one "
        f"lone process: update chapter 07 section 8 and its table of older tutorials.")


def test_notebook_launcher_runs_two_cpu_ranks(tmp_path: Path) -> None:
    """`notebook_launcher` (through course.launching.run_on_ranks) forks two gloo ranks."""
    script = tmp_path / "fork.py"
    script.write_text(textwrap.dedent(f"""
        import json, os

        from accelerate import Accelerator
        from torch.utils.data import DataLoader

        from course.launching import run_on_ranks

        def share():
            accelerator = Accelerator(cpu=True)
            loader = accelerator.prepare(DataLoader(list(range({N_EXAMPLES})), batch_size=2))
            return {{"rank": accelerator.process_index, "num_processes": accelerator.num_processes,
                    "pid": os.getpid(), "seen": [i for batch in loader for i in batch.tolist()]}}

        print(json.dumps(run_on_ranks(share, num_processes=2)))
    """))
    env = {**os.environ, "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                          timeout=TIMEOUT, cwd=tmp_path)
    assert done.returncode == 0, f"notebook_launcher failed ({done.returncode}):\n{done.stderr[-3000:]}"
    results = json.loads(done.stdout.strip().splitlines()[-1])
    summary = [(r["rank"], r["num_processes"]) for r in results]
    assert summary == [(0, 2), (1, 2)], (
        f"notebook_launcher with Accelerator(cpu=True) should give ranks 0 and 1 of 2, got {summary}")
    assert results[0]["pid"] != results[1]["pid"], "both ranks ran in the same process"
    assert set(results[0]["seen"]) | set(results[1]["seen"]) == set(range(N_EXAMPLES))
