#!/usr/bin/python3
"""Run Debian's audit2allow on many logs and option sets in ONE process.

    PYTHONHASHSEED=0 /usr/bin/python3 -s test/oracle/audit2allow_batch.py < request.json > response.json

request:  {"policy": "/etc/selinux/default/policy/policy.33",
           "audit2allow": "/usr/bin/audit2allow",            (optional)
           "jobs": [{"id": "a", "file": "/path/x.log",
                     "argsets": [[], ["-m", "mymod"], ["-D"], ...],
                     "classify": true,
                     "excludeBadAvcs": true}]}                (optional)
response: {"results": [{"id": "a",
                        "runs": [{"args": [...], "stdout": "...", "stderr": "...", "exit": 0}],
                        "classify": {...},
                        "excluded": ["type=AVC ... { } ..."]}],   (with excludeBadAvcs)
           "elapsed": 1.23}

excludeBadAvcs: audit2allow and the classification run on a copy of the log
without its AVC lines with an empty permission list `{ }` or an empty
`tclass=` (README "Differences" #7: audit2allow prints a broken rule or stops
with `List must contain at least four elements`; Porthole skips them as
malformed), nor those naming something that is not an SELinux identifier
(README #11); "excluded" lists them, and the harness leaves them out of our
side's input too.

Each run is `audit2allow -p POLICY -i FILE ARGS...`: /usr/bin/audit2allow is
loaded as a module (its __main__ block does not run) and
AuditToPolicy().main() is called with a patched sys.argv. Between runs:
  * sepolgen.audit.avcdict (a global analysis cache) is cleared, so libsepol's
    stderr messages come out as in a fresh process;
  * selinux.audit2why.init() raises "init called multiple times" on a second
    call, so it is wrapped: the policy is loaded once and kept (finish(), called
    by -w, makes the next init load it again).
fd 1 and 2 are redirected to temporary files during a run, and sys.stdout /
sys.stderr write through to them unbuffered, so Python's and libsepol's
(C-level) output are captured in the order they were written.
sys.exit() is caught and gives the exit code; an uncaught exception prints
its traceback to the captured stderr and gives 1, as the interpreter would.
PYTHONHASHSEED=0 makes the order of the `type` lines in `require {}` (a Python
set) reproducible; it is still not sorted.

"classify" parses the log with sepolgen's AuditParser exactly as audit2allow
does, and lists every AVC it keeps (msg.type is selinux.audit2why.analyze's
verdict; AVCs whose contexts, types or permissions the policy rejects raise
ValueError inside sepolgen and become InvalidMessage: audit2allow drops them
silently), the invalid lines (with the kind of record audit2allow took them
for: avc, compute_sid, ...), and the role/type pairs of SELINUX_ERR records.
allMissingRule: every kept denial is TERULE and no AVC line was dropped by the
policy (malformed AVC lines, which any parser drops, do not count).
For README "Differences" #6 and #10 it also reports the SELINUX_ERR lines
sepolgen parsed as ComputeSidMessage ("computeSid"), the lines holding
`security_compute_sid` it did not parse ("unreadComputeSid"; "trigger": it
still took the line as SELinux input), the AVC_PATH records it saw ("paths",
with the header word it groups them by) and how many lines it took as SELinux
input ("triggerLines").
"""
import importlib.machinery
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
import time
import traceback

import selinux.audit2why as audit2why
import sepolgen.audit as sgaudit

CODES = {}
for _n in ("ALLOW", "DONTAUDIT", "TERULE", "BOOLEAN", "CONSTRAINT", "RBAC", "BOUNDS",
           "BADSCON", "BADTCON", "BADTCLASS", "BADPERM", "BADCOMPUTE", "NOPOLICY", "UNKNOWN"):
    if hasattr(audit2why, _n):
        CODES[getattr(audit2why, _n)] = _n

_state = {"policy": None}
_real_init = audit2why.init
_real_finish = audit2why.finish


def _init(path=None):
    if _state["policy"] is not None and _state["policy"] == path:
        return
    if _state["policy"] is not None:
        _real_finish()
    if path is None:
        _real_init()
    else:
        _real_init(path)
    _state["policy"] = path


def _finish():
    if _state["policy"] is not None:
        _real_finish()
        _state["policy"] = None


audit2why.init = _init
audit2why.finish = _finish


