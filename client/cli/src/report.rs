//! What a command tells its user: a title, named values, the on-chain events it caused and how
//! long it took. Printed as aligned lines for people, or as one JSON object (`--json`).

use std::time::Duration;

use serde_json::{json, Map, Value};
use tokenfactory_runtime::RuntimeEvent;

/// A command's outcome.
#[derive(Debug, Default)]
pub struct Report {
	title: String,
	fields: Vec<(String, Value)>,
	events: Vec<String>,
	elapsed: Option<Duration>,
}

impl Report {
	/// A report titled `title`.
	pub fn new(title: impl Into<String>) -> Self {
		Self { title: title.into(), ..Self::default() }
	}

	/// Its one-line title.
	pub fn summary(&self) -> &str {
		&self.title
	}

	/// Adds a named value.
	pub fn field(mut self, name: &str, value: impl Into<Value>) -> Self {
		self.fields.push((name.to_string(), value.into()));
		self
	}

	/// Adds a named value in place.
	pub fn push(&mut self, name: &str, value: impl Into<Value>) {
		self.fields.push((name.to_string(), value.into()));
	}

	/// Adds on-chain events (as `Pallet::Event { fields }`), leaving out the fee plumbing every
	/// transaction has (fee withdrawn and paid to the treasury, extrinsic success).
	pub fn events(mut self, events: &[RuntimeEvent]) -> Self {
		self.events.extend(events.iter().filter(|event| !is_plumbing(event)).map(describe_event));
		self
	}

	/// Sets how long the command took.
	pub fn took(mut self, elapsed: Duration) -> Self {
		self.elapsed = Some(elapsed);
		self
	}

	/// The value named `name`, if any.
	pub fn get(&self, name: &str) -> Option<&Value> {
		self.fields.iter().find(|(field, _)| field == name).map(|(_, value)| value)
	}

	/// The report as one JSON object.
	pub fn to_json(&self) -> Value {
		let mut object = Map::new();
		object.insert("title".into(), json!(self.title));
		for (name, value) in &self.fields {
			object.insert(name.clone(), value.clone());
		}
		if !self.events.is_empty() {
			object.insert("events".into(), json!(self.events));
		}
		if let Some(elapsed) = self.elapsed {
			object.insert("seconds".into(), json!(elapsed.as_secs_f64()));
		}
		Value::Object(object)
	}

	/// Prints it for people or as JSON.
	pub fn print(&self, as_json: bool) {
		if as_json {
			println!("{}", self.to_json());
			return;
		}
		match self.elapsed {
			Some(elapsed) => println!("{} ({:.1} s)", self.title, elapsed.as_secs_f64()),
			None => println!("{}", self.title),
		}
		let width = self.fields.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
		for (name, value) in &self.fields {
			let text = match value {
				Value::String(text) => text.clone(),
				other => other.to_string(),
			};
			println!("  {name:<width$}  {text}");
		}
		for event in &self.events {
			println!("  event  {event}");
		}
	}
}

/// Whether `event` is one every transaction emits for its fee.
fn is_plumbing(event: &RuntimeEvent) -> bool {
	use polkadot_sdk::pallet_balances::Event as Balances;
	matches!(
		event,
		RuntimeEvent::System(_)
			| RuntimeEvent::TransactionPayment(_)
			| RuntimeEvent::Balances(Balances::Withdraw { .. } | Balances::Deposit { .. })
	)
}

/// An event as `Pallet::Variant { field: value, .. }`, from the runtime's own Debug form with
/// long byte arrays shortened.
pub fn describe_event(event: &RuntimeEvent) -> String {
	let text = format!("{event:?}");
	// `Compute(JobSubmitted { .. })` reads better as `Compute::JobSubmitted { .. }`.
	let text = match text.split_once('(') {
		Some((pallet, rest)) if rest.ends_with(')') => {
			format!("{pallet}::{}", &rest[..rest.len() - 1])
		}
		_ => text,
	};
	shorten_arrays(&text)
}

/// Replaces long `[1, 2, 3, ...]` byte lists by `[N bytes]`.
fn shorten_arrays(text: &str) -> String {
	let mut out = String::with_capacity(text.len());
	let mut rest = text;
	while let Some(start) = rest.find('[') {
		out.push_str(&rest[..start]);
		let tail = &rest[start..];
		match tail.find(']') {
			Some(end) => {
				let inner = &tail[1..end];
				let items = inner.split(',').count();
				if items > 8 && inner.chars().all(|c| c.is_ascii_digit() || c == ',' || c == ' ') {
					out.push_str(&format!("[{items} bytes]"));
				} else {
					out.push_str(&tail[..=end]);
				}
				rest = &tail[end + 1..];
			}
			None => {
				out.push_str(tail);
				rest = "";
			}
		}
	}
	out.push_str(rest);
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn long_byte_lists_are_shortened() {
		let long = format!("X {{ a: [{}], b: [1, 2] }}", vec!["7"; 32].join(", "));
		assert_eq!(shorten_arrays(&long), "X { a: [32 bytes], b: [1, 2] }");
	}

	#[test]
	fn json_has_every_field() {
		let report = Report::new("done").field("job", 3).field("phase", "revealed");
		assert_eq!(report.to_json()["job"], 3);
		assert_eq!(report.get("phase"), Some(&json!("revealed")));
	}
}
