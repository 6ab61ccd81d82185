;; The fast path of `allow`'s reading loop (lineScan.ts): whole lines of a raw audit.log chunk that
;; the JavaScript parser would only count, read here without leaving WebAssembly. A line is
;;   - a skipped record: `type=WORD msg=audit(...):` with WORD a type `allow` does not read
;;     (taught by the caller) and a stamp `checkStamp` accepts: counted;
;;   - a repeat: a kernel `type=AVC` (or `1400`) `avc:  denied  { perms }` line, or a USER_AVC one
;;     whose fields before the message the parser would not keep, whose decision key (decisions.ts:
;;     the permissions, the tail from ` scontext=`, the ioctlcmd, kernel or user) was taught with
;;     its id: written to the hits as (id, line number, start); a grant taught, a SELINUX_ERR whose
;;     body was taught (with the id of its invalid context), a policy load or daemon start: hits
;;     of their own kinds (see $line);
;;   - anything else: the loop stops there and the caller parses that line in JavaScript.
;; Each test below is the JavaScript parser's own (record.ts readStamp/checkStamp, selinuxRecord.ts
;; parseAvcBody/decisionBytes, decisions.ts find), so a line read here is one the parser would read
;; the same way; whatever differs in the least is left to the parser.
;;
;; Memory (imported; offsets fixed by lineScan.ts):
;;   0       256 bytes: 1 where a byte is whitespace (bytes.ts IS_SPACE)
;;   256     type words: 64 entries of 32 bytes [length, class, word...]; class 0 skipped, 1 AVC,
;;           2 USER_AVC, 3 MAC_POLICY_LOAD or DAEMON_START, 4 SELINUX_ERR
;;   3968    out: [0] line number reached, [1] records read, [2] hits written, [3] end of the line
;;           stopped at (its newline), -1 when no whole line is left, -2 when the hits are full
;;   4000    the literals the loop looks for (see $decision, $userMessage and $line)
;;   4096    scratch: a key to teach (permissions, tail, ioctlcmd), at most 12 KiB
;;   16384   hits: 16,384 entries of [id, line, start]
;;   262144  heads of the key table: 2^16 entries (up to 2^18), each the offset of its first key (0: none)
;;   2097152 input: the chunk being read (4 MiB, and 16 bytes past for 16-byte loads)
;;   8388608 keys: [next, hash, id, permsLen, tailLen, ioctlLen (-1: none), kind] then their bytes;
;;           kind: 0 kernel, 1 USER_AVC, 2 SELINUX_ERR body (as the tail), + 4 a grant
(module
  (import "porthole" "memory" (memory 1))

  (global $ntypes (mut i32) (i32.const 0))
  (global $keys (mut i32) (i32.const 8388608))
  ;; The heads in use: 2^16 (256 KB, which stays in cache), doubled up to 2^18 as keys come.
  (global $mask (mut i32) (i32.const 0xffff))
  (global $nkeys (mut i32) (i32.const 0))

  (func $space (param $i i32) (result i32)
    (i32.load8_u (i32.load8_u (local.get $i))))

  (func $skipSpace (param $p i32) (param $e i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (br_if $done (i32.eqz (i32.load8_u (i32.load8_u (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $l)))
    (local.get $p))

  (func $skipToken (param $p i32) (param $e i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (br_if $done (i32.load8_u (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $l)))
    (local.get $p))

  ;; a[0, n) = b[0, n)
  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $no
      (loop $l8
        (if (i32.ge_u (local.get $n) (i32.const 8))
          (then
            (br_if $no (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))))
            (local.set $a (i32.add (local.get $a) (i32.const 8)))
            (local.set $b (i32.add (local.get $b) (i32.const 8)))
            (local.set $n (i32.sub (local.get $n) (i32.const 8)))
            (br $l8))))
      (loop $l1
        (if (local.get $n)
          (then
            (br_if $no (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $l1))))
      (return (i32.const 1)))
    (i32.const 0))

  ;; Whether the literal (`n` bytes at `lit`, in the scratch's literal area) stands at p, within e.
  (func $at (param $p i32) (param $e i32) (param $lit i32) (param $n i32) (result i32)
    (if (i32.gt_s (local.get $n) (i32.sub (local.get $e) (local.get $p))) (then (return (i32.const 0))))
    (call $same (local.get $p) (local.get $lit) (local.get $n)))

  ;; The first p in [from, to) where the literal stands whole, or -1 (bytes.ts indexOf).
  (func $find (param $from i32) (param $to i32) (param $lit i32) (param $n i32) (result i32)
    (local $last i32)
    (if (i32.lt_s (i32.sub (local.get $to) (local.get $from)) (local.get $n)) (then (return (i32.const -1))))
    (local.set $last (i32.sub (local.get $to) (local.get $n)))
    (block $done
      (loop $l
        (br_if $done (i32.gt_s (local.get $from) (local.get $last)))
        (if (call $same (local.get $from) (local.get $lit) (local.get $n)) (then (return (local.get $from))))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $l)))
    (i32.const -1))

  ;; The first newline in [p, e), or -1: 16 bytes at a time (the input has 16 bytes of room past its end).
  (func $newline (param $p i32) (param $e i32) (result i32)
    (local $m i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (i8x16.splat (i32.const 10)))))
        (if (local.get $m)
          (then
            (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $m))))
            (if (i32.lt_u (local.get $p) (local.get $e)) (then (return (local.get $p))))
            (return (i32.const -1))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $l)))
    (i32.const -1))

  (func $mixBytes (param $h i32) (param $a i32) (param $n i32) (result i32)
    (block $done
      (loop $l4
        (br_if $done (i32.lt_s (local.get $n) (i32.const 4)))
        (local.set $h (i32.rotl (i32.mul (i32.xor (local.get $h) (i32.load (local.get $a))) (i32.const 0x01000193)) (i32.const 15)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $l4)))
    (block $done1
      (loop $l1
        (br_if $done1 (i32.eqz (local.get $n)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $a))) (i32.const 0x01000193)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l1)))
    (local.get $h))

  ;; The key's hash: the tail, the permissions, the ioctlcmd (when ioN >= 0), mixed down.
  (func $keyHash (param $tail i32) (param $tailN i32) (param $perms i32) (param $permsN i32) (param $io i32) (param $ioN i32) (param $kind i32) (result i32)
    (local $h i32)
    (local.set $h (call $mixBytes (i32.xor (i32.const 0x811c9dc5) (i32.mul (local.get $kind) (i32.const 0x5bd1e995))) (local.get $tail) (local.get $tailN)))
    (local.set $h (call $mixBytes (local.get $h) (local.get $perms) (local.get $permsN)))
    (if (i32.ge_s (local.get $ioN) (i32.const 0))
      (then (local.set $h (call $mixBytes (i32.xor (local.get $h) (i32.const 0x9e3779b9)) (local.get $io) (local.get $ioN)))))
    (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
    (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
    (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
    (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
    (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))

  ;; The id of a taught key, or -1.
  (func $lookup (param $tail i32) (param $tailN i32) (param $perms i32) (param $permsN i32) (param $io i32) (param $ioN i32) (param $user i32) (result i32)
    (local $h i32)
    (local $k i32)
    (local.set $h (call $keyHash (local.get $tail) (local.get $tailN) (local.get $perms) (local.get $permsN) (local.get $io) (local.get $ioN) (local.get $user)))
    (local.set $k (i32.load (i32.add (i32.const 262144) (i32.shl (i32.and (local.get $h) (global.get $mask)) (i32.const 2)))))
    (block $none
      (loop $l
        (br_if $none (i32.eqz (local.get $k)))
        (if (i32.and
              (i32.and (i32.eq (i32.load offset=4 (local.get $k)) (local.get $h))
                       (i32.eq (i32.load offset=12 (local.get $k)) (local.get $permsN)))
              (i32.and (i32.and (i32.eq (i32.load offset=16 (local.get $k)) (local.get $tailN))
                                (i32.eq (i32.load offset=20 (local.get $k)) (local.get $ioN)))
                       (i32.eq (i32.load offset=24 (local.get $k)) (local.get $user))))
          (then
            (if (call $same (i32.add (local.get $k) (i32.add (i32.const 28) (local.get $permsN))) (local.get $tail) (local.get $tailN))
              (then
                (if (call $same (i32.add (local.get $k) (i32.const 28)) (local.get $perms) (local.get $permsN))
                  (then
                    (if (i32.lt_s (local.get $ioN) (i32.const 1))
                      (then (return (i32.load offset=8 (local.get $k)))))
                    (if (call $same (i32.add (local.get $k) (i32.add (i32.const 28) (i32.add (local.get $permsN) (local.get $tailN)))) (local.get $io) (local.get $ioN))
                      (then (return (i32.load offset=8 (local.get $k)))))))))))
        (local.set $k (i32.load (local.get $k)))
        (br $l)))
    (i32.const -1))

  ;; Teaches the key in the scratch (permissions, tail, ioctlcmd; ioN -1 when none) as `id`.
  ;; Returns 0, or -1 when the memory (of `top` bytes) has no room: grow it and call again.
  (func (export "teach") (param $permsN i32) (param $tailN i32) (param $ioN i32) (param $user i32) (param $id i32) (param $top i32) (result i32)
    (local $k i32)
    (local $n i32)
    (local $h i32)
    (local.set $n (i32.add (local.get $permsN) (local.get $tailN)))
    (if (i32.gt_s (local.get $ioN) (i32.const 0)) (then (local.set $n (i32.add (local.get $n) (local.get $ioN)))))
    (local.set $k (global.get $keys))
    (if (i32.gt_u (i32.add (i32.add (local.get $k) (i32.const 40)) (local.get $n)) (local.get $top)) (then (return (i32.const -1))))
    (local.set $h (call $keyHash
      (i32.add (i32.const 4096) (local.get $permsN)) (local.get $tailN)
      (i32.const 4096) (local.get $permsN)
      (i32.add (i32.const 4096) (i32.add (local.get $permsN) (local.get $tailN))) (local.get $ioN) (local.get $user)))
    (i32.store offset=4 (local.get $k) (local.get $h))
    (i32.store offset=8 (local.get $k) (local.get $id))
    (i32.store offset=12 (local.get $k) (local.get $permsN))
    (i32.store offset=16 (local.get $k) (local.get $tailN))
    (i32.store offset=20 (local.get $k) (local.get $ioN))
    (i32.store offset=24 (local.get $k) (local.get $user))
    (memory.copy (i32.add (local.get $k) (i32.const 28)) (i32.const 4096) (local.get $n))
    (call $link (local.get $k))
    (global.set $keys (i32.and (i32.add (i32.add (local.get $k) (i32.const 35)) (local.get $n)) (i32.const -8)))
    (global.set $nkeys (i32.add (global.get $nkeys) (i32.const 1)))
    (if (i32.and (i32.gt_u (global.get $nkeys) (i32.shl (global.get $mask) (i32.const 1))) (i32.lt_u (global.get $mask) (i32.const 0x3ffff)))
      (then (call $rehash)))
    (i32.const 0))

  ;; Puts key k at the head of its chain.
  (func $link (param $k i32)
    (local $head i32)
    (local.set $head (i32.add (i32.const 262144) (i32.shl (i32.and (i32.load offset=4 (local.get $k)) (global.get $mask)) (i32.const 2))))
    (i32.store (local.get $k) (i32.load (local.get $head)))
    (i32.store (local.get $head) (local.get $k)))

  ;; Twice the heads, the keys linked again (they lie one after the other from 8 MiB).
  (func $rehash
    (local $k i32)
    (local $n i32)
    (global.set $mask (i32.or (i32.shl (global.get $mask) (i32.const 1)) (i32.const 1)))
    (memory.fill (i32.const 262144) (i32.const 0) (i32.shl (i32.add (global.get $mask) (i32.const 1)) (i32.const 2)))
    (local.set $k (i32.const 8388608))
    (block $done
      (loop $keys
        (br_if $done (i32.ge_u (local.get $k) (global.get $keys)))
        (local.set $n (i32.add (i32.load offset=12 (local.get $k)) (i32.load offset=16 (local.get $k))))
        (if (i32.gt_s (i32.load offset=20 (local.get $k)) (i32.const 0)) (then (local.set $n (i32.add (local.get $n) (i32.load offset=20 (local.get $k))))))
        (call $link (local.get $k))
        (local.set $k (i32.and (i32.add (i32.add (local.get $k) (i32.const 35)) (local.get $n)) (i32.const -8)))
        (br $keys))))

  ;; Teaches a record type word (its bytes in the scratch) with its class; 0, or -1 when full.
  (func (export "teachType") (param $n i32) (param $class i32) (result i32)
    (local $e i32)
    (if (i32.or (i32.ge_u (global.get $ntypes) (i32.const 64)) (i32.gt_u (local.get $n) (i32.const 30))) (then (return (i32.const -1))))
    (local.set $e (i32.add (i32.const 256) (i32.shl (global.get $ntypes) (i32.const 5))))
    (i32.store8 (local.get $e) (local.get $n))
    (i32.store8 offset=1 (local.get $e) (local.get $class))
    (memory.copy (i32.add (local.get $e) (i32.const 2)) (i32.const 4096) (local.get $n))
    (global.set $ntypes (i32.add (global.get $ntypes) (i32.const 1)))
    (i32.const 0))

  ;; The class of the type word at [t, t + n), or -1 when not taught.
  (func $typeClass (param $t i32) (param $n i32) (result i32)
    (local $i i32)
    (local $e i32)
    (block $none
      (loop $l
        (br_if $none (i32.ge_u (local.get $i) (global.get $ntypes)))
        (local.set $e (i32.add (i32.const 256) (i32.shl (local.get $i) (i32.const 5))))
        (if (i32.eq (i32.load8_u (local.get $e)) (local.get $n))
          (then
            (if (call $same (i32.add (local.get $e) (i32.const 2)) (local.get $t) (local.get $n))
              (then (return (i32.load8_u offset=1 (local.get $e)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.const -1))

  ;; record.ts checkStamp: a ')' ahead, digits (1-15) between the ':' before it and it.
  (func $checkStamp (param $p i32) (param $e i32) (result i32)
    (local $close i32)
    (local $colon i32)
    (local $i i32)
    (local.set $close (local.get $p))
    (block $found
      (loop $l
        (if (i32.ge_u (local.get $close) (local.get $e)) (then (return (i32.const 0))))
        (br_if $found (i32.eq (i32.load8_u (local.get $close)) (i32.const 0x29)))
        (local.set $close (i32.add (local.get $close) (i32.const 1)))
        (br $l)))
    (local.set $colon (i32.sub (local.get $close) (i32.const 1)))
    (block $found2
      (loop $l2
        (if (i32.lt_s (local.get $colon) (local.get $p)) (then (return (i32.const 0))))
        (br_if $found2 (i32.eq (i32.load8_u (local.get $colon)) (i32.const 0x3a)))
        (local.set $colon (i32.sub (local.get $colon) (i32.const 1)))
        (br $l2)))
    (local.set $i (i32.add (local.get $colon) (i32.const 1)))
    (if (i32.or (i32.le_s (local.get $close) (local.get $i)) (i32.gt_s (i32.sub (local.get $close) (local.get $i)) (i32.const 15)))
      (then (return (i32.const 0))))
    (block $bad
      (loop $l3
        (br_if $bad (i32.eqz (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l3 (i32.lt_u (local.get $i) (local.get $close))))
      (return (i32.const 1)))
    (i32.const 0))

  ;; readStamp's common form after `msg=audit(` (at p): DIGITS.DIGITS:DIGITS): ; where the body
  ;; starts, or -1 (any other form is the parser's).
  (func $stamp (param $p i32) (param $e i32) (result i32)
    (local $i i32)
    (local $s i32)
    (local.set $i (local.get $p))
    (block $d
      (loop $l
        (br_if $d (i32.ge_u (local.get $i) (local.get $e)))
        (br_if $d (i32.eqz (i32.or (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)) (i32.const 10)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2e)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (if (i32.or (i32.le_u (local.get $i) (local.get $p)) (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a))) (then (return (i32.const -1))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (local.set $s (local.get $i))
    (block $d2
      (loop $l2
        (br_if $d2 (i32.ge_u (local.get $i) (local.get $e)))
        (br_if $d2 (i32.eqz (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l2)))
    (if (i32.or
          (i32.or (i32.le_u (local.get $i) (local.get $s)) (i32.gt_u (i32.sub (local.get $i) (local.get $s)) (i32.const 15)))
          (i32.or (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x29)) (i32.ne (i32.load8_u offset=1 (local.get $i)) (i32.const 0x3a))))
      (then (return (i32.const -1))))
    (i32.add (local.get $i) (i32.const 2)))

  ;; A USER_AVC body (from b): where its `avc:` is when what comes before it is `KEY=VALUE` words
  ;; of keys the parser keeps none of (pid, uid, auid, ses, subj: literals at 4045), separated by
  ;; spaces, then `msg='`; else -1. The parser then keeps no field before the message, and its
  ;; decision is memoised as a kernel one is.
  (func $userMessage (param $b i32) (param $e i32) (result i32)
    (local $k i32)
    (local $n i32)
    (block $bad
      (loop $words
        (br_if $bad (i32.ge_u (local.get $b) (local.get $e)))
        (if (i32.eq (i32.load8_u (local.get $b)) (i32.const 0x20))
          (then
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $words)))
        (if (call $at (local.get $b) (local.get $e) (i32.const 4062) (i32.const 9))
          (then (return (i32.add (local.get $b) (i32.const 5)))))
        ;; KEY= with KEY one of the five
        (local.set $k (local.get $b))
        (block $eq
          (loop $key
            (br_if $bad (i32.ge_u (local.get $k) (local.get $e)))
            (br_if $eq (i32.eq (i32.load8_u (local.get $k)) (i32.const 0x3d)))
            (br_if $bad (i32.load8_u (i32.load8_u (local.get $k))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $key)))
        (local.set $n (i32.sub (local.get $k) (local.get $b)))
        (br_if $bad (i32.eqz (i32.or
          (i32.or
            (i32.and (i32.eq (local.get $n) (i32.const 3)) (i32.or (call $same (local.get $b) (i32.const 4045) (i32.const 3)) (i32.or (call $same (local.get $b) (i32.const 4048) (i32.const 3)) (call $same (local.get $b) (i32.const 4051) (i32.const 3)))))
            (i32.and (i32.eq (local.get $n) (i32.const 4)) (call $same (local.get $b) (i32.const 4054) (i32.const 4))))
          (i32.and (i32.eq (local.get $n) (i32.const 4)) (call $same (local.get $b) (i32.const 4058) (i32.const 4))))))
        ;; a plain value: no quote, no other whitespace before the space that ends it, and not an
        ;; `avc:` (the parser would take the message to start there)
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $bad (call $at (local.get $k) (local.get $e) (i32.const 4000) (i32.const 4)))
        (block $end
          (loop $value
            (br_if $end (i32.ge_u (local.get $k) (local.get $e)))
            (br_if $end (i32.eq (i32.load8_u (local.get $k)) (i32.const 0x20)))
            (br_if $bad (i32.load8_u (i32.load8_u (local.get $k))))
            (br_if $bad (i32.eq (i32.load8_u (local.get $k)) (i32.const 0x22)))
            (br_if $bad (i32.eq (i32.load8_u (local.get $k)) (i32.const 0x27)))
            (br_if $bad (i32.eq (i32.load8_u (local.get $k)) (i32.const 0x3d)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $value)))
        (local.set $b (local.get $k))
        (br $words)))
    (i32.const -1))

  ;; The decision from `avc:` at q to e (parseAvcBody, decisionBytes, DecisionMemo.find): the id of
  ;; its taught key, -4 for a grant taught, or -1. `user`: a USER_AVC's. The literals: 4000 "avc:",
  ;; 4004 "denied", 4010 " scontext=", 4020 "ioctl", 4025 " ioctlcmd=", 4071 "granted".
  (func $decision (param $q i32) (param $e i32) (param $user i32) (result i32)
    (local $kind i32)
    (local $id i32)
    (local $i i32)
    (local $s i32)
    (local $t i32)
    (local $ps i32)
    (local $pe i32)
    (local $sc i32)
    (local $stop i32)
    (local $io i32)
    (local $ioN i32)
    (local $m i32)
    ;; `denied`, then `{ ` and the permissions up to a lone `}`.
    (local.set $q (call $skipSpace (i32.add (local.get $q) (i32.const 4)) (local.get $e)))
    (local.set $t (call $skipToken (local.get $q) (local.get $e)))
    (local.set $kind (local.get $user))
    (if (i32.and (i32.eq (i32.sub (local.get $t) (local.get $q)) (i32.const 7)) (call $same (local.get $q) (i32.const 4071) (i32.const 7)))
      (then (local.set $kind (i32.or (local.get $kind) (i32.const 4))))
      (else
        (if (i32.or (i32.ne (i32.sub (local.get $t) (local.get $q)) (i32.const 6)) (i32.eqz (call $same (local.get $q) (i32.const 4004) (i32.const 6))))
          (then (return (i32.const -1))))))
    (local.set $q (call $skipSpace (local.get $t) (local.get $e)))
    (if (i32.ge_u (i32.add (local.get $q) (i32.const 1)) (local.get $e)) (then (return (i32.const -1))))
    (if (i32.or (i32.ne (i32.load8_u (local.get $q)) (i32.const 0x7b)) (i32.eqz (call $space (i32.add (local.get $q) (i32.const 1)))))
      (then (return (i32.const -1))))
    (local.set $q (call $skipSpace (i32.add (local.get $q) (i32.const 1)) (local.get $e)))
    (local.set $ps (local.get $q))
    (local.set $pe (local.get $q))
    (block $closed
      (loop $perms
        (if (i32.ge_u (local.get $q) (local.get $e)) (then (return (i32.const -1))))
        (local.set $t (call $skipToken (local.get $q) (local.get $e)))
        (if (i32.and (i32.eq (local.get $t) (i32.add (local.get $q) (i32.const 1))) (i32.eq (i32.load8_u (local.get $q)) (i32.const 0x7d)))
          (then
            (local.set $q (local.get $t))
            (br $closed)))
        (if (i32.eq (i32.load8_u (local.get $q)) (i32.const 0x7b)) (then (return (i32.const -1))))
        (local.set $pe (local.get $t))
        (local.set $q (call $skipSpace (local.get $t) (local.get $e)))
        (br $perms)))
;; decisionBytes: the last ` scontext=` within the last 1024 bytes and after the list, found
    ;; 16 bytes at a time (a space before an 's'), as JavaScript finds it scanning back.
    (local.set $stop (local.get $q))
    (if (i32.gt_s (i32.sub (local.get $e) (i32.const 1024)) (local.get $stop)) (then (local.set $stop (i32.sub (local.get $e) (i32.const 1024)))))
    (local.set $sc (i32.const -1))
    (local.set $i (local.get $stop))
    (block $searched
      (loop $ahead
        (br_if $searched (i32.gt_s (i32.add (local.get $i) (i32.const 10)) (local.get $e)))
        (local.set $m (i8x16.bitmask (v128.and
          (i8x16.eq (v128.load (local.get $i)) (i8x16.splat (i32.const 0x20)))
          (i8x16.eq (v128.load offset=1 (local.get $i)) (i8x16.splat (i32.const 0x73))))))
        (block $bits
          (loop $bit
            (br_if $bits (i32.eqz (local.get $m)))
            (local.set $s (i32.add (local.get $i) (i32.ctz (local.get $m))))
            (br_if $bits (i32.gt_s (i32.add (local.get $s) (i32.const 10)) (local.get $e)))
            (if (call $same (local.get $s) (i32.const 4010) (i32.const 10)) (then (local.set $sc (local.get $s))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (br $bit)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $ahead)))
    (if (i32.lt_s (local.get $sc) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $io (i32.const -1))
    (local.set $ioN (i32.const -1))
    (if (i32.ge_s (call $find (local.get $ps) (local.get $pe) (i32.const 4020) (i32.const 5)) (i32.const 0))
      (then
        (local.set $io (call $find (i32.sub (local.get $q) (i32.const 1)) (local.get $e) (i32.const 4025) (i32.const 10)))
        (if (i32.ge_s (local.get $io) (i32.const 0))
          (then
            (local.set $io (i32.add (local.get $io) (i32.const 10)))
            (local.set $ioN (i32.sub (call $skipToken (local.get $io) (local.get $e)) (local.get $io)))))))
    (local.set $id (call $lookup (local.get $sc) (i32.sub (local.get $e) (local.get $sc)) (local.get $ps) (i32.sub (local.get $pe) (local.get $ps)) (local.get $io) (local.get $ioN) (local.get $kind)))
    ;; A grant says only that SELinux records are there.
    (if (i32.and (i32.ge_s (local.get $id) (i32.const 0)) (i32.ne (i32.and (local.get $kind) (i32.const 4)) (i32.const 0))) (then (return (i32.const -4))))
    (local.get $id))

  ;; One line [s, e): -1 for the parser, -2 a skipped record, -3 a policy load or daemon start,
  ;; -4 a grant taught, an id a denial taught, an id | 2^29 a SELINUX_ERR body taught.
  (func $line (param $s i32) (param $e i32) (result i32)
    (local $t i32)
    (local $te i32)
    (local $class i32)
    (local $p i32)
    (if (i32.lt_s (i32.sub (local.get $e) (local.get $s)) (i32.const 16)) (then (return (i32.const -1))))
    ;; "type=" ('t' 'y' 'p' 'e' as a little-endian word, then '=')
    (if (i32.or (i32.ne (i32.load (local.get $s)) (i32.const 0x65707974)) (i32.ne (i32.load8_u offset=4 (local.get $s)) (i32.const 0x3d)))
      (then (return (i32.const -1))))
    (local.set $t (i32.add (local.get $s) (i32.const 5)))
    (local.set $te (call $skipToken (local.get $t) (local.get $e)))
    (if (i32.or (i32.eq (local.get $te) (local.get $t)) (i32.gt_u (i32.sub (local.get $te) (local.get $t)) (i32.const 30))) (then (return (i32.const -1))))
    (local.set $class (call $typeClass (local.get $t) (i32.sub (local.get $te) (local.get $t))))
    (if (i32.lt_s (local.get $class) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $p (call $skipSpace (local.get $te) (local.get $e)))
    ;; "msg=audit(" at 4035
    (if (i32.eqz (call $at (local.get $p) (local.get $e) (i32.const 4035) (i32.const 10))) (then (return (i32.const -1))))
    (local.set $p (i32.add (local.get $p) (i32.const 10)))
    (if (i32.eqz (local.get $class))
      (then
        (if (call $checkStamp (local.get $p) (local.get $e)) (then (return (i32.const -2))))
        (return (i32.const -1))))
    (local.set $p (call $stamp (local.get $p) (local.get $e)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    ;; A policy load or daemon start: only that it is there counts.
    (if (i32.eq (local.get $class) (i32.const 3)) (then (return (i32.const -3))))
    ;; A SELINUX_ERR body taught (its whole bytes, as kind 2): its invalid context's id, marked.
    (if (i32.eq (local.get $class) (i32.const 4))
      (then
        (local.set $t (call $lookup (local.get $p) (i32.sub (local.get $e) (local.get $p)) (local.get $p) (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 2)))
        (if (i32.lt_s (local.get $t) (i32.const 0)) (then (return (i32.const -1))))
        (return (i32.or (local.get $t) (i32.const 0x20000000)))))
    ;; parseAvcBody: `avc:` first (after spaces), or for USER_AVC after harmless fields.
    (local.set $p (call $skipSpace (local.get $p) (local.get $e)))
    (if (call $at (local.get $p) (local.get $e) (i32.const 4000) (i32.const 4))
      (then (return (call $decision (local.get $p) (local.get $e) (i32.eq (local.get $class) (i32.const 2))))))
    (if (i32.ne (local.get $class) (i32.const 2)) (then (return (i32.const -1))))
    (local.set $p (call $userMessage (local.get $p) (local.get $e)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (call $decision (local.get $p) (local.get $e) (i32.const 1)))

  ;; Reads whole lines from pos to end (line: the number of the line before pos). Returns where it
  ;; stopped; out[3] says why (see the memory map).
  (func (export "scan") (param $pos i32) (param $end i32) (param $line i32) (result i32)
    (local $nl i32)
    (local $e i32)
    (local $r i32)
    (local $hits i32)
    (local $records i32)
    (local $h i32)
    (block $stop
      (loop $lines
        (local.set $nl (call $newline (local.get $pos) (local.get $end)))
        (if (i32.lt_s (local.get $nl) (i32.const 0))
          (then
            (i32.store offset=3980 (i32.const 0) (i32.const -1))
            (br $stop)))
        (if (i32.ge_u (local.get $hits) (i32.const 16384))
          (then
            (i32.store offset=3980 (i32.const 0) (i32.const -2))
            (br $stop)))
        (local.set $e (local.get $nl))
        (if (i32.and (i32.gt_u (local.get $e) (local.get $pos)) (i32.eq (i32.load8_u offset=0 (i32.sub (local.get $e) (i32.const 1))) (i32.const 13)))
          (then (local.set $e (i32.sub (local.get $e) (i32.const 1)))))
        (local.set $r (call $line (local.get $pos) (local.get $e)))
        (if (i32.eq (local.get $r) (i32.const -1))
          (then
            (i32.store offset=3980 (i32.const 0) (local.get $nl))
            (br $stop)))
        (local.set $line (i32.add (local.get $line) (i32.const 1)))
        (local.set $records (i32.add (local.get $records) (i32.const 1)))
        (if (i32.ne (local.get $r) (i32.const -2))
          (then
            (local.set $h (i32.add (i32.const 16384) (i32.mul (local.get $hits) (i32.const 12))))
            (i32.store (local.get $h) (local.get $r))
            (i32.store offset=4 (local.get $h) (local.get $line))
            (i32.store offset=8 (local.get $h) (local.get $pos))
            (local.set $hits (i32.add (local.get $hits) (i32.const 1)))))
        (local.set $pos (i32.add (local.get $nl) (i32.const 1)))
        (br $lines)))
    (i32.store offset=3968 (i32.const 0) (local.get $line))
    (i32.store offset=3972 (i32.const 0) (local.get $records))
    (i32.store offset=3976 (i32.const 0) (local.get $hits))
    (local.get $pos))
)