def load_audit2allow(path):
    loader = importlib.machinery.SourceFileLoader("audit2allow_oracle", path)
    spec = importlib.util.spec_from_loader("audit2allow_oracle", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class Captured:
    """Redirect fd 1/2 (and sys.stdout/sys.stderr) to temporary files."""

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.saved = (os.dup(1), os.dup(2), sys.stdout, sys.stderr)
        os.dup2(self.out.fileno(), 1)
        os.dup2(self.err.fileno(), 2)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                      errors="surrogateescape", write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                      errors="backslashreplace", write_through=True)
        return self

    def __exit__(self, *exc):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        s1, s2, so, se = self.saved
        os.dup2(s1, 1)
        os.dup2(s2, 2)
        os.close(s1)
        os.close(s2)
        sys.stdout, sys.stderr = so, se
        self.out.seek(0)
        self.err.seek(0)
        self.stdout = self.out.read().decode("utf-8", "surrogateescape")
        self.stderr = self.err.read().decode("utf-8", "backslashreplace")
        self.out.close()
        self.err.close()
        return False


def run_audit2allow(mod, argv):
    sgaudit.avcdict.clear()
    saved_argv = sys.argv
    sys.argv = ["audit2allow"] + argv
    code = 0
    with Captured() as cap:
        try:
            mod.AuditToPolicy().main()
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code
            else:
                sys.stderr.write("%s\n" % e.code)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
    sys.argv = saved_argv
    return {"args": argv, "stdout": cap.stdout, "stderr": cap.stderr, "exit": code}


def classify(policy, path):
    sgaudit.avcdict.clear()
    _init(policy)
    parser = sgaudit.AuditParser()
    nothing = False
    with Captured():
        try:
            with open(path) as f:
                parser.parse_file(f)
        except SystemExit:
            nothing = True
    avcs = []
    for m in parser.avc_msgs:
        avcs.append({
            "line": m.message.rstrip("\n"),
            "header": m.header,
            "scontext": m.scontext.to_string(),
            "tcontext": m.tcontext.to_string(),
            "source": m.scontext.type,
            "target": m.tcontext.type,
            "tclass": m.tclass,
            "perms": list(m.accesses),
            "denial": bool(m.denial),
            "result": CODES.get(m.type, str(m.type)),
            "comm": m.comm,
            "exe": m.exe,
            "path": m.path,
            "ioctlcmd": m.ioctlcmd,
        })
    # What audit2allow allows: the union of perms per (source, target, class)
    # over the denials it keeps (AuditParser.to_access()).
    union = {}
    for a in avcs:
        if not a["denial"]:
            continue
        key = (a["source"], a["target"], a["tclass"])
        union.setdefault(key, set()).update(a["perms"])
    expected = [{"source": k[0], "target": k[1], "tclass": k[2], "perms": sorted(v)}
                for k, v in sorted(union.items())]
    denials = [a for a in avcs if a["denial"]]
    invalid = []
    for m in parser.invalid_msgs:
        kind = trigger_kind(m.message)
        item = {"line": m.message.rstrip("\n"), "kind": kind}
        if kind == "avc":
            item["reason"] = avc_invalid_reason(m.message)
        invalid.append(item)
    parsed_sid = set(c.message.rstrip("\n") for c in parser.compute_sid_msgs)
    unread_sid = []
    trigger_lines = 0
    for line in read_lines(path):
        kind = trigger_kind(line)
        if kind != "other":
            trigger_lines += 1
        if "security_compute_sid" in line and kind in ("compute_sid", "other") and line not in parsed_sid:
            unread_sid.append({"line": line, "trigger": kind == "compute_sid"})
    return {
        "nothingToDo": nothing,
        "avcs": avcs,
        "invalid": invalid,
        "roleTypes": [[c.invalid_context.role, c.invalid_context.type] for c in parser.compute_sid_msgs],
        "computeSid": [{"line": c.message.rstrip("\n"), "role": c.invalid_context.role,
                        "type": c.invalid_context.type} for c in parser.compute_sid_msgs],
        "unreadComputeSid": unread_sid,
        "paths": [{"line": m.message.rstrip("\n"), "header": m.header, "path": m.path}
                  for m in parser.path_msgs],
        "triggerLines": trigger_lines,
        "expected": expected,
        "allMissingRule": (len(denials) > 0
                           and not any(i.get("reason") == "policy" for i in invalid)
                           and all(a["result"] == "TERULE" for a in denials)),
    }


