;; A CosmWasm contract (interface version 8) whose execute and query never return: they spin until the VM's gas
;; meter stops them. instantiate succeeds, so the contract can be stored, instantiated, then executed or queried.
;; Built by the chain tests with wabt's wat2wasm (scripts/setup-system.sh installs wabt).
(module
  (memory (export "memory") 2)
  ;; bump allocator: a Region {offset, capacity, length} followed by its bytes; nothing is ever freed
  (global $heap (mut i32) (i32.const 4096))
  (func (export "allocate") (param $size i32) (result i32)
    (local $region i32)
    (local.set $region (global.get $heap))
    (i32.store (local.get $region) (i32.add (local.get $region) (i32.const 12)))
    (i32.store offset=4 (local.get $region) (local.get $size))
    (i32.store offset=8 (local.get $region) (i32.const 0))
    ;; the next Region stays 4-byte aligned (the VM reads Regions as u32 arrays)
    (global.set $heap
      (i32.and (i32.add (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 12))) (i32.const 3))
               (i32.const -4)))
    (local.get $region))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  ;; the Region at 16 points at the instantiate answer at 64
  (data (i32.const 16) "\40\00\00\00\3e\00\00\00\3e\00\00\00")
  (data (i32.const 64) "{\"ok\":{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":null}}")
  (func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 16))
  (func $spin (loop $forever (br $forever)))
  (func (export "execute") (param i32 i32 i32) (result i32) (call $spin) (i32.const 16))
  (func (export "query") (param i32 i32) (result i32) (call $spin) (i32.const 16)))
