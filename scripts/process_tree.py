"""What a running command and the PostgreSQL server use, read from /proc (Linux): CPU
seconds and memory of the command's process tree, CPU seconds of the postgres processes,
sampled by a thread every `interval` seconds.

The seeding process forks a child for the trading simulation, so the seed's memory is
the sum over its process tree of each process's proportional set size (PSS: a page the
two share counts half in each), and its CPU is the tree's. The server's CPU is that of
the processes named postgres on this machine, split into the backends serving one
database (their process title names it) and the rest (autovacuum, checkpointer, WAL
writer, other databases): the server must run on this machine for its share to be seen,
and be otherwise idle for the rest to mean anything."""

import os
import threading
import time
from dataclasses import dataclass, field

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    name: str
    cpu_ticks: int  # user + system, since the process started


def processes() -> dict[int, Process]:
    found: dict[int, Process] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:  # gone meanwhile
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        found[int(entry)] = Process(
            int(entry), int(fields[1]), name, int(fields[11]) + int(fields[12])
        )
    return found


def tree(root: int, table: dict[int, Process]) -> list[int]:
    children: dict[int, list[int]] = {}
    for process in table.values():
        children.setdefault(process.parent, []).append(process.pid)
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def serves(pid: int, database: str) -> bool:
    """Whether a postgres process is a backend of `database` ("postgres: user db ...")."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            title = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return f" {database} " in title


def proportional_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Sample:
    seconds: float  # since the sampler started
    command_cpu: float  # CPU seconds used since the last sample
    server_cpu: float  # the backends of the database
    other_server_cpu: float  # every other postgres process
    memory_mb: float  # PSS of the command's tree, summed


@dataclass
class Sampler:
    """Samples the process tree of `root` until stop(); CPU of processes that ended
    between two samples is lost (at most one interval of theirs)."""

    root: int
    database: str = ""  # whose backends count as the server's work on the command
    interval: float = 0.05
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.done = threading.Event()
        self.seen: dict[int, int] = {pid: p.cpu_ticks for pid, p in processes().items()}
        self.started = time.perf_counter()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            table = processes()
            mine = set(tree(self.root, table))
            command = server = other = 0
            for pid, process in table.items():
                used = process.cpu_ticks - self.seen.get(pid, 0)
                self.seen[pid] = process.cpu_ticks
                if not used:
                    continue
                if pid in mine:
                    command += used
                elif process.name.startswith("postgres"):
                    if self.database and serves(pid, self.database):
                        server += used
                    else:
                        other += used
            memory = sum(proportional_kb(pid) for pid in mine) / 1024
            self.samples.append(
                Sample(
                    time.perf_counter() - self.started,
                    command / TICKS_PER_SECOND,
                    server / TICKS_PER_SECOND,
                    other / TICKS_PER_SECOND,
                    memory,
                )
            )

    def stop(self) -> list[Sample]:
        self.done.set()
        self.thread.join()
        return self.samples

    @property
    def peak_memory_mb(self) -> float:
        return max((sample.memory_mb for sample in self.samples), default=0.0)