class _UnanalysedAVC(sgaudit.AVCMessage):
    def analyze(self):
        pass


def avc_invalid_reason(line):
    """Why AuditParser dropped an AVC line: "malformed" (a required field or
    the closing brace is missing: from_split_string raises before analysis) or
    "policy" (selinux.audit2why.analyze rejected a context, type, class or
    permission)."""
    rec = [x.strip("\x1c\x1d\x1e\x85") for x in line.split()]
    try:
        _UnanalysedAVC(line).from_split_string(rec)
    except ValueError:
        return "malformed"
    return "policy"


def read_lines(path):
    """The lines of a log as audit2allow reads them (text mode, universal
    newlines), without their line ends."""
    with open(path) as f:
        return [l.rstrip("\n") for l in f]


# src/selinux/ir/identifier.ts: checkpolicy's IDENTIFIER token.
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\Z")


def avc_names(msg):
    """The names of an AVC that would reach a rule: users, roles and types of
    both contexts, the class and the permissions."""
    names = [msg.tclass] + list(msg.accesses)
    for ctx in (msg.scontext, msg.tcontext):
        names += [ctx.user, ctx.role, ctx.type]
    return names


def bad_avc_lines(path):
    """AVC lines with an empty permission list `{ }` or an empty `tclass=`
    (README "Differences" #7): audit2allow keeps them and prints a broken rule
    (`allow a_t b_t: read;`) or stops with `List must contain at least four
    elements` (exit 1); and AVC lines naming a user, role, type, class or
    permission that is not an SELinux identifier (README #11): audit2allow
    prints them into its rules (`allow a_t b_t:(null) 0x2;`, or an injected
    rule). Porthole reports both as malformed and skips them. Both sides run
    without them (see exclude_lines)."""
    bad = []
    for line in read_lines(path):
        if trigger_kind(line) != "avc":
            continue
        msg = _UnanalysedAVC(line)
        try:
            msg.from_split_string([x.strip("\x1c\x1d\x1e\x85") for x in line.split()])
        except ValueError:
            continue
        if not msg.accesses or msg.tclass == "" or not all(IDENTIFIER.match(n or "") for n in avc_names(msg)):
            bad.append(line)
    return bad


def exclude_lines(path, lines, scratch):
    """A copy of the log without `lines` (compared without line ends; every
    other byte is kept)."""
    drop = set(lines)
    with open(path, "rb") as f:
        raw = f.read().split(b"\n")
    kept = [l for l in raw if l.decode("utf-8", "surrogateescape").rstrip("\r") not in drop]
    fd, out = tempfile.mkstemp(suffix=".a2a.log", dir=scratch)
    with os.fdopen(fd, "wb") as f:
        f.write(b"\n".join(kept))
    return out


def trigger_kind(line):
    """Which record kind AuditParser took an (invalid) line for: the first
    trigger token, as in AuditParser.__parse_line."""
    for tok in (x.strip("\x1c\x1d\x1e\x85") for x in line.split()):
        if tok in ("avc:", "message=avc:", "msg='avc:"):
            return "avc"
        if tok == "security_compute_sid:":
            return "compute_sid"
        if tok in ("type=MAC_POLICY_LOAD", "type=1403"):
            return "policy_load"
        if tok == "type=AVC_PATH":
            return "avc_path"
        if tok == "type=DAEMON_START":
            return "daemon_start"
    return "other"


def main():
    req = json.load(sys.stdin)
    policy = req["policy"]
    mod = load_audit2allow(req.get("audit2allow", "/usr/bin/audit2allow"))
    t0 = time.time()
    results = []
    scratch = tempfile.mkdtemp(prefix="a2a-batch-")
    for job in req["jobs"]:
        res = {"id": job["id"], "runs": []}
        path = job["file"]
        if job.get("excludeBadAvcs"):
            bad = bad_avc_lines(path)
            res["excluded"] = bad
            if bad:
                path = exclude_lines(path, bad, scratch)
        for args in job.get("argsets", []):
            res["runs"].append(run_audit2allow(mod, ["-p", policy, "-i", path] + list(args)))
        if job.get("classify"):
            res["classify"] = classify(policy, path)
        if path != job["file"]:
            os.unlink(path)
        results.append(res)
    os.rmdir(scratch)
    json.dump({"results": results, "elapsed": time.time() - t0,
               "hashseed": os.environ.get("PYTHONHASHSEED")}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
