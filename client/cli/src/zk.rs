//! Groth16 tooling for owners and auditors: key setup per circuit shape, proving a decryption
//! outside the chain, and verifying a proof with the same verifier the runtime runs.

use std::{path::Path, time::Instant};

use anyhow::{anyhow, Context, Result};
use serde_json::json;
use tokenfactory_fhe::EvaluatedResult;
use tokenfactory_primitives::groth16::{verify_bytes, DecryptionStatement};
use tokenfactory_zk::{
	reveal::{write_atomically, DEV_SETUP_SEED},
	setup,
	shape::{CircuitShape, PRODUCTION_BLOCK_COUNTS, PRODUCTION_PARAMETERS},
};

use crate::{fail, report::Report, Failure};

/// Makes the proving and verifying keys of the shapes of `blocks` (default: every production
/// shape) into `out`: `<shape>.pk`, `<shape>.vk` (key files) and `dev-b<N>.vk` or `b<N>.vk` (the
/// raw on-chain verifying key bytes, what genesis or `Compute::set_verifying_key` takes).
///
/// With `dev`, the keys come from the public development seed: reproducible and **insecure**.
/// Without it, from this machine's randomness: a single-party setup whose toxic waste is
/// dropped when the command ends (trust this machine, or run a ceremony instead).
///
/// # Errors
///
/// An unknown shape or an unwritable directory.
pub fn setup(out: &Path, blocks: &[usize], dev: bool) -> Result<Report> {
	let started = Instant::now();
	let blocks: Vec<usize> =
		if blocks.is_empty() { PRODUCTION_BLOCK_COUNTS.to_vec() } else { blocks.to_vec() };
	let mut report = Report::new(format!("Groth16 keys written to {}", out.display()));
	for max_blocks in blocks {
		if !PRODUCTION_BLOCK_COUNTS.contains(&max_blocks) {
			return Err(fail(
				Failure::Input,
				anyhow!("no circuit shape of {max_blocks} blocks; the shapes are {PRODUCTION_BLOCK_COUNTS:?}"),
			));
		}
		let shape = CircuitShape { parameters: PRODUCTION_PARAMETERS, max_blocks };
		let shape_started = Instant::now();
		let keys = if dev {
			setup::insecure_dev_setup(shape, DEV_SETUP_SEED)?
		} else {
			setup::setup_from_entropy(shape)?
		};
		let name = shape.name();
		write_atomically(&out.join(format!("{name}.pk")), |file| {
			setup::write_proving_key(&keys, file)
		})?;
		write_atomically(&out.join(format!("{name}.vk")), |file| {
			setup::write_verifying_key(&keys, file)
		})?;
		let onchain = setup::verifying_key_bytes(keys.verifying_key())?;
		let prefix = if dev { "dev-" } else { "" };
		std::fs::write(out.join(format!("{prefix}b{max_blocks}.vk")), &onchain)?;
		report.push(
			&format!("b{max_blocks}"),
			json!(format!(
				"{name}: verifying key {} bytes, {:.1} s",
				onchain.len(),
				shape_started.elapsed().as_secs_f64()
			)),
		);
	}
	if dev {
		report.push(
			"WARNING",
			json!("development setup from a public seed: anyone can forge proofs for these keys"),
		);
	}
	Ok(report.took(started.elapsed()))
}

/// Proves the decryption of the result blob `result` (e.g. from `tokenfactory eval`) for job
/// `job`, sealed to `consumer_key`; prints what a `reveal` carries.
///
/// # Errors
///
/// Bad keys or result, a result no shape holds, a result that does not decrypt under the key.
pub fn prove(
	keys_dir: &Path,
	zk_dir: &Path,
	result: &Path,
	job: u64,
	consumer_key: &str,
	dev: bool,
) -> Result<Report> {
	let started = Instant::now();
	let owner = crate::local::load_keys(keys_dir)?;
	let bytes =
		std::fs::read(result).with_context(|| format!("cannot read {}", result.display()))?;
	let result =
		EvaluatedResult::from_bytes(&bytes).map_err(|error| fail(Failure::Input, error))?;
	let shape = CircuitShape::for_result(&result.compact).ok_or_else(|| {
		fail(
			Failure::Input,
			anyhow!("no circuit shape holds {} blocks", result.compact.blocks.len()),
		)
	})?;
	let consumer: [u8; 32] = hex::decode(consumer_key.trim_start_matches("0x"))
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.ok_or_else(|| fail(Failure::Input, anyhow!("the consumer key is 32 bytes of hex")))?;
	let keys = tokenfactory_zk::reveal::ProvingKeys::new(zk_dir, dev).get(shape.max_blocks)?;
	let prove_started = Instant::now();
	let reveal = tokenfactory_zk::reveal::reveal(
		job,
		&owner.lwe_secret_key_bits(),
		&result.compact,
		&consumer,
		&keys,
	)?;
	Ok(Report::new(format!("decryption of job {job} proven"))
		.field("circuit_blocks", shape.max_blocks)
		.field("key_commitment", format!("0x{}", hex::encode(owner.key_commitment())))
		.field("ciphertext_digest", format!("0x{}", hex::encode(result.digest())))
		.field("result_commitment", format!("0x{}", hex::encode(reveal.result_commitment)))
		.field("proof", format!("0x{}", hex::encode(&reveal.proof)))
		.field("sealed", format!("0x{}", hex::encode(&reveal.sealed)))
		.field("prove_seconds", prove_started.elapsed().as_secs_f64())
		.took(started.elapsed()))
}

fn bytes32(name: &str, text: &str) -> Result<[u8; 32]> {
	hex::decode(text.trim_start_matches("0x"))
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.ok_or_else(|| fail(Failure::Input, anyhow!("{name} is 32 bytes of hex")))
}

/// Verifies `proof` for the statement with the runtime's verifier (arkworks, natively).
///
/// # Errors
///
/// Malformed inputs ([`Failure::Input`]), or a proof that does not verify
/// ([`Failure::Verification`]).
pub fn verify(
	vk: &Path,
	proof: &str,
	key_commitment: &str,
	digest: &str,
	result_commitment: &str,
	job: u64,
) -> Result<Report> {
	let started = Instant::now();
	let key = std::fs::read(vk).with_context(|| format!("cannot read {}", vk.display()))?;
	// A key file (`.vk` with its header) or the raw on-chain bytes.
	let key = match setup::read_verifying_key(&mut key.as_slice()) {
		Ok((_, _, bytes)) => bytes,
		Err(_) => key,
	};
	let proof = hex::decode(proof.trim_start_matches("0x"))
		.map_err(|_| fail(Failure::Input, anyhow!("the proof is hex")))?;
	let statement = DecryptionStatement {
		key_commitment: bytes32("the key commitment", key_commitment)?,
		ciphertext_digest: bytes32("the digest", digest)?,
		result_commitment: bytes32("the result commitment", result_commitment)?,
		job_id: job,
	};
	verify_bytes::<ark_bls12_381::Bls12_381>(&key, &proof, &statement).map_err(|error| {
		fail(Failure::Verification, anyhow!("the proof does not verify: {error:?}"))
	})?;
	Ok(Report::new("the proof verifies").field("job", job).took(started.elapsed()))
}
