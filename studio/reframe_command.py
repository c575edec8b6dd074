"""`avatar-studio reframe`: a new square source placed by the face, written beside the photo.

The same placement as the avatar tab's Reframe (studio.core.reframe) on the same detector's face
(studio.media.faces); the photo itself is never changed. Exit status 0 when every frame of the
model follows Anam's guides, 1 when a guide could not be met (the best placement is still
written), 2 for input that cannot be reframed (unreadable, not one face, an output that exists).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from studio.media.images import display_path
from studio.media.reframing import Unusable, reframe_photo


def run_reframe(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """The command: 0 when every frame passes, 1 when a guide was given up, 2 when unusable."""
    out = out or sys.stdout
    try:
        result = reframe_photo(args.photo, args.output, args.model, force=args.force)
    except Unusable as problem:
        if args.json:
            print(json.dumps({"path": display_path(args.photo), "error": str(problem)}), file=out)
        print(f"avatar-studio reframe: {problem}", file=sys.stderr)
        return 2
    text = json.dumps(result.to_json(), indent=2) if args.json else result.to_text()
    print(text, file=out, flush=True)
    return 0 if result.reframing.passes else 1
