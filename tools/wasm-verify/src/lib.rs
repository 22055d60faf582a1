//! The runtime's Groth16 verifier over plain `ark-bls12-381`, compiled to wasm: what verifying
//! a decryption proof would cost a runtime without the BLS12-381 host calls. The fixture is the
//! runtime's own (the development 9-block key, a proof and its statement).
#![no_std]

extern crate alloc;

#[path = "../../../primitives/src/groth16.rs"]
#[allow(dead_code)] // Only the verifier is used here.
mod groth16;

use codec::Decode;
use groth16::{verify_bytes, DecryptionStatement};

static VERIFYING_KEY: &[u8] = include_bytes!("../../../runtime/zk/dev-b9.vk");
static PROOF: &[u8] = include_bytes!("../../../runtime/zk/fixture-b9.proof");
static STATEMENT: &[u8] = include_bytes!("../../../runtime/zk/fixture-b9.statement");

/// A bump allocator over wasm's linear memory: the verifier allocates little, and a measurement
/// run is short-lived.
mod allocator {
	use core::alloc::{GlobalAlloc, Layout};
	use core::cell::UnsafeCell;

	const PAGE: usize = 65_536;

	pub struct Bump(UnsafeCell<usize>);
	// SAFETY: wasm32-unknown-unknown runs one thread.
	unsafe impl Sync for Bump {}

	unsafe impl GlobalAlloc for Bump {
		unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
			let next = self.0.get();
			if *next == 0 {
				*next = core::arch::wasm32::memory_size(0) * PAGE;
			}
			let start = (*next + layout.align() - 1) & !(layout.align() - 1);
			let end = start + layout.size();
			let have = core::arch::wasm32::memory_size(0) * PAGE;
			if end > have
				&& core::arch::wasm32::memory_grow(0, (end - have).div_ceil(PAGE)) == usize::MAX
			{
				return core::ptr::null_mut();
			}
			*next = end;
			start as *mut u8
		}
		unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
	}

	#[global_allocator]
	static ALLOCATOR: Bump = Bump(UnsafeCell::new(0));
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
	core::arch::wasm32::unreachable()
}

fn statement(job_offset: u64) -> Option<DecryptionStatement> {
	let mut statement = DecryptionStatement::decode(&mut &STATEMENT[..]).ok()?;
	statement.job_id += job_offset;
	Some(statement)
}

/// Verifies the fixture proof `times` times (decoding and subgroup checks included, as the
/// runtime does); returns how many verifications succeeded.
#[no_mangle]
pub extern "C" fn verify_times(times: u32) -> u32 {
	let Some(statement) = statement(0) else { return 0 };
	(0..times)
		.filter(|_| {
			verify_bytes::<ark_bls12_381::Bls12_381>(VERIFYING_KEY, PROOF, &statement).is_ok()
		})
		.count() as u32
}

/// 1 if the proof is refused for another job id (the verifier is not vacuous), else 0.
#[no_mangle]
pub extern "C" fn refuses_another_job() -> u32 {
	let Some(statement) = statement(1) else { return 0 };
	u32::from(verify_bytes::<ark_bls12_381::Bls12_381>(VERIFYING_KEY, PROOF, &statement).is_err())
}
