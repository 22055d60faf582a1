//! The owner's keys: generation, files, and what is registered on chain.
//!
//! | key | who holds it | file |
//! |---|---|---|
//! | client key (all secret keys) | the owner only | `client.key`, mode 0600 |
//! | compressed server key | workers (uploaded in chunks) | `server.key` |
//! | compact public key | anyone who encrypts | `public.key` |
//! | zk-pok CRS (public parameters) | provers and verifiers | `crs.bin` |
//!
//! Every file is written with `safe_serialize` and read back with
//! `safe_deserialize_conformant` (the client key, which tfhe gives no conformance check, with
//! `safe_deserialize` and a parameter comparison), each under an explicit size limit.

use std::fs::{self, OpenOptions};
use std::io::{BufReader, BufWriter, Write};
#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{de::DeserializeOwned, Serialize};
use tfhe::conformance::ParameterSetConformant;
use tfhe::named::Named;
use tfhe::safe_serialization::{safe_deserialize, safe_deserialize_conformant, safe_serialize};
use tfhe::shortint::client_key::atomic_pattern::AtomicPatternClientKey;
use tfhe::zk::CompactPkeCrs;
use tfhe::{ClientKey, CompactPublicKey, CompressedServerKey, Unversionize, Versionize};

use crate::compact::LweSecretKeyBits;
use crate::error::{DecryptError, KeyError};
use crate::params::{self, limits};
use crate::programs::{AggregateResult, OutputLayout};
use crate::{blake2_256, Hash};

/// Identifies a key set: blake2-256 of its serialised compact public key. Results carry it,
/// so that decrypting with the wrong key is an error rather than garbage.
pub type KeySetId = Hash;

/// File names inside a key directory.
pub mod files {
	/// The client key (secret).
	pub const CLIENT_KEY: &str = "client.key";
	/// The compressed server key.
	pub const SERVER_KEY: &str = "server.key";
	/// The compact public key.
	pub const PUBLIC_KEY: &str = "public.key";
	/// The zk-pok CRS.
	pub const CRS: &str = "crs.bin";
	/// The plaintext table of a dataset, `plaintext-<dataset id>.scale` (secret): what the
	/// owner's decryptor checks every agreed result against before it reveals anything.
	pub fn plaintext(dataset: u32) -> String {
		format!("plaintext-{dataset}.scale")
	}
}

/// The most rows a stored plaintext table may have (the decoder checks before it allocates).
const MAX_PLAINTEXT_ROWS: usize = 1 << 20;

/// Keeps dataset `dataset`'s plaintext rows in the owner's key directory `dir` (owner-only), so
/// that the owner's decryptor can check results against them.
///
/// # Errors
///
/// [`KeyError::Io`].
pub fn save_plaintext(dir: &Path, dataset: u32, rows: &[Vec<u32>]) -> Result<(), KeyError> {
	write_file(&dir.join(files::plaintext(dataset)), &codec::Encode::encode(rows), true)
}

/// Reads dataset `dataset`'s plaintext rows from the owner's key directory `dir`.
///
/// # Errors
///
/// [`KeyError::Io`] for a missing or unreadable file, [`KeyError::Invalid`] for one that does
/// not decode (or has more than a million rows).
pub fn load_plaintext(dir: &Path, dataset: u32) -> Result<Vec<Vec<u32>>, KeyError> {
	let path = dir.join(files::plaintext(dataset));
	let bytes = fs::read(&path).map_err(|source| KeyError::Io {
		action: "read",
		path: path.clone(),
		source,
	})?;
	let invalid =
		|reason: String| KeyError::Invalid { what: "plaintext table", path: path.clone(), reason };
	let mut input = &bytes[..];
	let rows = <codec::Compact<u32> as codec::Decode>::decode(&mut &bytes[..])
		.map_err(|error| invalid(error.to_string()))?;
	if rows.0 as usize > MAX_PLAINTEXT_ROWS {
		return Err(invalid(format!("{} rows, more than {MAX_PLAINTEXT_ROWS}", rows.0)));
	}
	let table = <Vec<Vec<u32>> as codec::Decode>::decode(&mut input)
		.map_err(|error| invalid(error.to_string()))?;
	if !input.is_empty() {
		return Err(invalid("trailing bytes".into()));
	}
	Ok(table)
}

