//! A VRF signature made beforehand, for the benchmark (the runtime has no VRF signing host
//! function) and the test that keeps it valid.

use crate::BlockVrfSignature;
use codec::Decode;

/// The public key of `//Alice`.
pub const KEY: [u8; 32] =
	hex_32("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
/// The parent hash the signature is over.
pub const PARENT: [u8; 32] = [1; 32];
/// The slot the signature is over.
pub const SLOT: u64 = 7;
/// `//Alice`'s VRF signature over `sign_data(PARENT, SLOT)`, from
/// `cargo test --workspace --lib -- --ignored print_benchmark_signature`.
const SIGNATURE: &str = "a0cca49ada0b1a82eeeef9b5fb783c9cf091ca6114ab68d5a679e86517f58b793f5c0b3aad0f9103e4ac94a3913aaa144ac1edd579ae863c81f4a6710d1e8c0659e85a656918010599cfe613c03105ceac9a8b8c86a916d0b5309cf77c5cdc06";

const fn hex_32(hex: &str) -> [u8; 32] {
	let bytes = hex.as_bytes();
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
		i += 1;
	}
	out
}

const fn nibble(c: u8) -> u8 {
	match c {
		b'0'..=b'9' => c - b'0',
		b'a'..=b'f' => c - b'a' + 10,
		_ => panic!("not a hex digit"),
	}
}

/// The signature, decoded.
pub fn signature() -> BlockVrfSignature {
	let bytes: alloc::vec::Vec<u8> = (0..SIGNATURE.len() / 2)
		.map(|i| u8::from_str_radix(&SIGNATURE[2 * i..2 * i + 2], 16).unwrap_or_default())
		.collect();
	BlockVrfSignature::decode(&mut &bytes[..])
		.unwrap_or(BlockVrfSignature { pre_output: [0; 32], proof: [0; 64] })
}
