;; The lint reader's tokenizer (tokenizer.ts says what a token is): one pass
;; over a source's bytes (latin1: one byte per character) writing its tokens as
;; columns, each distinct word given a number once per process. A fresh
;; process reads the reference policy's 6.5 MB once, before V8 has compiled
;; the JavaScript loop; WebAssembly is compiled before it runs, and words are
;; looked up here by their bytes (JavaScript would cut a string out of the
;; text for every word to look it up).
;; Assembled by scripts/build-wasm.mjs into tokenizer.wasm.ts.
(module
  (memory (import "porthole" "memory") 1)

  ;; The word table: open addressing, $mask + 1 entries of 16 bytes at $table
  ;; (hash, number, arena offset, length; length 0: empty), the words' bytes
  ;; copied to the arena at $arena .. $arenaEnd. Set by reset.
  (global $table (mut i32) (i32.const 0))
  (global $mask (mut i32) (i32.const 0))
  (global $count (mut i32) (i32.const 0))
  (global $limit (mut i32) (i32.const 0))
  (global $arena (mut i32) (i32.const 0))
  (global $arenaEnd (mut i32) (i32.const 0))

  ;; Empties the word table ($size entries, a power of 2: at most half used)
  ;; and the arena.
  (func (export "reset") (param $table i32) (param $size i32) (param $arena i32) (param $arenaEnd i32)
    (global.set $table (local.get $table))
    (global.set $mask (i32.sub (local.get $size) (i32.const 1)))
    (global.set $limit (i32.shr_u (local.get $size) (i32.const 1)))
    (global.set $count (i32.const 0))
    (global.set $arena (local.get $arena))
    (global.set $arenaEnd (local.get $arenaEnd))
    (memory.fill (local.get $table) (i32.const 0) (i32.shl (local.get $size) (i32.const 4))))

  ;; Each byte's class, at offset 0 (the callers keep the first 256 bytes for
  ;; it): 0 dropped, 1 word (a-z A-Z 0-9 _ $ .), 2 punctuation kept as a token
  ;; ({ } ( ) ; , : ~ * -), 3 space (\t \v \f \r and space), 4 newline,
  ;; 5 ` (opens a quote), 6 ' (closes one), 7 #, 8 ". Bytes from 0x80: 0.
  (data (i32.const 0)
    "\00\00\00\00\00\00\00\00\00\03\04\03\03\03\00\00"  ;; 00-0f
    "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00"  ;; 10-1f
    "\03\00\08\07\01\00\00\06\02\02\02\00\02\02\01\00"  ;; 20-2f
    "\01\01\01\01\01\01\01\01\01\01\02\02\00\00\00\00"  ;; 30-3f
    "\00\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01"  ;; 40-4f
    "\01\01\01\01\01\01\01\01\01\01\01\00\00\00\00\01"  ;; 50-5f
    "\05\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01"  ;; 60-6f
    "\01\01\01\01\01\01\01\01\01\01\01\02\00\02\02\00")  ;; 70-7f

  ;; The number of the word at $at (length $len, hash $h): found, or given the
  ;; next number; -1 when the table or the arena is full.
  (func $intern (param $at i32) (param $len i32) (param $h i32) (result i32)
    (local $slot i32) (local $e i32) (local $j i32) (local $off i32)
    (local.set $slot (i32.and (local.get $h) (global.get $mask)))
    (loop $probe
      (local.set $e (i32.add (global.get $table) (i32.shl (local.get $slot) (i32.const 4))))
      (if (i32.eqz (i32.load offset=12 (local.get $e)))
        (then
          (if (i32.ge_u (global.get $count) (global.get $limit)) (then (return (i32.const -1))))
          (if (i32.gt_u (i32.add (global.get $arena) (local.get $len)) (global.get $arenaEnd)) (then (return (i32.const -1))))
          (memory.copy (global.get $arena) (local.get $at) (local.get $len))
          (i32.store (local.get $e) (local.get $h))
          (i32.store offset=4 (local.get $e) (global.get $count))
          (i32.store offset=8 (local.get $e) (global.get $arena))
          (i32.store offset=12 (local.get $e) (local.get $len))
          (global.set $arena (i32.add (global.get $arena) (local.get $len)))
          (global.set $count (i32.add (global.get $count) (i32.const 1)))
          (return (i32.sub (global.get $count) (i32.const 1)))))
      (if (i32.and
            (i32.eq (i32.load (local.get $e)) (local.get $h))
            (i32.eq (i32.load offset=12 (local.get $e)) (local.get $len)))
        (then
          (local.set $off (i32.load offset=8 (local.get $e)))
          (local.set $j (i32.const 0))
          (block $differ
            ;; four bytes at a time, then the last ones
            (loop $cmp4
              (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $len))
                (then
                  (br_if $differ
                    (i32.ne
                      (i32.load (i32.add (local.get $off) (local.get $j)))
                      (i32.load (i32.add (local.get $at) (local.get $j)))))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $cmp4))))
            (loop $cmp
              (if (i32.ge_u (local.get $j) (local.get $len)) (then (return (i32.load offset=4 (local.get $e)))))
              (br_if $differ
                (i32.ne
                  (i32.load8_u (i32.add (local.get $off) (local.get $j)))
                  (i32.load8_u (i32.add (local.get $at) (local.get $j)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $cmp)))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (global.get $mask)))
      (br $probe))
    (unreachable))

  ;; Where the line at $i ends: its newline, or $end.
  (func $lineEnd (param $i i32) (param $end i32) (result i32)
    (block $eol
      (loop $skip
        (br_if $eol (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $eol (i32.eq (i32.load8_u (local.get $i)) (i32.const 10)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $skip)))
    (local.get $i))

  ;; Tokenizes the $n bytes at $in into columns of $n + 1 entries from $out:
  ;; i32 word number (-1 a string, -c the punctuation character c), u32 line,
  ;; i32 quote depth, u32 start, u32 end, u8 spaced. Returns the number of
  ;; tokens, or -1 when the word table is full (reset, and tokenize again).
  (func (export "tokenize") (param $in i32) (param $n i32) (param $out i32) (result i32)
    (local $i i32) (local $end i32) (local $c i32) (local $d i32) (local $j i32) (local $k i32)
    (local $line i32) (local $q i32) (local $spaced i32) (local $h i32) (local $id i32) (local $stride i32)
    (local $colLine i32) (local $colQ i32) (local $colStart i32) (local $colEnd i32) (local $colSpaced i32)
    (local.set $stride (i32.shl (i32.add (local.get $n) (i32.const 1)) (i32.const 2)))
    (local.set $colLine (i32.add (local.get $out) (local.get $stride)))
    (local.set $colQ (i32.add (local.get $colLine) (local.get $stride)))
    (local.set $colStart (i32.add (local.get $colQ) (local.get $stride)))
    (local.set $colEnd (i32.add (local.get $colStart) (local.get $stride)))
    (local.set $colSpaced (i32.add (local.get $colEnd) (local.get $stride)))
    (local.set $i (local.get $in))
    (local.set $end (i32.add (local.get $in) (local.get $n)))
    (local.set $line (i32.const 1))
    (local.set $spaced (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        ;; Each class's block sets $id and $j (the token is $i .. $j) and leaves $token to write it, or goes on to $next.
        (block $token
          (block $dquote
            (block $hash
              (block $quote
                (block $backquote
                  (block $newline
                    (block $space
                      (block $punct
                        (block $word
                          (block $dropped
                            (br_table $dropped $word $punct $space $newline $backquote $quote $hash $dquote
                              (i32.load8_u (local.get $c))))
                          ;; dropped
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))
                          (local.set $spaced (i32.const 0))
                          (br $next))
                        ;; word
                        (local.set $h (i32.mul (i32.xor (i32.const 0x811c9dc5) (local.get $c)) (i32.const 0x01000193)))
                        (local.set $j (i32.add (local.get $i) (i32.const 1)))
                        (block $wend
                          (loop $letters
                            (br_if $wend (i32.ge_u (local.get $j) (local.get $end)))
                            (local.set $d (i32.load8_u (local.get $j)))
                            (br_if $wend (i32.ne (i32.load8_u (local.get $d)) (i32.const 1)))
                            (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $d)) (i32.const 0x01000193)))
                            (local.set $j (i32.add (local.get $j) (i32.const 1)))
                            (br $letters)))
                        ;; dnl outside quotes: the rest of the line is dropped
                        (if (i32.and
                              (i32.eqz (local.get $q))
                              (i32.and
                                (i32.eq (i32.sub (local.get $j) (local.get $i)) (i32.const 3))
                                (i32.eq (i32.and (i32.load (local.get $i)) (i32.const 0xffffff)) (i32.const 0x6c6e64))))
                          (then
                            (local.set $i (call $lineEnd (local.get $j) (local.get $end)))
                            (local.set $spaced (i32.const 1))
                            (br $next)))
                        (local.set $id (call $intern (local.get $i) (i32.sub (local.get $j) (local.get $i)) (local.get $h)))
                        (if (i32.lt_s (local.get $id) (i32.const 0)) (then (return (i32.const -1))))
                        (br $token))
                      ;; punctuation
                      (local.set $j (i32.add (local.get $i) (i32.const 1)))
                      (local.set $id (i32.sub (i32.const 0) (local.get $c)))
                      (br $token))
                    ;; space
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (local.set $spaced (i32.const 1))
                    (br $next))
                  ;; newline
                  (local.set $line (i32.add (local.get $line) (i32.const 1)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (local.set $spaced (i32.const 1))
                  (br $next))
                ;; ` opens a quote
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next))
              ;; ' closes one (not below 0)
              (if (i32.gt_s (local.get $q) (i32.const 0)) (then (local.set $q (i32.sub (local.get $q) (i32.const 1)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))
            ;; # to the end of the line: outside quotes m4's comment (quotes in it do not count); inside, the policy's, whose quotes m4 counts
            (if (i32.eqz (local.get $q))
              (then (local.set $i (call $lineEnd (local.get $i) (local.get $end))))
              (else
                (block $eol
                  (loop $skip
                    (br_if $eol (i32.ge_u (local.get $i) (local.get $end)))
                    (local.set $d (i32.load8_u (local.get $i)))
                    (br_if $eol (i32.eq (local.get $d) (i32.const 10)))
                    (if (i32.gt_s (local.get $q) (i32.const 0))
                      (then
                        (if (i32.eq (local.get $d) (i32.const 0x60))
                          (then (local.set $q (i32.add (local.get $q) (i32.const 1))))
                          (else
                            (if (i32.eq (local.get $d) (i32.const 0x27))
                              (then (local.set $q (i32.sub (local.get $q) (i32.const 1)))))))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $skip)))))
            (local.set $spaced (i32.const 1))
            (br $next))
          ;; "string" to its closing quote or the end of its line (the newline not in it)
          (local.set $j (i32.add (local.get $i) (i32.const 1)))
          (block $closed
            (loop $str
              (br_if $closed (i32.ge_u (local.get $j) (local.get $end)))
              (local.set $d (i32.load8_u (local.get $j)))
              (if (i32.eq (local.get $d) (i32.const 0x22))
                (then (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $closed)))
              (br_if $closed (i32.eq (local.get $d) (i32.const 10)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $str)))
          (local.set $id (i32.const -1)))
        ;; the token at $i .. $j
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2))) (local.get $id))
        (i32.store (i32.add (local.get $colLine) (i32.shl (local.get $k) (i32.const 2))) (local.get $line))
        (i32.store (i32.add (local.get $colQ) (i32.shl (local.get $k) (i32.const 2))) (local.get $q))
        (i32.store (i32.add (local.get $colStart) (i32.shl (local.get $k) (i32.const 2))) (i32.sub (local.get $i) (local.get $in)))
        (i32.store (i32.add (local.get $colEnd) (i32.shl (local.get $k) (i32.const 2))) (i32.sub (local.get $j) (local.get $in)))
        (i32.store8 (i32.add (local.get $colSpaced) (local.get $k)) (local.get $spaced))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $spaced (i32.const 0))
        (local.set $i (local.get $j))
        (br $next)))
    (local.get $k))
)
