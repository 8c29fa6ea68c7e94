;; Multi-module test: a global from a module nobody provides: instantiation fails.
(module
  (import "mm_nosuch" "g" (global i32)))