/// The public half of an owner's keys: what workers and encryptors need, and what is
/// registered on chain.
#[derive(Clone)]
pub struct PublicKeySet {
	/// The compressed server key (workers decompress it once).
	pub server_key: CompressedServerKey,
	/// The compact public key.
	pub public_key: CompactPublicKey,
	/// The zk-pok CRS sized for [`params::CRS_MAX_BITS`].
	pub crs: CompactPkeCrs,
	id: KeySetId,
}

/// All of an owner's keys.
pub struct OwnerKeys {
	/// The client key: every secret key of the set. Never leaves the owner.
	pub client_key: ClientKey,
	/// The public half.
	pub public: PublicKeySet,
}

/// The serialised public keys, as uploaded.
pub struct PublicKeyBlobs {
	/// The compressed server key.
	pub server_key: Vec<u8>,
	/// The compact public key.
	pub public_key: Vec<u8>,
	/// The CRS.
	pub crs: Vec<u8>,
}

fn to_bytes<T: Serialize + Versionize + Named>(
	value: &T,
	what: &'static str,
	limit: u64,
) -> Result<Vec<u8>, KeyError> {
	let mut bytes = Vec::new();
	safe_serialize(value, &mut bytes, limit)
		.map_err(|error| KeyError::Serialize { what, reason: error.to_string() })?;
	Ok(bytes)
}

fn key_set_id(public_key: &CompactPublicKey) -> Result<KeySetId, KeyError> {
	Ok(blake2_256(&to_bytes(public_key, "compact public key", limits::PUBLIC_KEY)?))
}

fn write_file(path: &Path, bytes: &[u8], secret: bool) -> Result<(), KeyError> {
	let io = |action| move |source| KeyError::Io { action, path: path.to_path_buf(), source };
	if secret {
		// A fresh file, so that the mode applies: an existing file keeps its permissions.
		match fs::remove_file(path) {
			Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
				return Err(io("replace")(error));
			}
			_ => {}
		}
	}
	let mut options = OpenOptions::new();
	options.write(true).create(true).truncate(true);
	#[cfg(unix)]
	if secret {
		options.create_new(true).mode(0o600);
	}
	let file = options.open(path).map_err(io("create"))?;
	let mut writer = BufWriter::new(file);
	writer.write_all(bytes).map_err(io("write"))?;
	writer.flush().map_err(io("write"))?;
	Ok(())
}

fn read_conformant<T>(
	path: &Path,
	what: &'static str,
	limit: u64,
	parameters: &T::ParameterSet,
) -> Result<T, KeyError>
where
	T: DeserializeOwned + Unversionize + Named + ParameterSetConformant,
{
	let file = fs::File::open(path).map_err(|source| KeyError::Io {
		action: "open",
		path: path.to_path_buf(),
		source,
	})?;
	safe_deserialize_conformant(BufReader::new(file), limit, parameters)
		.map_err(|reason| KeyError::Invalid { what, path: path.to_path_buf(), reason })
}

impl PublicKeySet {
	/// Builds the set from its parts (e.g. after downloading them).
	///
	/// # Errors
	///
	/// [`KeyError::Serialize`] if the public key cannot be serialised to compute the id.
	pub fn new(
		server_key: CompressedServerKey,
		public_key: CompactPublicKey,
		crs: CompactPkeCrs,
	) -> Result<Self, KeyError> {
		let id = key_set_id(&public_key)?;
		Ok(Self { server_key, public_key, crs, id })
	}

	/// The key set's id.
	pub fn id(&self) -> KeySetId {
		self.id
	}

