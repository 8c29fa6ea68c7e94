;; start: the start function traps, so instantiation fails with a trap.
(module
  (func $start (unreachable))
  (start $start))
