"""The sandbox (``python -m studio sandbox`` arguments) with a probe for bench_live_mic: each time
the engine's incoming audio turns loud, the time (time.monotonic, one clock for every process on
Linux) is appended to the file named by $BENCH_MIC_ONSETS."""

from __future__ import annotations

import os
import sys
import time

from studio.cli import main
from studio.sandbox.engine import hearing

LOUD_DBFS = -30.0


def probe() -> None:
    heard = hearing.Hearing.heard
    onsets = open(os.environ["BENCH_MIC_ONSETS"], "a", buffering=1)  # noqa: SIM115 (process-long)
    loud = {"now": False}

    def timed(self: hearing.Hearing, frame: object, dbfs: float) -> None:
        if dbfs > LOUD_DBFS and not loud["now"]:
            onsets.write(f"{time.monotonic()}\n")
        loud["now"] = dbfs > LOUD_DBFS
        heard(self, frame, dbfs)

    hearing.Hearing.heard = timed


if __name__ == "__main__":
    probe()
    sys.exit(main(["sandbox", *sys.argv[1:]]))
