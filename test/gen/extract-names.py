#!/usr/bin/python3
"""Extract the name pools the audit log generator draws from.

Run once (by hand) with the system Python, which has setools and
selinux.audit2why:

    source /var/lib/selinux-oracles/oracles.env
    PYTHONHASHSEED=0 /usr/bin/python3 test/gen/extract-names.py "$SE_POLICY" \
        > test/gen/fixtures/policy-names.json

The output is committed, so the generator (test/gen/*.ts) needs neither the
oracle tools nor Python. The output is deterministic for a given policy file
(fixed random seed, sorted iteration everywhere).

What it writes (see test/gen/names.ts for the TypeScript view):
  classes        class -> sorted permissions (own + common)
  types          every type (no attributes), sorted
  attrs          a few type attributes -> sorted member types
  users          SELinux user -> roles and MLS range
  domainRoles    domain -> roles (held by some user) whose type set has it
  roleUser       role -> the user the generator uses for it
  invalidRoleTypes  [role, type] pairs the policy does NOT allow (for
                 SELINUX_ERR "invalid context" records)
  missingRule    a pool of AVCs for which selinux.audit2why.analyze says
                 TERULE (missing allow rule): contexts table + tuples
                 [scontextIdx, tcontextIdx, class, [perms]]
"""
import hashlib
import json
import os
import random
import sys

import setools
import selinux.audit2why as audit2why

POLICY = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "SE_POLICY", "/etc/selinux/default/policy/policy.33")
POOL_SIZE = int(os.environ.get("POOL_SIZE", "3000"))
SEED = 20231123

ATTRS = ["domain", "file_type", "device_node", "port_type", "node_type",
         "netif_type", "packet_type", "filesystem_type", "exec_type",
         "mcs_constrained_type", "systemdunit", "ubac_constrained_type",
         "unconfined_domain_type"]

# Classes the generator uses, with how it picks the target context:
#   file: a file_type; dev: a device_node; fs: a filesystem_type;
#   port/node/netif/packet: those attributes; self: the source context;
#   domain: another domain; selfdomain: self or another domain;
#   fixed:<type>: one type; unit: a systemdunit type.
# Record is "AVC" (kernel) or "USER_AVC" (userspace object manager).
CLASS_TARGETS = {
    "file": ("file", "AVC", 30), "dir": ("file", "AVC", 20),
    "lnk_file": ("file", "AVC", 4), "sock_file": ("file", "AVC", 3),
    "fifo_file": ("file", "AVC", 3), "chr_file": ("dev", "AVC", 5),
    "blk_file": ("dev", "AVC", 2), "filesystem": ("fs", "AVC", 3),
    "anon_inode": ("file", "AVC", 1),
    "capability": ("self", "AVC", 8), "capability2": ("self", "AVC", 2),
    "cap_userns": ("self", "AVC", 1), "cap2_userns": ("self", "AVC", 1),
    "process": ("selfdomain", "AVC", 6), "process2": ("domain", "AVC", 1),
    "fd": ("domain", "AVC", 1), "key": ("selfdomain", "AVC", 1),
    "bpf": ("self", "AVC", 1), "perf_event": ("self", "AVC", 1),
    "lockdown": ("self", "AVC", 1), "io_uring": ("self", "AVC", 1),
    "tcp_socket": ("socket", "AVC", 6), "udp_socket": ("socket", "AVC", 3),
    "rawip_socket": ("socket", "AVC", 1), "sctp_socket": ("socket", "AVC", 1),
    "unix_stream_socket": ("unix", "AVC", 4), "unix_dgram_socket": ("unix", "AVC", 2),
    "netlink_route_socket": ("self", "AVC", 2), "netlink_audit_socket": ("self", "AVC", 1),
    "netlink_kobject_uevent_socket": ("self", "AVC", 1),
    "netlink_generic_socket": ("self", "AVC", 1), "packet_socket": ("self", "AVC", 1),
    "icmp_socket": ("self", "AVC", 1), "tun_socket": ("self", "AVC", 1),
    "vsock_socket": ("self", "AVC", 1), "alg_socket": ("self", "AVC", 1),
    "shm": ("selfdomain", "AVC", 1), "sem": ("selfdomain", "AVC", 1),
    "msgq": ("selfdomain", "AVC", 1),
    "security": ("fixed:security_t", "AVC", 2),
    "system": ("system", "AVC", 2),
    "node": ("node", "AVC", 1), "netif": ("netif", "AVC", 1),
    "packet": ("packet", "AVC", 1),
    "dbus": ("domain", "USER_AVC", 5),
    "service": ("unit", "USER_AVC", 2),
}
# system permissions checked by the kernel (target kernel_t) and by systemd
# (USER_AVC, target init_t).
KERNEL_SYSTEM_PERMS = ["ipc_info", "module_load", "module_request", "syslog_console",
                       "syslog_mod", "syslog_read"]
