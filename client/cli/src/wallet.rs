//! Wallets: an account's signing key from a secret URI (a mnemonic, a hex seed, or a
//! development path such as `//Alice`), and the X25519 key its sealed results are opened with.

use std::str::FromStr;

use anyhow::{Context, Result};
use subxt_signer::{sr25519::Keypair, SecretUri};
use tokenfactory_runtime::AccountId;

/// A signing account.
pub struct Wallet {
	/// The sr25519 key pair.
	pub keypair: Keypair,
}

impl Wallet {
	/// The wallet of `uri`: `//Alice`, `"word word ... word"`, `0x<seed>`, optionally with
	/// derivation paths and `///password`.
	///
	/// # Errors
	///
	/// A URI that is not one of those forms.
	pub fn from_uri(uri: &str) -> Result<Self> {
		let secret = SecretUri::from_str(uri).with_context(|| {
			"not a secret URI: give a mnemonic, a 0x seed, or a dev path like //Alice".to_string()
		})?;
		let keypair =
			Keypair::from_uri(&secret).context("cannot derive a key pair from the secret URI")?;
		Ok(Self { keypair })
	}

	/// The account id.
	pub fn account(&self) -> AccountId {
		AccountId::from(self.keypair.public_key().0)
	}

	/// Signs `payload` (e.g. a voucher's) with the account key.
	pub fn sign(&self, payload: &[u8]) -> tokenfactory_runtime::Signature {
		let signature = self.keypair.sign(payload);
		tokenfactory_runtime::Signature::Sr25519(
			polkadot_sdk::sp_core::sr25519::Signature::from_raw(signature.0),
		)
	}
}

/// Reads an account id: SS58, `0x`-hex of 32 bytes, or a development name (`alice`, `//Bob`).
///
/// # Errors
///
/// Anything else.
pub fn parse_account(text: &str) -> Result<AccountId> {
	use polkadot_sdk::sp_core::crypto::Ss58Codec;
	if let Ok(account) = AccountId::from_ss58check(text) {
		return Ok(account);
	}
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes = hex::decode(hex).context("not hex")?;
		let bytes: [u8; 32] =
			bytes.try_into().map_err(|_| anyhow::anyhow!("an account id has 32 bytes"))?;
		return Ok(AccountId::from(bytes));
	}
	let name = text.trim_start_matches("//");
	let uri =
		format!("//{}{}", name[..1.min(name.len())].to_uppercase(), &name[1.min(name.len())..]);
	Wallet::from_uri(&uri)
		.map(|wallet| wallet.account())
		.with_context(|| format!("{text:?} is not an SS58 address, a 0x account id or a dev name"))
}

/// The SS58 form of `account` (generic prefix 42).
pub fn ss58(account: &AccountId) -> String {
	use polkadot_sdk::sp_core::crypto::Ss58Codec;
	account.to_ss58check()
}
