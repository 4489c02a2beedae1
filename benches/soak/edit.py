"""The soak's editor: rewrites one of 20 articles every 20 ms, alternating
in-place writes and write-to-temp-then-rename (the two ways editors save),
with a title and a body length that change every time.

    python3 edit.py CONTENT_DIR SECONDS
"""

import os
import sys
import time


def main() -> int:
    content, seconds = sys.argv[1], float(sys.argv[2])
    folder = os.path.join(content, "soak")
    os.makedirs(folder, exist_ok=True)
    deadline = time.monotonic() + seconds
    edits = 0
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        n = edits % 20
        path = os.path.join(folder, f"{n:02}.md")
        text = (
            f"---\ntitle: 持续编辑 {n} 第{edits}次\n"
            f"date: 2026-11-01T{n:02}:00:00+08:00\n---\n"
            + "这是一篇不断修改的文章。" * (10 + edits % 90)
            + "\n"
        )
        if edits % 2:
            temp = os.path.join(folder, f".{n:02}.md.tmp")
            with open(temp, "w", encoding="utf-8") as f:
                f.write(text)
            os.rename(temp, path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        edits += 1
        next_at += 0.020
        time.sleep(max(0.0, next_at - time.monotonic()))
    print(f"editor: {edits} edits in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