SYSTEMD_SYSTEM_PERMS = ["disable", "enable", "halt", "reboot", "reload", "start",
                        "status", "stop"]
PORT_PERMS = ["name_bind", "name_connect"]
NODE_PERMS = ["node_bind"]

SOURCE_LEVELS = ["s0", "s0", "s0", "s0-s0:c0.c1023", "s0-s0:c0.c1023", "s0:c1,c2",
                 "s0:c12,c345", "s0:c0.c255"]
TARGET_LEVELS = ["s0", "s0", "s0", "s0", "s0:c0.c1023", "s0:c1,c2", "s0:c5"]


def main():
    p = setools.SELinuxPolicy(POLICY)
    with open(POLICY, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    classes = {}
    for c in p.classes():
        perms = set(str(x) for x in c.perms)
        try:
            perms |= set(str(x) for x in c.common.perms)
        except setools.exception.NoCommon:
            pass
        classes[str(c)] = sorted(perms)
    classes = dict(sorted(classes.items()))

    types = sorted(str(t) for t in p.types())
    attrs = {}
    for a in p.typeattributes():
        if str(a) in ATTRS:
            attrs[str(a)] = sorted(str(t) for t in a.expand())
    attrs = dict(sorted(attrs.items()))

    users = {}
    for u in p.users():
        users[str(u)] = {"roles": sorted(str(r) for r in u.roles if str(r) != "object_r"),
                         "range": str(u.mls_range)}
    users = dict(sorted(users.items()))
    held = set()
    for u in users.values():
        held.update(u["roles"])
    # Prefer the conventional user for each role.
    pref = {"system_r": "system_u", "user_r": "user_u", "staff_r": "staff_u",
            "sysadm_r": "sysadm_u", "unconfined_r": "unconfined_u", "xdm_r": "xdm"}
    role_user = {}
    for r in sorted(held):
        cand = pref.get(r)
        if cand is None or cand not in users or r not in users[cand]["roles"]:
            cand = sorted(u for u, v in users.items() if r in v["roles"])[0]
        role_user[r] = cand

    domain_set = set(attrs["domain"])
    role_types = {}
    domain_roles = {}
    for r in p.roles():
        rn = str(r)
        if rn == "object_r":
            continue
        rt = sorted(str(t) for t in r.types())
        role_types[rn] = set(rt)
        if rn not in held:
            continue
        for t in rt:
            if t in domain_set:
                domain_roles.setdefault(t, []).append(rn)
    domain_roles = {d: sorted(rs) for d, rs in sorted(domain_roles.items())}

    rng = random.Random(SEED)
    invalid_role_types = []
    seen = set()
    doms = sorted(domain_set)
    for r in ["system_r", "user_r", "staff_r", "unconfined_r", "sysadm_r"]:
        n = 0
        while n < 40:
            t = rng.choice(doms)
            if t in role_types.get(r, set()) or (r, t) in seen:
                continue
            seen.add((r, t))
            invalid_role_types.append([r, t])
            n += 1

    missing = build_missing_pool(rng, classes, attrs, users, role_user, domain_roles)

    out = {
        "source": {
            "policy": POLICY,
            "policyVersion": p.version,
            "policySha256": sha,
            "mls": bool(p.mls),
            "setools": setools.__version__,
            "generatedBy": "test/gen/extract-names.py",
            "seed": SEED,
        },
        "classes": classes,
        "classTargets": {c: {"target": v[0], "record": v[1], "weight": v[2]}
                         for c, v in sorted(CLASS_TARGETS.items()) if c in classes},
        "kernelSystemPerms": KERNEL_SYSTEM_PERMS,
        "systemdSystemPerms": SYSTEMD_SYSTEM_PERMS,
        "sourceLevels": SOURCE_LEVELS,
        "targetLevels": TARGET_LEVELS,
        "types": types,
        "attrs": attrs,
        "users": users,
        "roleUser": role_user,
        "domainRoles": domain_roles,
        "invalidRoleTypes": invalid_role_types,
        "missingRule": missing,
    }
    write_json(out, sys.stdout)


def write_json(out, f):
    """Compact JSON, but one line per top-level key and per list item of the
    big tables, so that a regenerated fixture gives a readable diff."""
    def dump(v):
        return json.dumps(v, separators=(",", ":"))
    f.write("{\n")
    keys = list(out)
    for i, k in enumerate(keys):
        v = out[k]
        end = ",\n" if i + 1 < len(keys) else "\n"
        if isinstance(v, dict) and k in ("classes", "attrs", "domainRoles", "classTargets"):
            f.write("%s:{\n" % dump(k))
            items = list(v.items())
            f.write(",\n".join("%s:%s" % (dump(a), dump(b)) for a, b in items))
            f.write("\n}" + end)
        elif k == "missingRule":
            f.write('%s:{"contexts":[\n' % dump(k))
            f.write(",\n".join(dump(c) for c in v["contexts"]))
            f.write('\n],"tuples":[\n')
            f.write(",\n".join(dump(t) for t in v["tuples"]))
            f.write("\n]}" + end)
        else:
            f.write("%s:%s%s" % (dump(k), dump(v), end))
    f.write("}\n")


def user_range_high_is_s0(users, user):
    return users[user]["range"].strip() == "s0"


def pick_source(rng, users, role_user, domain_roles, doms):
    d = rng.choice(doms)
    roles = domain_roles[d]
    # Mostly system_r when available (daemons), otherwise any held role.
    role = "system_r" if "system_r" in roles and rng.random() < 0.85 else rng.choice(roles)
    user = role_user[role]
    level = "s0" if user_range_high_is_s0(users, user) else rng.choice(SOURCE_LEVELS)
    return d, "%s:%s:%s:%s" % (user, role, d, level)


def object_ctx(rng, t):
    user = "system_u" if rng.random() < 0.8 else "unconfined_u"
    return "%s:object_r:%s:%s" % (user, t, rng.choice(TARGET_LEVELS))


def pick_perms(rng, perms, k):
    k = min(k, len(perms))
    return sorted(rng.sample(perms, k))


def plan(rng, cls, spec, classes, attrs, users, role_user, domain_roles, doms):
    """Return (scontext, tcontext, perms) for one random AVC of class cls."""
    kind = spec[0]
    perms = classes[cls]
    src, scon = pick_source(rng, users, role_user, domain_roles, doms)
    k = 1 if rng.random() < 0.6 else (2 if rng.random() < 0.7 else 3)

    def domain_ctx():
        d, c = pick_source(rng, users, role_user, domain_roles, doms)
        return c

    if kind == "file":
        return scon, object_ctx(rng, rng.choice(attrs["file_type"])), pick_perms(rng, perms, k)
    if kind == "dev":
        return scon, object_ctx(rng, rng.choice(attrs["device_node"])), pick_perms(rng, perms, k)
    if kind == "fs":
        return scon, object_ctx(rng, rng.choice(attrs["filesystem_type"])), pick_perms(rng, perms, k)
    if kind == "self":
        return scon, scon, pick_perms(rng, perms, k)
    if kind == "domain":
        return scon, domain_ctx(), pick_perms(rng, perms, k)
    if kind == "selfdomain":
        return scon, (scon if rng.random() < 0.5 else domain_ctx()), pick_perms(rng, perms, k)
    if kind.startswith("fixed:"):
        return scon, "system_u:object_r:%s:s0" % kind[6:], pick_perms(rng, perms, k)
    if kind == "unit":
        return scon, object_ctx(rng, rng.choice(attrs["systemdunit"])), pick_perms(rng, perms, k)
    if kind == "system":
        if spec[1] == "USER_AVC":
            return scon, "system_u:system_r:init_t:s0", pick_perms(rng, SYSTEMD_SYSTEM_PERMS, k)
        return scon, "system_u:system_r:kernel_t:s0", pick_perms(rng, KERNEL_SYSTEM_PERMS, k)
    if kind == "socket":
        r = rng.random()
        if r < 0.35:
            return scon, object_ctx(rng, rng.choice(attrs["port_type"])), [rng.choice(
                [x for x in PORT_PERMS if x in perms] or perms)]
        if r < 0.45 and "node_bind" in perms:
            return scon, object_ctx(rng, rng.choice(attrs["node_type"])), ["node_bind"]
        other = [x for x in perms if x not in PORT_PERMS + NODE_PERMS]
        return scon, scon, pick_perms(rng, other, k)
    if kind == "unix":
        if rng.random() < 0.4:
            p = "connectto" if cls == "unix_stream_socket" else "sendto"
            return scon, domain_ctx(), [p]
        return scon, scon, pick_perms(rng, perms, k)
    if kind in ("node", "netif", "packet"):
        return scon, object_ctx(rng, rng.choice(attrs[kind + "_type"])), pick_perms(rng, perms, k)
    raise ValueError(kind)


def build_missing_pool(rng, classes, attrs, users, role_user, domain_roles):
    audit2why.init(POLICY)
    doms = sorted(domain_roles)
    weighted = []
    for cls, spec in sorted(CLASS_TARGETS.items()):
        if cls in classes:
            weighted.extend([(cls, spec)] * spec[2])
    contexts = []
    ctx_index = {}
    tuples = []
    seen = set()
    tries = 0
    per_class = {}
    while len(tuples) < POOL_SIZE:
        tries += 1
        cls, spec = rng.choice(weighted)
        # systemd's "system" checks come as USER_AVC, the kernel's as AVC.
        if cls == "system":
            spec = (spec[0], "USER_AVC" if rng.random() < 0.5 else "AVC", spec[2])
        scon, tcon, perms = plan(rng, cls, spec, classes, attrs, users, role_user,
                                 domain_roles, doms)
        key = (scon, tcon, cls, tuple(perms))
        if key in seen:
            continue
        seen.add(key)
        try:
            rc, _data = audit2why.analyze(scon, tcon, cls, perms)
        except Exception:
            continue
        if rc != audit2why.TERULE:
            continue
        # Each permission alone must be a missing rule too, so that the
        # generator may split or merge them freely.
        if len(perms) > 1 and any(audit2why.analyze(scon, tcon, cls, [x])[0] != audit2why.TERULE
                                  for x in perms):
            continue
        for c in (scon, tcon):
            if c not in ctx_index:
                ctx_index[c] = len(contexts)
                contexts.append(c)
        tuples.append([ctx_index[scon], ctx_index[tcon], cls, perms, spec[1]])
        per_class[cls] = per_class.get(cls, 0) + 1
    audit2why.finish()
    sys.stderr.write("missing-rule pool: %d tuples from %d analyses; %s\n" % (
        len(tuples), tries, ", ".join("%s=%d" % kv for kv in sorted(per_class.items()))))
    return {"contexts": contexts, "tuples": tuples}


if __name__ == "__main__":
    main()
