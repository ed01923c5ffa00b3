#!/usr/bin/env python3
"""Validates X12 files against the HIPAA implementation guides with the outside referees that
scripts/setup.mjs installs into .tools/x12validators: pyx12 (x12valid's engine) and linuxforhealth-x12.

    python3 scripts/x12valid.py FILE...          one line per file and referee: "<file> [pyx12]: OK" or
                                                 "Failure" with the errors indented above it
    python3 scripts/x12valid.py --json FILE...   one JSON object per file and line (what the tests read)

Exit code 0 when every file passed every referee that judges its type, 1 otherwise, 2 when the referees are
not installed. All files are judged in this one process: loading the maps is the slow part.

Which referee judges what is REFEREES below; a new type is one line there (see domain/x12/README.md).
pyx12 is called as a library with no 999 output, because its 999 writer crashes on an ST without ST03
(the 835's ST03 is Not Used); see /work/shared/docs/x12-validation.md.
"""

import json
import logging
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, ".tools", "x12validators")

# (ST01, GS08) -> referees. TA1 is an interchange acknowledgement with no group: its key is ("TA1", None).
# linuxforhealth-x12 is the referee for 270/271/276/277 (X212), for which pyx12 has no 5010 map.
REFEREES = {
    ("837", "005010X222A1"): ["pyx12", "linuxforhealth"],
    ("835", "005010X221A1"): ["pyx12", "linuxforhealth"],
    ("277", "005010X214"): ["pyx12"],
    ("999", "005010X231A1"): ["pyx12"],
    ("TA1", None): ["pyx12"],
    ("270", "005010X279A1"): ["linuxforhealth"],
    ("271", "005010X279A1"): ["linuxforhealth"],
    ("276", "005010X212"): ["linuxforhealth"],
    ("277", "005010X212"): ["linuxforhealth"],
}

# linuxforhealth-x12 models the 837P at X222A2 only; A2 is A1's errata, so an A1 file is read with the A2 model.
LINUXFORHEALTH_VERSION = {"005010X222A1": "005010X222A2"}

# Type names as the tests print them.
TYPE_NAMES = {
    ("837", "005010X222A1"): "837P",
    ("835", "005010X221A1"): "835",
    ("277", "005010X214"): "277CA",
    ("999", "005010X231A1"): "999",
    ("TA1", None): "TA1",
    ("270", "005010X279A1"): "270",
    ("271", "005010X279A1"): "271",
    ("276", "005010X212"): "276",
    ("277", "005010X212"): "277",
}


class CollectErrors(logging.Handler):
    """pyx12 reports every guide violation through its logger at ERROR; this keeps them per file."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def kind_of(text):
    """(ST01, GS08) of the file's first transaction, ("TA1", None) for a TA1 interchange."""
    if not text.startswith("ISA") or len(text) < 106:
        return (None, None)
    element, terminator = text[3], text[105]
    implementation = None
    for raw in text.split(terminator):
        seg = raw.strip().split(element)
        if seg[0] == "GS" and len(seg) > 8:
            implementation = seg[8]
        elif seg[0] == "ST" and len(seg) > 1:
            return (seg[1], implementation)
        elif seg[0] == "TA1":
            return ("TA1", None)
    return (None, implementation)


_MAPS = {}
_PARAMS = []


def cache_maps():
    """Parsing a guide's XML map (and the code lists) is most of pyx12's time per file. The map objects hold no
    state of a validation (pyx12 counts loops in its walker's nodeCounter), so one parse per map serves every file."""
    import pyx12.map_if
    import pyx12.params

    _PARAMS.append(pyx12.params.params())
    load = pyx12.map_if.load_map_file

    def cached(map_file, param, map_path=None):
        key = (map_file, map_path)
        if key not in _MAPS:
            _MAPS[key] = load(map_file, param, map_path)
        return _MAPS[key]

    pyx12.map_if.load_map_file = cached


def run_pyx12(path, handler):
    import pyx12.x12n_document

    handler.messages = []
    try:
        ok = pyx12.x12n_document.x12n_document(param=_PARAMS[0], src_file=path, fd_997=None, fd_html=None)
    except Exception as err:  # an engine error (e.g. "Map not found") is a failure of the file, with its reason
        return False, handler.messages + [f"{type(err).__name__}: {err}"]
    return bool(ok) and not handler.messages, list(handler.messages)


def run_linuxforhealth(text):
    from linuxforhealth.x12.io import X12SegmentReader
    from linuxforhealth.x12.parsing import create_parser
    from pydantic import ValidationError

    try:
        models = 0
        with X12SegmentReader(text) as reader:
            version = None
            parser = None
            for name, fields in reader.segments():
                if name == "GS":
                    version = fields[8]
                if name in ("ISA", "GS", "GE", "IEA"):
                    continue
                if name == "ST":
                    v = version or fields[3]
                    parser = create_parser(fields[1], LINUXFORHEALTH_VERSION.get(v, v), reader.delimiters)
                if parser is None:
                    return False, [f"segment {name} before any ST"]
                if parser.parse(name, fields, False):
                    models += 1
        if models == 0:
            return False, ["no transaction model was read"]
        return True, []
    except ValidationError as err:
        return False, [" ".join(str(err).split())]
    except Exception as err:
        return False, [f"{type(err).__name__}: {' '.join(str(err).split())}"]


def without_payer_technical_contact(text):
    """The 835 less its 1000A PER*BL (and SE01 one less): linuxforhealth-x12's known defect is reading it."""
    element, terminator = text[3], text[105]
    segments = text.split(terminator)
    kept = [s for s in segments if not s.strip().startswith(f"PER{element}BL{element}")]
    if len(kept) == len(segments):
        return None
    out = []
    for s in kept:
        parts = s.split(element)
        if parts[0].strip() == "SE":
            parts[1] = str(int(parts[1]) - (len(segments) - len(kept)))
        out.append(element.join(parts))
    return terminator.join(out)


