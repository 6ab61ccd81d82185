;; The two loops of the reader that touch every access-vector rule: copying the
;; 12-byte entries into the AvTab columns, and building the AvTabIndex hash
;; table. They run once per process, where JavaScript is still interpreted;
;; WebAssembly is compiled before it runs. Same checks, same hash and probing
;; as avtab.ts and indexes.ts (which keep the JavaScript versions for what this
;; leaves to them: extended-permission entries, errors, lookups).
;; Assembled by scripts/build-wasm.mjs into avtabKernel.wasm.ts.
(module
  (memory (import "porthole" "memory") 1)

  ;; Copies up to $n entries from the bytes at $at .. $end into the columns
  ;; (u16 src, tgt, cls, spec; u32 data) from index $i0. Stops before an entry
  ;; that is not whole in the bytes, has an extended-permission kind, or fails
  ;; the key check (one kind bit of the mask 0x7f7 once 0x8000 is cleared, type values
  ;; 1..$ntypes, class values 1..$nclasses). Returns the number copied.
  (func (export "readEntries")
    (param $at i32) (param $end i32) (param $n i32) (param $ntypes i32) (param $nclasses i32)
    (param $src i32) (param $tgt i32) (param $cls i32) (param $spec i32) (param $data i32) (param $i0 i32)
    (result i32)
    (local $k i32) (local $s i32) (local $t i32) (local $c i32) (local $sp i32) (local $o i32)
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
  ;; the number of distinct keys.
  (func (export "buildIndex")
    (param $src i32) (param $tgt i32) (param $cls i32) (param $n i32) (param $slots i32) (param $mask i32) (param $next i32)
    (result i32)
    (local $i i32) (local $s i32) (local $t i32) (local $c i32) (local $h i32) (local $e i32) (local $size i32) (local $slot i32)
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
                (i32.store (i32.add (local.get $next) (i32.shl (local.get $i) (i32.const 2))) (i32.const -1))
                (local.set $size (i32.add (local.get $size) (i32.const 1)))
                (br $placed)))
            (if (i32.and
                  (i32.and
                    (i32.eq (i32.load16_u (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 1)))) (local.get $s))
                    (i32.eq (i32.load16_u (i32.add (local.get $tgt) (i32.shl (local.get $e) (i32.const 1)))) (local.get $t)))
                  (i32.eq (i32.load16_u (i32.add (local.get $cls) (i32.shl (local.get $e) (i32.const 1)))) (local.get $c)))
              (then
                (i32.store (local.get $slot) (local.get $i))
                (i32.store (i32.add (local.get $next) (i32.shl (local.get $i) (i32.const 2))) (local.get $e))
                (br $placed)))
            (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (local.get $mask)))
            (br $probe)))
        (br $entry)))
    (local.get $size))
)
