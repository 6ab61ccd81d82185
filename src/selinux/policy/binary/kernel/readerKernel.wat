;; The loops of the policy reader that touch every access-vector rule, every
;; bit of the type attribute map and every constraint: copying the 12-byte
;; avtab entries into the AvTab columns, building the AvTabIndex hash table,
;; checking and decoding the type attribute map, checking the constraints. They
;; run once per process, where JavaScript is still interpreted (and its
;; optimizing compiler costs more than it saves); WebAssembly is compiled
;; before it runs. Same checks, same hash and probing as avtab.ts, indexes.ts,
;; ebitmap.ts, checks.ts, readConstraints.ts and readRules.ts, which keep the
;; JavaScript versions for what this leaves to them: extended-permission
;; entries, anything this declines (error messages come from there), lookups,
;; decoding.
;; Assembled by scripts/build-wasm.mjs into readerKernel.wasm.ts.
(module
  (memory (import "porthole" "memory") 1)

  ;; Copies up to $n entries from the bytes at $at .. $end into the columns
  ;; (u16 src, tgt, cls, spec; u32 data) from index $i0. Stops before an entry
  ;; that is not whole in the bytes, has an extended-permission kind, or fails
  ;; the key check (one kind bit of the mask 0x7f7 once 0x8000 is cleared, type values
  ;; 1..$ntypes, class values 1..$nclasses) or, for a type rule, the check of its
  ;; new type (1..$ntypes). Returns the number copied.
  (func (export "readEntries")
    (param $at i32) (param $end i32) (param $n i32) (param $ntypes i32) (param $nclasses i32)
    (param $src i32) (param $tgt i32) (param $cls i32) (param $spec i32) (param $data i32) (param $i0 i32)
    (result i32)
    (local $k i32) (local $s i32) (local $t i32) (local $c i32) (local $sp i32) (local $o i32) (local $d i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (br_if $done (i32.lt_s (i32.sub (local.get $end) (local.get $at)) (i32.const 12)))
        (local.set $s (i32.load16_u (local.get $at)))
        (local.set $t (i32.load16_u offset=2 (local.get $at)))
        (local.set $c (i32.load16_u offset=4 (local.get $at)))
        (local.set $sp (i32.and (i32.load16_u offset=6 (local.get $at)) (i32.const 0x7fff)))
        ;; exactly one bit, within the mask, and not an xperm kind (0x700)
        (br_if $done (i32.eqz (i32.and (local.get $sp) (i32.const 0x0077))))
        (br_if $done (i32.and (local.get $sp) (i32.sub (local.get $sp) (i32.const 1))))
        (br_if $done (i32.and (local.get $sp) (i32.const 0x7f88)))
        (br_if $done (i32.or (i32.eqz (local.get $s)) (i32.gt_u (local.get $s) (local.get $ntypes))))
        (br_if $done (i32.or (i32.eqz (local.get $t)) (i32.gt_u (local.get $t) (local.get $ntypes))))
        (br_if $done (i32.or (i32.eqz (local.get $c)) (i32.gt_u (local.get $c) (local.get $nclasses))))
        ;; a type rule's (0x70: transition, member, change) new type: a declared type value
        (if (i32.and (local.get $sp) (i32.const 0x0070))
          (then
            (local.set $d (i32.load offset=8 (local.get $at)))
            (br_if $done (i32.or (i32.eqz (local.get $d)) (i32.gt_u (local.get $d) (local.get $ntypes))))))
        (local.set $o (i32.shl (i32.add (local.get $i0) (local.get $k)) (i32.const 1)))
        (i32.store16 (i32.add (local.get $src) (local.get $o)) (local.get $s))
        (i32.store16 (i32.add (local.get $tgt) (local.get $o)) (local.get $t))
        (i32.store16 (i32.add (local.get $cls) (local.get $o)) (local.get $c))
        (i32.store16 (i32.add (local.get $spec) (local.get $o)) (local.get $sp))
        (i32.store (i32.add (local.get $data) (i32.shl (local.get $o) (i32.const 1))) (i32.load offset=8 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (i32.const 12)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $k))

  ;; AvTabIndex's table: $slots (i32 x ($mask + 1)) holds the first entry of
  ;; each key, $next (i32 x $n) the following entry with the same key, -1 at
  ;; the end; built backwards so that chains come out in file order. Returns
  ;; the number of distinct keys. With $next = -1 no chain is written: the
  ;; entries of a key then must be consecutive, and $scattered says whether
  ;; they were not (libsepol writes each key's entries together).
  (global $scattered (export "scattered") (mut i32) (i32.const 0))
  (func (export "buildIndex")
    (param $src i32) (param $tgt i32) (param $cls i32) (param $n i32) (param $slots i32) (param $mask i32) (param $next i32)
    (result i32)
    (local $i i32) (local $s i32) (local $t i32) (local $c i32) (local $h i32) (local $e i32) (local $size i32) (local $slot i32)
    (global.set $scattered (i32.const 0))
    (memory.fill (local.get $slots) (i32.const 0xff) (i32.shl (i32.add (local.get $mask) (i32.const 1)) (i32.const 2)))
    (local.set $i (local.get $n))
    (block $done
      (loop $entry
        (br_if $done (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (local.set $s (i32.load16_u (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1)))))
        (local.set $t (i32.load16_u (i32.add (local.get $tgt) (i32.shl (local.get $i) (i32.const 1)))))
        (local.set $c (i32.load16_u (i32.add (local.get $cls) (i32.shl (local.get $i) (i32.const 1)))))
        (local.set $h
          (i32.xor
            (i32.xor (i32.mul (local.get $s) (i32.const 0x9e3779b1)) (i32.mul (local.get $t) (i32.const 0x85ebca77)))
            (i32.mul (local.get $c) (i32.const 0xc2b2ae3d))))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))))
        (local.set $h (i32.mul (local.get $h) (i32.const 0x2c1b3c6d)))
        (local.set $h (i32.and (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 12))) (local.get $mask)))
        (block $placed
          (loop $probe
            (local.set $slot (i32.add (local.get $slots) (i32.shl (local.get $h) (i32.const 2))))
            (local.set $e (i32.load (local.get $slot)))
            (if (i32.lt_s (local.get $e) (i32.const 0))
              (then
                (i32.store (local.get $slot) (local.get $i))
                (if (i32.ne (local.get $next) (i32.const -1))
                  (then (i32.store (i32.add (local.get $next) (i32.shl (local.get $i) (i32.const 2))) (i32.const -1))))
                (local.set $size (i32.add (local.get $size) (i32.const 1)))
                (br $placed)))
            (if (i32.and
                  (i32.and
                    (i32.eq (i32.load16_u (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 1)))) (local.get $s))
                    (i32.eq (i32.load16_u (i32.add (local.get $tgt) (i32.shl (local.get $e) (i32.const 1)))) (local.get $t)))
                  (i32.eq (i32.load16_u (i32.add (local.get $cls) (i32.shl (local.get $e) (i32.const 1)))) (local.get $c)))
              (then
                (i32.store (local.get $slot) (local.get $i))
                (if (i32.ne (local.get $next) (i32.const -1))
                  (then (i32.store (i32.add (local.get $next) (i32.shl (local.get $i) (i32.const 2))) (local.get $e)))
                  (else (if (i32.ne (local.get $e) (i32.add (local.get $i) (i32.const 1))) (then (global.set $scattered (i32.const 1))))))
                (br $placed)))
            (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (local.get $mask)))
            (br $probe)))
        (br $entry)))
    (local.get $size))