def first_service_line_only(text):
    """A 276/277 with each claim's service lines cut to its first (SE01 adjusted), or None when no claim has two:
    linuxforhealth-x12's set_service_line_loop nests a second SVC inside the first, so a file with two lines fails."""
    element, terminator = text[3], text[105]
    segments = text.split(terminator)
    out, dropped, lines_in_claim, dropping = [], 0, 0, False
    for seg in segments:
        name = seg.strip().split(element)[0]
        if name in ("HL", "TRN", "SE"):
            lines_in_claim, dropping = 0, False
        if name == "SVC":
            lines_in_claim += 1
            dropping = lines_in_claim > 1
        if dropping:
            dropped += 1
            continue
        out.append(seg)
    if dropped == 0:
        return None
    for i, seg in enumerate(out):
        parts = seg.split(element)
        if parts[0].strip() == "SE":
            parts[1] = str(int(parts[1]) - dropped)
            out[i] = element.join(parts)
    return terminator.join(out)


def subscriber_rejection_as_receiver_code(text):
    """A 271 whose subscriber/dependent AAA03 is replaced by 15 (a reason linuxforhealth-x12 takes at 2100C), or None
    when it has no AAA: the tool accepts at 2100C only the information receiver's codes (72, 75 ... fail)."""
    element, terminator = text[3], text[105]
    segments = text.split(terminator)
    changed = False
    loop = None
    out = []
    for seg in segments:
        parts = seg.split(element)
        name = parts[0].strip()
        if name == "NM1" and len(parts) > 1:
            loop = parts[1]
        if name == "AAA" and loop in ("IL", "03") and len(parts) > 3 and parts[3] != "15":
            parts[3] = "15"
            changed = True
        out.append(element.join(parts))
    return terminator.join(out) if changed else None


def judge(path, handler):
    with open(path, encoding="ascii", errors="replace") as f:
        text = f.read()
    key = kind_of(text)
    referees = REFEREES.get(key)
    result = {"file": path, "type": TYPE_NAMES.get(key, f"{key[0]}/{key[1]}"), "implementation": key[1], "results": []}
    if referees is None:
        result["results"].append({"referee": "none", "ok": False, "errors": [f"no referee for {key[0]} {key[1]}"]})
        return result
    for referee in referees:
        started = time.perf_counter()
        ok, errors = run_pyx12(path, handler) if referee == "pyx12" else run_linuxforhealth(text)
        entry = {"referee": referee, "ok": ok, "errors": errors, "seconds": round(time.perf_counter() - started, 3)}
        # linuxforhealth-x12 cannot read the PER*BL the guide requires in an 835's loop 1000A (it keeps one PER
        # as a dict): when the file passes without it, that was the only objection, and it is the tool's.
        if referee == "linuxforhealth" and not ok and key[0] == "835":
            stripped = without_payer_technical_contact(text)
            if stripped is not None:
                entry["knownDefect"] = "cannot read the PER*BL required in loop 1000A"
                entry["okWithoutDefect"] = run_linuxforhealth(stripped)[0]
        if referee == "linuxforhealth" and not ok and key in (("276", "005010X212"), ("277", "005010X212")):
            cut = first_service_line_only(text)
            if cut is not None:
                entry["knownDefect"] = "nests a claim's second service line (SVC) inside its first"
                entry["okWithoutDefect"] = run_linuxforhealth(cut)[0]
        if referee == "linuxforhealth" and not ok and key == ("271", "005010X279A1"):
            recoded = subscriber_rejection_as_receiver_code(text)
            if recoded is not None:
                entry["knownDefect"] = "accepts at 2100C/2100D only the information receiver's AAA03 codes"
                entry["okWithoutDefect"] = run_linuxforhealth(recoded)[0]
        # pyx12's control map makes the functional group mandatory, but X12 allows an interchange holding only
        # a TA1 (IEA01 0): when that is its only objection to a TA1, the file is sound. A TA1 with a bad element
        # still fails (pyx12 then also reports the element, or breaks on it).
        if referee == "pyx12" and not ok and key[0] == "TA1":
            entry["knownDefect"] = "requires a functional group (GS) where X12 allows a TA1 alone"
            entry["okWithoutDefect"] = all("(GS_LOOP) missing" in e for e in errors)
        result["results"].append(entry)
    return result


def main(argv):
    as_json = "--json" in argv
    files = [a for a in argv if a != "--json"]
    if os.path.isdir(TOOLS):
        sys.path.insert(0, TOOLS)
    try:
        import linuxforhealth.x12.io  # noqa: F401
        import pyx12  # noqa: F401
    except ImportError as err:
        print(f"x12valid: the validators are not installed in {TOOLS} ({err}); run `node scripts/setup.mjs`", file=sys.stderr)
        return 2
    logger = logging.getLogger("pyx12")
    logger.propagate = False
    logger.setLevel(logging.ERROR)
    handler = CollectErrors()
    logger.addHandler(handler)
    cache_maps()

    all_ok = True
    for path in files:
        result = judge(path, handler)
        for r in result["results"]:
            all_ok &= r["ok"]
        if as_json:
            print(json.dumps(result), flush=True)
            continue
        for r in result["results"]:
            for e in r["errors"]:
                print(f"    {e}")
            verdict = "OK" if r["ok"] else "Failure"
            if r.get("okWithoutDefect"):
                verdict += f" (only its known defect: it {r['knownDefect']})"
            print(f"{path} [{r['referee']}]: {verdict}", flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
