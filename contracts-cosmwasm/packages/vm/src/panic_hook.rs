//! Panics become an `abort` call carrying the message, so the VM reports why a contract trapped. The hook is
//! installed once per instance: cw-simulate keeps one wasm instance for a contract's whole life.

#[cfg(target_arch = "wasm32")]
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            crate::imports::abort_with(&info.to_string());
        }));
    });
}

#[cfg(not(target_arch = "wasm32"))]
#[allow(dead_code)]
pub fn install_panic_hook() {}