;; Bytes the last readMap / readMaps call consumed, and where readMaps' list ended.
  (global $used (export "used") (mut i32) (i32.const 0))
  (global $filled (export "filled") (mut i32) (i32.const 0))

  ;; One ebitmap at $at (it must end by $end), checked as checkEbitmap does with
  ;; limit $limit (unsigned; 0xffffffff: none). Its values (bit + $add,
  ;; ascending) go to the i32 list at $list from index $k unless $list is -1; at
  ;; most $cap values in all. Returns the list length after it (or, without a
  ;; list, the number of bits), with $used set to its size; -1 when the map is
  ;; not whole in the bytes, fails a check, or does not fit: JavaScript then
  ;; reads it (and names what is wrong). Conservative: -1 is always safe.
  ;; (Used by readMaps only: called once per small map from JavaScript, the
  ;; copy and the call cost more than the JavaScript check.)
  (func $readMap
    (param $at i32) (param $end i32) (param $limit i32) (param $list i32) (param $k i32) (param $cap i32) (param $add i32)
    (result i32)
    (local $hb i32) (local $cnt i32) (local $q i32) (local $qend i32) (local $sb i32) (local $lo i32) (local $hi i32)
    (local $prev i64) (local $v i32) (local $n i32)
    (if (i32.lt_s (i32.sub (local.get $end) (local.get $at)) (i32.const 12)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load (local.get $at)) (i32.const 64)) (then (return (i32.const -1))))
    (local.set $hb (i32.load offset=4 (local.get $at)))
    (local.set $cnt (i32.load offset=8 (local.get $at)))
    (if (i32.eqz (local.get $hb))
      (then
        ;; empty: the header alone, whatever its node count says
        (global.set $used (i32.const 12))
        (return (select (i32.const 0) (local.get $k) (i32.eq (local.get $list) (i32.const -1))))))
    (if (i32.and (local.get $hb) (i32.const 63)) (then (return (i32.const -1))))
    (if (i32.eqz (local.get $cnt)) (then (return (i32.const -1))))
    (if (i32.gt_u (local.get $cnt) (i32.div_u (i32.sub (i32.sub (local.get $end) (local.get $at)) (i32.const 12)) (i32.const 12)))
      (then (return (i32.const -1))))
    (if (i32.ne (local.get $list) (i32.const -1))
      (then (if (i32.gt_u (local.get $cnt) (i32.div_u (i32.sub (local.get $cap) (local.get $k)) (i32.const 64))) (then (return (i32.const -1))))))
    (local.set $q (i32.add (local.get $at) (i32.const 12)))
    (local.set $qend (i32.add (local.get $q) (i32.mul (local.get $cnt) (i32.const 12))))
    (local.set $prev (i64.const -1))
    (loop $node
      (local.set $sb (i32.load (local.get $q)))
      (local.set $lo (i32.load offset=4 (local.get $q)))
      (local.set $hi (i32.load offset=8 (local.get $q)))
      (if (i32.and (local.get $sb) (i32.const 63)) (then (return (i32.const -1))))
      (if (i32.gt_u (local.get $sb) (i32.sub (local.get $hb) (i32.const 64))) (then (return (i32.const -1))))
      (if (i64.le_s (i64.extend_i32_u (local.get $sb)) (local.get $prev)) (then (return (i32.const -1))))
      (if (i32.eqz (i32.or (local.get $lo) (local.get $hi))) (then (return (i32.const -1))))
      (local.set $prev (i64.extend_i32_u (local.get $sb)))
      ;; the node's top bit must stay under the limit (per node: then no value wraps)
      (if (i64.ge_u
            (i64.add (i64.extend_i32_u (local.get $sb))
              (if (result i64) (local.get $hi)
                (then (i64.extend_i32_u (i32.sub (i32.const 63) (i32.clz (local.get $hi)))))
                (else (i64.extend_i32_u (i32.sub (i32.const 31) (i32.clz (local.get $lo)))))))
            (i64.extend_i32_u (local.get $limit)))
        (then (return (i32.const -1))))
      (if (i32.eq (local.get $list) (i32.const -1))
        (then (local.set $n (i32.add (local.get $n) (i32.add (i32.popcnt (local.get $lo)) (i32.popcnt (local.get $hi))))))
        (else
          (local.set $v (i32.add (local.get $sb) (local.get $add)))
          (block $lo_done
            (loop $lo_bits
              (br_if $lo_done (i32.eqz (local.get $lo)))
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $k) (i32.const 2))) (i32.add (local.get $v) (i32.ctz (local.get $lo))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $lo (i32.and (local.get $lo) (i32.sub (local.get $lo) (i32.const 1))))
              (br $lo_bits)))
          (local.set $v (i32.add (local.get $v) (i32.const 32)))
          (block $hi_done
            (loop $hi_bits
              (br_if $hi_done (i32.eqz (local.get $hi)))
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $k) (i32.const 2))) (i32.add (local.get $v) (i32.ctz (local.get $hi))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $hi (i32.and (local.get $hi) (i32.sub (local.get $hi) (i32.const 1))))
              (br $hi_bits)))))
      (local.set $q (i32.add (local.get $q) (i32.const 12)))
      (br_if $node (i32.lt_u (local.get $q) (local.get $qend))))
    ;; the last node ends at the high bit
    (if (i64.ne (i64.add (local.get $prev) (i64.const 64)) (i64.extend_i32_u (local.get $hb))) (then (return (i32.const -1))))
    (global.set $used (i32.sub (local.get $qend) (local.get $at)))
    (select (local.get $n) (local.get $k) (i32.eq (local.get $list) (i32.const -1))))

  ;; Up to $n ebitmaps from $at .. $end through readMap (values bit + 1), the
  ;; list length after each one written to the i32s from $ends on. Stops at the
  ;; first readMap refuses. Returns the number read; $used and $filled say
  ;; where it stopped.
  (func (export "readMaps")
    (param $at i32) (param $end i32) (param $n i32) (param $limit i32) (param $ends i32) (param $list i32) (param $k i32) (param $cap i32)
    (result i32)
    (local $i i32) (local $p i32) (local $r i32)
    (local.set $p (local.get $at))
    (block $done
      (loop $map
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r (call $readMap (local.get $p) (local.get $end) (local.get $limit) (local.get $list) (local.get $k) (local.get $cap) (i32.const 1)))
        (br_if $done (i32.lt_s (local.get $r) (i32.const 0)))
        (local.set $k (local.get $r))
        (local.set $p (i32.add (local.get $p) (global.get $used)))
        (i32.store (local.get $ends) (local.get $k))
        (local.set $ends (i32.add (local.get $ends) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $map)))
    (global.set $used (i32.sub (local.get $p) (local.get $at)))
    (global.set $filled (local.get $k))
    (local.get $i))
