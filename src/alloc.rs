//! Memory allocator settings for the whole process, applied first thing in `main` (and by the
//! benchmarks, so that they measure what the app does).
//!
//! egui builds a fresh output mesh every frame. On a big case seen whole, the canvas's batched
//! meshes hold tens of megabytes, and glibc's malloc hands blocks above its mmap threshold
//! (dynamic, at most 32 MiB) straight to and from the kernel: every frame then faults in new
//! zeroed pages (about 15 000 faults a frame at 100 000 entities) and a frame cost swung from
//! 30 to 85 ms with the same binary. Raising the threshold to 64 MiB keeps such blocks in the
//! heap, where the next frame reuses them; freed memory above 128 MiB at the top of the heap
//! still goes back to the system. The measured effect is in the README's performance section.

/// Blocks up to this size come from the heap rather than from fresh kernel mappings.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 64 << 20;
/// Free memory at the top of the heap beyond this size is returned to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: i32 = 128 << 20;

/// Applies the settings; call before the first large allocation. Elsewhere than glibc it
/// does nothing (other allocators make their own choices).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: `mallopt` only changes two of malloc's numeric parameters; it is called with
    // valid parameter numbers and values, and malloc takes its own lock while it does.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}