	/// The serialised keys, as uploaded.
	///
	/// # Errors
	///
	/// [`KeyError::Serialize`] if a key exceeds its size limit.
	pub fn to_blobs(&self) -> Result<PublicKeyBlobs, KeyError> {
		Ok(PublicKeyBlobs {
			server_key: to_bytes(
				&self.server_key,
				"compressed server key",
				limits::COMPRESSED_SERVER_KEY,
			)?,
			public_key: to_bytes(&self.public_key, "compact public key", limits::PUBLIC_KEY)?,
			crs: to_bytes(&self.crs, "CRS", limits::CRS)?,
		})
	}

	/// Writes the public keys into `dir` (created if missing).
	///
	/// # Errors
	///
	/// [`KeyError::Io`] or [`KeyError::Serialize`].
	pub fn save(&self, dir: &Path) -> Result<(), KeyError> {
		fs::create_dir_all(dir).map_err(|source| KeyError::Io {
			action: "create",
			path: dir.to_path_buf(),
			source,
		})?;
		let blobs = self.to_blobs()?;
		write_file(&dir.join(files::SERVER_KEY), &blobs.server_key, false)?;
		write_file(&dir.join(files::PUBLIC_KEY), &blobs.public_key, false)?;
		write_file(&dir.join(files::CRS), &blobs.crs, false)?;
		Ok(())
	}

	/// Reads the public keys from their serialised blobs (as uploaded on chain; the server key
	/// already reassembled from its pieces), checking each against the parameter set.
	///
	/// # Errors
	///
	/// [`KeyError::Invalid`] (with `path` naming the blob) for a truncated, corrupted, oversized
	/// or foreign key.
	pub fn from_blobs(server_key: &[u8], public_key: &[u8], crs: &[u8]) -> Result<Self, KeyError> {
		let invalid = |what: &'static str| {
			move |reason: String| KeyError::Invalid { what, path: PathBuf::from(what), reason }
		};
		let config = params::config();
		let server_key: CompressedServerKey =
			safe_deserialize_conformant(server_key, limits::COMPRESSED_SERVER_KEY, &config.into())
				.map_err(invalid("compressed server key"))?;
		let public_key: CompactPublicKey = safe_deserialize_conformant(
			public_key,
			limits::PUBLIC_KEY,
			&params::public_key_parameters(),
		)
		.map_err(invalid("compact public key"))?;
		let crs_parameters = crs_conformance().map_err(invalid("CRS"))?;
		let crs: CompactPkeCrs = safe_deserialize_conformant(crs, limits::CRS, &crs_parameters)
			.map_err(invalid("CRS"))?;
		Self::new(server_key, public_key, crs)
	}

	/// Reads the public keys from `dir`, checking each against the project's parameter set.
	///
	/// # Errors
	///
	/// [`KeyError::Io`] for a missing file; [`KeyError::Invalid`] for a truncated, corrupted,
	/// oversized or foreign key.
	pub fn load(dir: &Path) -> Result<Self, KeyError> {
		let config = params::config();
		let server_key: CompressedServerKey = read_conformant(
			&dir.join(files::SERVER_KEY),
			"compressed server key",
			limits::COMPRESSED_SERVER_KEY,
			&config.into(),
		)?;
		let public_key: CompactPublicKey = read_conformant(
			&dir.join(files::PUBLIC_KEY),
			"compact public key",
			limits::PUBLIC_KEY,
			&params::public_key_parameters(),
		)?;
		let crs_parameters = crs_conformance().map_err(|reason| KeyError::Invalid {
			what: "CRS",
			path: dir.join(files::CRS),
			reason,
		})?;
		let crs: CompactPkeCrs =
			read_conformant(&dir.join(files::CRS), "CRS", limits::CRS, &crs_parameters)?;
		Self::new(server_key, public_key, crs)
	}
}

fn crs_conformance() -> Result<tfhe::zk::CompactPkeCrsConformanceParams, String> {
	let parameters = params::public_key_parameters();
	let bits_per_message =
		(parameters.message_modulus.0 * parameters.carry_modulus.0).ilog2() as usize;
	tfhe::zk::new_compact_pke_crs_conformance_params(
		parameters,
		tfhe::core_crypto::prelude::LweCiphertextCount(
			params::CRS_MAX_BITS.div_ceil(bits_per_message),
		),
	)
	.map_err(|error| error.to_string())
}