;; The highest value the name sets of the constraints readConstraints last
  ;; read name, per kind (user, role, type: a type set's maps are types), and
  ;; the offset of the map that names it (0 and 0: none). The symbol tables come
  ;; after the classes: JavaScript checks these once they are read.
  (global $topUser (export "topUser") (mut i32) (i32.const 0))
  (global $topUserAt (export "topUserAt") (mut i32) (i32.const 0))
  (global $topRole (export "topRole") (mut i32) (i32.const 0))
  (global $topRoleAt (export "topRoleAt") (mut i32) (i32.const 0))
  (global $topType (export "topType") (mut i32) (i32.const 0))
  (global $topTypeAt (export "topTypeAt") (mut i32) (i32.const 0))

  ;; The highest value (bit + 1) of the map at $map, which readMap accepted; 0 when it is empty.
  (func $mapTop (param $map i32) (result i32)
    (local $last i32) (local $hi i32)
    (if (i32.eqz (i32.load offset=4 (local.get $map))) (then (return (i32.const 0))))
    (local.set $last (i32.add (local.get $map) (i32.mul (i32.load offset=8 (local.get $map)) (i32.const 12))))
    (local.set $hi (i32.load offset=8 (local.get $last)))
    (i32.add (i32.load (local.get $last))
      (if (result i32) (local.get $hi)
        (then (i32.sub (i32.const 64) (i32.clz (local.get $hi))))
        (else (i32.sub (i32.const 32) (i32.clz (i32.load offset=4 (local.get $last))))))))

  ;; Notes the top of the type map at $map.
  (func $noteType (param $map i32)
    (local $v i32)
    (local.set $v (call $mapTop (local.get $map)))
    (if (i32.gt_u (local.get $v) (global.get $topType))
      (then (global.set $topType (local.get $v)) (global.set $topTypeAt (local.get $map)))))

  ;; $n constraints (or validatetrans, $vt = 1) from $at, each checked as the
  ;; reader's constraints() checks it: perms, node count, nodes (type, attr, op;
  ;; depth rules of constraintNode; a names node's attr one kind, user, role or
  ;; type, with target or xtarget), name maps through readMap (three and the
  ;; flags word with $typeset = 1), one value left at the end; the name sets'
  ;; highest values go to $topUser .. $topTypeAt. Returns the bytes
  ;; they take, or -1 when one is not whole in the bytes or fails a check
  ;; (JavaScript then reads them, and names what is wrong).
  (func (export "readConstraints") (param $at i32) (param $end i32) (param $n i32) (param $vt i32) (param $typeset i32) (result i32)
    (local $p i32) (local $i i32) (local $nexpr i32) (local $j i32) (local $depth i32) (local $type i32) (local $attr i32) (local $op i32)
    (local $kind i32) (local $v i32)
    (global.set $topUser (i32.const 0))
    (global.set $topUserAt (i32.const 0))
    (global.set $topRole (i32.const 0))
    (global.set $topRoleAt (i32.const 0))
    (global.set $topType (i32.const 0))
    (global.set $topTypeAt (i32.const 0))
    (local.set $p (local.get $at))
    (block $fail
      (loop $constraint
        (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.sub (local.get $p) (local.get $at)))))
        (br_if $fail (i32.lt_s (i32.sub (local.get $end) (local.get $p)) (i32.const 8)))
        (local.set $nexpr (i32.load offset=4 (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $fail (i32.eqz (local.get $nexpr)))
        (br_if $fail (i32.gt_u (local.get $nexpr) (i32.div_u (i32.sub (local.get $end) (local.get $p)) (i32.const 12))))
        (local.set $depth (i32.const -1))
        (local.set $j (i32.const 0))
        (loop $node
          (br_if $fail (i32.lt_s (i32.sub (local.get $end) (local.get $p)) (i32.const 12)))
          (local.set $type (i32.load (local.get $p)))
          (local.set $attr (i32.load offset=4 (local.get $p)))
          (local.set $op (i32.load offset=8 (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.const 12)))
          (block $checked
            ;; not
            (if (i32.eq (local.get $type) (i32.const 1))
              (then (br_if $fail (i32.lt_s (local.get $depth) (i32.const 0))) (br $checked)))
            ;; and, or
            (if (i32.or (i32.eq (local.get $type) (i32.const 2)) (i32.eq (local.get $type) (i32.const 3)))
              (then
                (br_if $fail (i32.lt_s (local.get $depth) (i32.const 1)))
                (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                (br $checked)))
            ;; attr, names
            (br_if $fail (i32.and (i32.ne (local.get $type) (i32.const 4)) (i32.ne (local.get $type) (i32.const 5))))
            (br_if $fail (i32.and (i32.and (i32.eq (local.get $type) (i32.const 5)) (i32.eqz (local.get $vt))) (i32.ne (i32.and (local.get $attr) (i32.const 16)) (i32.const 0))))
            (br_if $fail (i32.eq (local.get $depth) (i32.const 4)))
            (br_if $fail (i32.or (i32.lt_u (local.get $op) (i32.const 1)) (i32.gt_u (local.get $op) (i32.const 5))))
            (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
            (if (i32.eq (local.get $type) (i32.const 5))
              (then
                ;; one kind (user 1, role 2, type 4), with target (8) or xtarget (16) or neither
                (local.set $kind (i32.and (local.get $attr) (i32.const -25)))
                (br_if $fail (i32.and (i32.and (i32.ne (local.get $kind) (i32.const 1)) (i32.ne (local.get $kind) (i32.const 2))) (i32.ne (local.get $kind) (i32.const 4))))
                (br_if $fail (i32.eq (i32.and (local.get $attr) (i32.const 24)) (i32.const 24)))
                (br_if $fail (i32.lt_s (call $readMap (local.get $p) (local.get $end) (i32.const 0x100000) (i32.const -1) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0)))
                (local.set $v (call $mapTop (local.get $p)))
                (if (i32.eq (local.get $kind) (i32.const 1))
                  (then (if (i32.gt_u (local.get $v) (global.get $topUser)) (then (global.set $topUser (local.get $v)) (global.set $topUserAt (local.get $p))))))
                (if (i32.eq (local.get $kind) (i32.const 2))
                  (then (if (i32.gt_u (local.get $v) (global.get $topRole)) (then (global.set $topRole (local.get $v)) (global.set $topRoleAt (local.get $p))))))
                (if (i32.eq (local.get $kind) (i32.const 4))
                  (then (if (i32.gt_u (local.get $v) (global.get $topType)) (then (global.set $topType (local.get $v)) (global.set $topTypeAt (local.get $p))))))
                (local.set $p (i32.add (local.get $p) (global.get $used)))
                (if (local.get $typeset)
                  (then
                    (br_if $fail (i32.lt_s (call $readMap (local.get $p) (local.get $end) (i32.const 0x100000) (i32.const -1) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0)))
                    (call $noteType (local.get $p))
                    (local.set $p (i32.add (local.get $p) (global.get $used)))
                    (br_if $fail (i32.lt_s (call $readMap (local.get $p) (local.get $end) (i32.const 0x100000) (i32.const -1) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0)))
                    (call $noteType (local.get $p))
                    (local.set $p (i32.add (local.get $p) (global.get $used)))
                    (br_if $fail (i32.lt_s (i32.sub (local.get $end) (local.get $p)) (i32.const 4)))
                    (local.set $p (i32.add (local.get $p) (i32.const 4))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $node (i32.lt_u (local.get $j) (local.get $nexpr))))
        (br_if $fail (i32.ne (local.get $depth) (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $constraint)))
    (i32.const -1))
)
