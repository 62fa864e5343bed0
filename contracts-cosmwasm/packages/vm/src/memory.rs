//! Regions: how the VM and the contract hand byte buffers to each other across the wasm boundary,
//! and the allocate/deallocate exports the VM calls to place its arguments in our memory.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

/// Layout fixed by the VM interface: three little-endian u32 (offset, capacity, length).
#[repr(C)]
pub struct Region {
    pub offset: u32,
    pub capacity: u32,
    pub length: u32,
}

/// The VM asks for `size` bytes to write an argument into; ownership passes to the VM until it calls an entry
/// point with the region, which then consumes it.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
extern "C" fn allocate(size: usize) -> u32 {
    release_buffer(Vec::with_capacity(size)) as u32
}

/// The VM frees a region we returned (a result) once it has read it.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
extern "C" fn deallocate(pointer: u32) {
    // SAFETY: the VM only passes back pointers that `allocate` or `release_buffer` produced.
    let _ = unsafe { consume_region(pointer as *mut Region) };
}

/// The empty marker export by which the chain recognises the interface version.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
extern "C" fn interface_version_8() {}

/// Leaks `buffer` into a heap Region whose pointer the VM (or an import) can read.
pub fn release_buffer(buffer: Vec<u8>) -> *mut Region {
    let mut buffer = std::mem::ManuallyDrop::new(buffer);
    let region = Box::new(Region {
        offset: buffer.as_mut_ptr() as usize as u32,
        capacity: buffer.capacity() as u32,
        length: buffer.len() as u32,
    });
    Box::into_raw(region)
}

/// Takes back ownership of a region and its buffer.
///
/// # Safety
/// `pointer` must come from `release_buffer`/`allocate` and not have been consumed before.
pub unsafe fn consume_region(pointer: *mut Region) -> Vec<u8> {
    assert!(!pointer.is_null(), "region pointer is null");
    let region = Box::from_raw(pointer);
    let offset = region.offset as usize as *mut u8;
    assert!(!offset.is_null(), "region has a null offset");
    Vec::from_raw_parts(offset, region.length as usize, region.capacity as usize)
}

/// A region describing memory we keep owning (for import arguments); it must not outlive `data`.
pub fn borrowed_region(data: &[u8]) -> Box<Region> {
    Box::new(Region { offset: data.as_ptr() as usize as u32, capacity: data.len() as u32, length: data.len() as u32 })
}