/// The domain tag of [`OwnerKeys::decryptor_seed`].
const DECRYPTOR_SEED_TAG: &[u8] = b"tokenfactory/decryptor-seed/v1";

impl OwnerKeys {
	/// Generates a fresh key set: client key, compressed server key, compact public key and
	/// CRS. Takes seconds (the server key dominates).
	///
	/// # Errors
	///
	/// [`KeyError::Crs`] if the CRS cannot be built for the parameters.
	pub fn generate() -> Result<Self, KeyError> {
		let config = params::config();
		let client_key = ClientKey::generate(config);
		let server_key = CompressedServerKey::new(&client_key);
		let public_key = CompactPublicKey::new(&client_key);
		let crs = CompactPkeCrs::from_config(config, params::CRS_MAX_BITS)
			.map_err(|error| KeyError::Crs(error.to_string()))?;
		Ok(Self { client_key, public: PublicKeySet::new(server_key, public_key, crs)? })
	}

	/// Writes every key into `dir`: the client key owner-only (mode 0600), the rest as
	/// [`PublicKeySet::save`].
	///
	/// # Errors
	///
	/// [`KeyError::Io`] or [`KeyError::Serialize`].
	pub fn save(&self, dir: &Path) -> Result<(), KeyError> {
		self.public.save(dir)?;
		let client = to_bytes(&self.client_key, "client key", limits::CLIENT_KEY)?;
		write_file(&dir.join(files::CLIENT_KEY), &client, true)
	}

	/// Reads every key from `dir`.
	///
	/// # Errors
	///
	/// As [`PublicKeySet::load`]; [`KeyError::Invalid`] also for a client key of other
	/// parameters.
	pub fn load(dir: &Path) -> Result<Self, KeyError> {
		let public = PublicKeySet::load(dir)?;
		let path: PathBuf = dir.join(files::CLIENT_KEY);
		let invalid =
			|reason: String| KeyError::Invalid { what: "client key", path: path.clone(), reason };
		let file = fs::File::open(&path).map_err(|source| KeyError::Io {
			action: "open",
			path: path.clone(),
			source,
		})?;
		let client_key: ClientKey =
			safe_deserialize(BufReader::new(file), limits::CLIENT_KEY).map_err(invalid)?;
		let expected = tfhe::shortint::AtomicPatternParameters::from(params::compute_parameters());
		if client_key.computation_parameters() != expected {
			return Err(invalid("made for other computation parameters".into()));
		}
		Ok(Self { client_key, public })
	}

	/// The small LWE secret key (the key a result's compact form decrypts under) as 0/1
	/// words in tfhe's order.
	pub fn lwe_secret_key_bits(&self) -> LweSecretKeyBits {
		lwe_secret_key_bits(&self.client_key)
	}

	/// The 32-byte seed of the owner's decryptor key: the sr25519 key that signs reveals
	/// (`tokenfactory_primitives::compute::RevealStatement`), registered with the key set.
	/// Derived from the secret key under a domain tag, so that whoever holds the key set's
	/// secret key can sign and nobody else, without a second secret to keep.
	pub fn decryptor_seed(&self) -> [u8; 32] {
		let mut material = DECRYPTOR_SEED_TAG.to_vec();
		for word in &self.lwe_secret_key_bits().0 {
			material.extend_from_slice(&word.to_le_bytes());
		}
		crate::blake2_256(&material)
	}

	/// The public commitment to the small LWE secret key, registered with the key set:
	/// `tokenfactory_commitments::key_commitment`, as 32 bytes.
	pub fn key_commitment(&self) -> [u8; 32] {
		tokenfactory_commitments::fr_to_bytes(&tokenfactory_commitments::key_commitment(
			&self.lwe_secret_key_bits(),
		))
	}
}

