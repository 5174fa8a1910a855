"""What the benchmark scripts share: the machine line, each library timed in a child
process of the calling script, and the tables written into README.md between markers.
Imports neither libtensor nor torch, so that a child loads only the library it times."""
import datetime
import importlib
import json
import os
import platform
import subprocess
import sys
import timeit

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")


def cpu_name():
    """The CPU's model name, for the tables' machine line."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def machine():
    """"AMD EPYC, 2 cores, Linux 6.1": the start of every table's first line."""
    return f"{cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def replace_between(text, begin, end, table):
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    return f"{head}{begin}\n{table}\n{end}{tail}"


def write_section(name, table):
    """Replaces README.md's text between <!-- BEGIN name --> and <!-- END name -->."""
    with open(README) as f:
        text = f.read()
    with open(README, "w") as f:
        f.write(replace_between(text, f"<!-- BEGIN {name} -->", f"<!-- END {name} -->", table))


def timings_of(script, module_name):
    """The JSON that `script --child module_name` prints last: that library's timings."""
    out = subprocess.run([sys.executable, os.path.abspath(script), "--child", module_name], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(child, main):
    """The entry point: `--child NAME` times one library (child(NAME)), else main()."""
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()


def load(module_name):
    """The library a child process times, imported alone and seeded; PyTorch is given every core,
    as libtensor uses them."""
    lib = importlib.import_module(module_name)
    if module_name == "torch":
        lib.set_num_threads(os.cpu_count())
    if hasattr(lib, "manual_seed"):
        lib.manual_seed(0)
    return lib


def best(fn, number, repeat=7):
    """Seconds per call of fn: the best of `repeat` runs of `number` calls, after a warm-up call."""
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def header(how, columns):
    """A table's first lines: the machine, PyTorch's version and the date; how it was measured; the
    column row and its rule."""
    import torch  # the parent process only: children import just the library they time
    return [f"Machine: {machine()}; PyTorch {torch.__version__}; {datetime.date.today()}.", how, "",
            "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
