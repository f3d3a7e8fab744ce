#!/usr/bin/env python3
# Writes the seed scripts of fuzz_chat_core (corpus/fuzz_chat_core/): byte-coded operations in the
# format CoreHarness::step and FrameMaker::make read. Run again after changing that format.
import pathlib

CONNECT, DISCONNECT, RAW, MADE, BINARY, COMPLETE, TIME, FAIL, RESTART = 0, 1, 2, 3, 5, 6, 7, 8, 9
NO_ID = 1  # FrameMaker: pick(4) != 0 adds no request_id


def op(code, slot, *rest):
    return bytes([code, slot, *rest])


def login(slot, name, v2=False):
    return op(MADE, slot, 1 if v2 else 0, name, *([0] if v2 else []), NO_ID)


def say(slot, text=0):
    return op(MADE, slot, 2, text, NO_ID)


def room(slot, kind, which):  # kind 3 create, 4 join
    return op(MADE, slot, kind, which, NO_ID)


def history(slot, which, before, limit):
    return op(MADE, slot, 5, which, before, limit, NO_ID)


def resume(slot, which_room, after_id):  # the first token seen, intact
    return op(MADE, slot, 6, 0, 0, which_room, after_id, NO_ID)


done = op(COMPLETE, 0)
seeds = {
    "v1_chat": op(CONNECT, 0) + login(0, 0) + done + op(CONNECT, 1) + login(1, 1) + done + say(0) + say(1, 1) + done,
    "v2_rooms_history": op(CONNECT, 0) + login(0, 0, True) + done + room(0, 3, 1) + done + room(0, 4, 1) + done
    + say(0) + say(0, 1) + done + history(0, 1, 0, 3) + done,
    "v2_resume": op(CONNECT, 0) + login(0, 1, True) + done + say(0) + done + op(DISCONNECT, 0) + op(CONNECT, 2)
    + resume(2, 0, 0) + done + op(TIME, 0, 90) + op(CONNECT, 3) + login(3, 1) + done,
    "store_fails": op(CONNECT, 0) + login(0, 2, True) + done + op(FAIL, 0, 0) + say(0) + room(0, 3, 2) + done
    + op(FAIL, 0, 1) + say(0) + done,
    "restart": op(CONNECT, 1) + login(1, 3, True) + say(1) + done + op(RESTART, 0, 0) + op(CONNECT, 1)
    + resume(1, 0, 0) + done,
    "raw_frames": op(CONNECT, 0) + op(RAW, 0, 20) + b'{"action":"login"}xx' + op(BINARY, 0) + op(RAW, 0, 3) + b"[1]",
}
folder = pathlib.Path(__file__).resolve().parent / "corpus" / "fuzz_chat_core"
folder.mkdir(parents=True, exist_ok=True)
for name, script in seeds.items():
    (folder / name).write_bytes(script)
