# libselinux's answers for many lookups in one process: selabel_lookup through
# the `selinux` Python module (UTF-8 paths) and through ctypes on
# libselinux.so.1 (paths that are not UTF-8, which the module cannot pass).
# stdin: {"fc": FILE, "queries": [[HEX-PATH, MODE], ...]}
# stdout: {"answers": [CONTEXT | null (ENOENT) | "!ERRNO-NAME", ...], "elapsed": SECONDS}
import ctypes, errno, json, sys, time
import selinux

req = json.load(sys.stdin)
opt = selinux.selinux_opt()
opt.type = selinux.SELABEL_OPT_PATH
opt.value = req["fc"]
h = selinux.selabel_open(selinux.SELABEL_CTX_FILE, opt, 1)

lib = ctypes.CDLL("libselinux.so.1", use_errno=True)
class Opt(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("value", ctypes.c_char_p)]
lib.selabel_open.restype = ctypes.c_void_p
lib.selabel_open.argtypes = [ctypes.c_uint, ctypes.POINTER(Opt), ctypes.c_uint]
lib.selabel_lookup_raw.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_char_p, ctypes.c_int]
raw_handle = None

def raw_lookup(b, mode):
    global raw_handle
    if raw_handle is None:
        o = Opt(selinux.SELABEL_OPT_PATH, req["fc"].encode())
        raw_handle = lib.selabel_open(selinux.SELABEL_CTX_FILE, ctypes.byref(o), 1)
    con = ctypes.c_char_p()
    rc = lib.selabel_lookup_raw(raw_handle, ctypes.byref(con), b, mode)
    if rc < 0:
        e = ctypes.get_errno()
        return None if e == errno.ENOENT else "!" + errno.errorcode.get(e, str(e))
    return con.value.decode()

out = []
start = time.time()
for hexpath, mode in req["queries"]:
    b = bytes.fromhex(hexpath)
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        out.append(raw_lookup(b, mode))
        continue
    try:
        out.append(selinux.selabel_lookup_raw(h, s, mode)[1])
    except OSError as e:
        out.append(None if e.errno == errno.ENOENT else "!" + errno.errorcode.get(e.errno, str(e.errno)))
json.dump({"answers": out, "elapsed": time.time() - start}, sys.stdout)