/// The small LWE secret key of `client_key` as 0/1 words, in tfhe's order.
pub fn lwe_secret_key_bits(client_key: &ClientKey) -> LweSecretKeyBits {
	let integer: &tfhe::integer::ClientKey = client_key.as_ref();
	let shortint: &tfhe::shortint::ClientKey = integer.as_ref();
	let words = match &shortint.atomic_pattern {
		AtomicPatternClientKey::Standard(standard) => {
			standard.small_lwe_secret_key().as_ref().to_vec()
		}
		AtomicPatternClientKey::KeySwitch32(ks32) => {
			ks32.small_lwe_secret_key().as_ref().iter().map(|bit| u64::from(*bit)).collect()
		}
	};
	LweSecretKeyBits(words)
}

impl OwnerKeys {
	/// Decrypts a serialised result ([`crate::EvaluatedResult::to_bytes`]) of a query whose
	/// layout is `layout`, returning the aggregate and the gate flag.
	///
	/// # Errors
	///
	/// [`DecryptError::Malformed`], [`DecryptError::WrongKey`] (computed under another key
	/// set), [`DecryptError::LayoutMismatch`] (not this query's result).
	pub fn decrypt(
		&self,
		result: &[u8],
		layout: &OutputLayout,
	) -> Result<AggregateResult, DecryptError> {
		self.decrypt_result(&crate::EvaluatedResult::from_bytes(result)?, layout)
	}

	/// [`Self::decrypt`] of a parsed result.
	///
	/// # Errors
	///
	/// As [`Self::decrypt`].
	pub fn decrypt_result(
		&self,
		result: &crate::EvaluatedResult,
		layout: &OutputLayout,
	) -> Result<AggregateResult, DecryptError> {
		let digits = self.decrypt_digits(result)?;
		let outputs =
			crate::compact::outputs_from_digits(&digits, layout, result.compact.message_modulus)?;
		Ok(AggregateResult::from_outputs(&outputs))
	}

	/// Checks that `result` decrypts to `query`'s answer on the owner's own plaintext `rows`
	/// (with the query's cohort gate), before the owner reveals anything: whoever controls
	/// the agreed result (a lying majority of workers) could otherwise make the owner decrypt,
	/// prove and seal any ciphertext of the dataset's key, a single patient's cell included.
	///
	/// # Errors
	///
	/// [`DecryptError::NotTheAnswer`] when it decrypts to anything else, or any error of
	/// [`Self::decrypt_result`].
	pub fn check_result(
		&self,
		result: &crate::EvaluatedResult,
		query: &tokenfactory_primitives::programs::Query,
		layout: &OutputLayout,
		rows: &[Vec<u32>],
	) -> Result<(), DecryptError> {
		let digits = self.decrypt_digits(result)?;
		let outputs =
			crate::compact::outputs_from_digits(&digits, layout, result.compact.message_modulus)?;
		let expected = query.evaluate_plaintext(rows);
		if outputs != expected {
			return Err(DecryptError::NotTheAnswer);
		}
		Ok(())
	}

	/// The plaintext digit of every block of `result`, in block order: what the owner's
	/// result commitment and decryption proof are over.
	///
	/// # Errors
	///
	/// [`DecryptError::WrongKey`], [`DecryptError::Undecryptable`].
	pub fn decrypt_digits(
		&self,
		result: &crate::EvaluatedResult,
	) -> Result<Vec<u64>, DecryptError> {
		if result.key_set != self.public.id() {
			return Err(DecryptError::WrongKey {
				expected: crate::hex(&self.public.id()),
				found: crate::hex(&result.key_set),
			});
		}
		crate::compact::decrypt_digits(&result.compact, &self.lwe_secret_key_bits())
	}

	/// Decrypts full-size output ciphertexts with the client key (tfhe's own decryption; the
	/// cross-check of the compact path).
	pub fn decrypt_outputs(&self, outputs: &[tfhe::integer::RadixCiphertext]) -> Vec<u64> {
		let integer: &tfhe::integer::ClientKey = self.client_key.as_ref();
		outputs.iter().map(|output| integer.decrypt_radix::<u64>(output)).collect()
	}
}
