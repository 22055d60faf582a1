//! # Token Factory client
//!
//! The `tokenfactory` command and the Rust SDK behind it, for the people and agents of a Token
//! Factory chain:
//!
//! - data owners: FHE keys ([`local`]), encrypted datasets registered as data tokens with
//!   chunked upload, prices, retirement, equity classes and revenue routing ([`owner`]);
//! - consumers and AI agents: payment channels, paid calls answered with a proven, sealed result
//!   that is opened and checked here, job views ([`consumer`]);
//! - auditors: the Groth16 setup, prover and verifier ([`zk`]).
//!
//! Everything on chain goes through [`chain::Chain`] (subxt, with the runtime's own call, event
//! and storage types); [`query`] is the query language; [`report::Report`] is what every command
//! returns, printed for people or as JSON (`--json`).
//!
//! Tests: `cargo test --workspace` (unit tests here; the whole flow runs in `scripts/demo.sh`
//! and the network tests).

pub mod chain;
pub mod consumer;
pub mod local;
pub mod owner;
pub mod query;
pub mod report;
pub mod wallet;
pub mod zk;

/// How a command failed, as the process exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
	/// Bad input: a file, a key, a query, an argument (exit code 2).
	Input = 2,
	/// The chain refused a transaction, or a record does not exist (exit code 3).
	Chain = 3,
	/// Something did not happen in time (exit code 4).
	Timeout = 4,
	/// A proof, a seal or a signature does not check out (exit code 5).
	Verification = 5,
}

/// An error with the exit code it should end the process with.
#[derive(Debug)]
pub struct CliError {
	/// Which kind of failure.
	pub failure: Failure,
	/// What happened and what to do.
	pub error: anyhow::Error,
}

impl std::fmt::Display for CliError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{:#}", self.error)
	}
}

impl std::error::Error for CliError {}

/// Marks `error` as a failure of kind `failure`.
pub fn fail(failure: Failure, error: impl Into<anyhow::Error>) -> anyhow::Error {
	anyhow::Error::new(CliError { failure, error: error.into() })
}

/// The exit code of `error`: its [`Failure`], or 1.
pub fn exit_code(error: &anyhow::Error) -> i32 {
	error.downcast_ref::<CliError>().map(|error| error.failure as i32).unwrap_or(1)
}

/// Whole tokens to planck (12 decimals): `1.5` is 1.5 TFU.
///
/// # Errors
///
/// Not a non-negative decimal with at most 12 decimals.
pub fn parse_amount(text: &str) -> anyhow::Result<u128> {
	let decimals = u32::from(tokenfactory_runtime::TOKEN_DECIMALS);
	let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
	if fraction.len() > decimals as usize || (whole.is_empty() && fraction.is_empty()) {
		anyhow::bail!("{text:?} is not an amount of TFU (up to {decimals} decimals)");
	}
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse()? };
	let fraction: u128 = if fraction.is_empty() {
		0
	} else {
		format!("{fraction:0<width$}", width = decimals as usize).parse()?
	};
	whole
		.checked_mul(tokenfactory_runtime::UNIT)
		.and_then(|planck| planck.checked_add(fraction))
		.ok_or_else(|| anyhow::anyhow!("{text} TFU is more than the token can count"))
}

/// Planck as TFU with its decimals, trailing zeros trimmed.
pub fn format_amount(planck: u128) -> String {
	let unit = tokenfactory_runtime::UNIT;
	let fraction = planck % unit;
	if fraction == 0 {
		format!("{} TFU", planck / unit)
	} else {
		let digits = format!("{fraction:012}");
		format!("{}.{} TFU", planck / unit, digits.trim_end_matches('0'))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_round_trip() {
		assert_eq!(parse_amount("1").unwrap(), tokenfactory_runtime::UNIT);
		assert_eq!(parse_amount("0.001").unwrap(), tokenfactory_runtime::MILLI_UNIT);
		assert_eq!(format_amount(1_500_000_000_000), "1.5 TFU");
		assert_eq!(format_amount(parse_amount("12.000034").unwrap()), "12.000034 TFU");
		assert!(parse_amount("1.0000000000001").is_err());
		assert!(parse_amount("-1").is_err());
		assert!(parse_amount("abc").is_err());
	}
}
