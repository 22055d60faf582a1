//! The query language of `tokenfactory call` and `tokenfactory eval`, for people and agents:
//!
//! ```text
//! count                                   where age > 50 and diabetic == 1
//! sum(income)                             where region == 3
//! mean(systolic)                          where diabetic == 1 and age > 50
//! histogram(age; 18, 40, 65)
//! weighted(3*age + 2*bmi + 100)           where smoker == 1
//! ```
//!
//! Columns are named as in the dataset's schema; constants are unsigned integers; a filter is a
//! conjunction of up to four predicates (`== != < <= > >=`). An optional trailing
//! `min_cohort N` asks for a stricter cohort gate than the dataset's. Everything is checked
//! against the schema here, and again by the runtime ([`Query::validate`]) before anyone pays.

use anyhow::{anyhow, bail, Context, Result};
use tokenfactory_primitives::programs::{
	BoundedList, ColumnIndex, ColumnWidth, CompareOp, Predicate, Program, Query, WeightedTerm,
	MAX_PREDICATES,
};

/// A schema as the parser needs it: names and widths, in column order.
pub type NamedSchema = [(String, ColumnWidth)];

fn column(schema: &NamedSchema, name: &str) -> Result<ColumnIndex> {
	let name = name.trim();
	schema
		.iter()
		.position(|(column, _)| column == name)
		.and_then(|index| ColumnIndex::try_from(index).ok())
		.ok_or_else(|| {
			let names: Vec<&str> = schema.iter().map(|(column, _)| column.as_str()).collect();
			anyhow!("no column {name:?}; the dataset has {}", names.join(", "))
		})
}

fn number(text: &str) -> Result<u32> {
	text.trim()
		.parse()
		.with_context(|| format!("{:?} is not an unsigned 32-bit integer", text.trim()))
}

fn predicate(schema: &NamedSchema, text: &str) -> Result<Predicate> {
	// Two-character operators first, so that `<=` is not read as `<`.
	for (symbol, op) in [
		("==", CompareOp::Eq),
		("!=", CompareOp::Ne),
		("<=", CompareOp::Le),
		(">=", CompareOp::Ge),
		("<", CompareOp::Lt),
		(">", CompareOp::Gt),
	] {
		if let Some((left, right)) = text.split_once(symbol) {
			return Ok(Predicate { column: column(schema, left)?, op, constant: number(right)? });
		}
	}
	bail!("{:?} is not `column <op> number` with op one of == != < <= > >=", text.trim())
}

fn call<'a>(text: &'a str, name: &str) -> Option<&'a str> {
	text.strip_prefix(name)?.trim().strip_prefix('(')?.strip_suffix(')')
}

fn program(schema: &NamedSchema, text: &str) -> Result<Program> {
	let text = text.trim();
	if text == "count" {
		return Ok(Program::Count);
	}
	if let Some(inner) = call(text, "sum") {
		return Ok(Program::Sum { column: column(schema, inner)? });
	}
	if let Some(inner) = call(text, "mean") {
		return Ok(Program::Mean { column: column(schema, inner)? });
	}
	if let Some(inner) = call(text, "histogram") {
		let (name, edges) =
			inner.split_once(';').ok_or_else(|| anyhow!("histogram(column; edge, edge, ...)"))?;
		let edges = edges.split(',').map(number).collect::<Result<Vec<_>>>()?;
		let edges = BoundedList::new(edges)
			.map_err(|edges| anyhow!("{} edges is too many", edges.len()))?;
		return Ok(Program::Histogram { column: column(schema, name)?, edges });
	}
	if let Some(inner) = call(text, "weighted") {
		let mut terms = Vec::new();
		let mut bias = 0u32;
		for part in inner.split('+') {
			match part.split_once('*') {
				Some((weight, name)) => terms
					.push(WeightedTerm { column: column(schema, name)?, weight: number(weight)? }),
				None => {
					bias =
						bias.checked_add(number(part)?).ok_or_else(|| anyhow!("bias overflows"))?
				}
			}
		}
		let terms = BoundedList::new(terms)
			.map_err(|terms| anyhow!("{} terms is too many", terms.len()))?;
		return Ok(Program::WeightedSum { terms, bias });
	}
	bail!("{text:?} is not a program: count, sum(col), mean(col), histogram(col; edges), weighted(w*col + ... + bias)")
}

/// Parses `text` against `schema`.
///
/// # Errors
///
/// A syntax error, an unknown column, a constant that is not a number, too many predicates; the
/// message says which and what is expected.
pub fn parse(schema: &NamedSchema, text: &str) -> Result<Query> {
	let mut text = text.trim().to_string();
	let mut min_cohort = 0;
	if let Some((rest, gate)) = text.rsplit_once("min_cohort") {
		min_cohort = number(gate)?;
		text = rest.trim().to_string();
	}
	let (head, filter) = match text.split_once(" where ") {
		Some((head, filter)) => (head.to_string(), Some(filter.to_string())),
		None => (text.clone(), None),
	};
	let predicates = match filter {
		Some(filter) => {
			filter.split(" and ").map(|part| predicate(schema, part)).collect::<Result<Vec<_>>>()?
		}
		None => Vec::new(),
	};
	let filter = BoundedList::new(predicates)
		.map_err(|p| anyhow!("{} predicates: a filter has at most {MAX_PREDICATES}", p.len()))?;
	let query = Query { program: program(schema, &head)?, filter, min_cohort };
	let widths: Vec<ColumnWidth> = schema.iter().map(|(_, width)| *width).collect();
	// Rows do not matter for these checks; the runtime repeats them with the real count.
	query.validate(&widths, 1).map_err(|error| anyhow!("{error}"))?;
	Ok(query)
}

/// The query written back in the language, with column names.
pub fn describe(schema: &NamedSchema, query: &Query) -> String {
	let name = |index: ColumnIndex| {
		schema
			.get(usize::from(index))
			.map(|(name, _)| name.clone())
			.unwrap_or_else(|| format!("#{index}"))
	};
	let head = match &query.program {
		Program::Count => "count".to_string(),
		Program::Sum { column } => format!("sum({})", name(*column)),
		Program::Mean { column } => format!("mean({})", name(*column)),
		Program::Histogram { column, edges } => format!(
			"histogram({}; {})",
			name(*column),
			edges.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
		),
		Program::WeightedSum { terms, bias } => {
			let mut parts: Vec<String> =
				terms.iter().map(|term| format!("{}*{}", term.weight, name(term.column))).collect();
			parts.push(bias.to_string());
			format!("weighted({})", parts.join(" + "))
		}
	};
	let filter: Vec<String> = query
		.filter
		.iter()
		.map(|p| {
			let op = match p.op {
				CompareOp::Eq => "==",
				CompareOp::Ne => "!=",
				CompareOp::Lt => "<",
				CompareOp::Le => "<=",
				CompareOp::Gt => ">",
				CompareOp::Ge => ">=",
			};
			format!("{} {op} {}", name(p.column), p.constant)
		})
		.collect();
	let mut text = head;
	if !filter.is_empty() {
		text = format!("{text} where {}", filter.join(" and "));
	}
	if query.min_cohort > 0 {
		text = format!("{text} min_cohort {}", query.min_cohort);
	}
	text
}

#[cfg(test)]
mod tests {
	use super::*;

	fn schema() -> Vec<(String, ColumnWidth)> {
		vec![
			("age".into(), ColumnWidth::U8),
			("systolic".into(), ColumnWidth::U16),
			("diabetic".into(), ColumnWidth::U8),
		]
	}

	#[test]
	fn the_demo_question_reads_as_a_filtered_mean() {
		let query =
			parse(&schema(), "mean(systolic) where diabetic == 1 and age > 50").expect("parses");
		assert_eq!(query.program, Program::Mean { column: 1 });
		assert_eq!(
			query.filter.as_slice(),
			&[
				Predicate { column: 2, op: CompareOp::Eq, constant: 1 },
				Predicate { column: 0, op: CompareOp::Gt, constant: 50 }
			]
		);
		assert_eq!(describe(&schema(), &query), "mean(systolic) where diabetic == 1 and age > 50");
	}

	#[test]
	fn every_program_round_trips() {
		for text in [
			"count",
			"sum(age) where age >= 18",
			"histogram(age; 18, 40, 65)",
			"weighted(3*age + 2*systolic + 100) where diabetic != 0 min_cohort 10",
			"count where age <= 30 and age < 40 and systolic > 100 and diabetic == 0",
		] {
			let query = parse(&schema(), text).unwrap_or_else(|error| panic!("{text}: {error}"));
			assert_eq!(describe(&schema(), &query), text);
		}
	}

	mod reject {
		use super::*;

		#[test]
		fn unknown_column() {
			let error = parse(&schema(), "mean(weight)").expect_err("no such column").to_string();
			assert!(error.contains("no column \"weight\""), "{error}");
		}

		#[test]
		fn constant_out_of_range() {
			assert!(parse(&schema(), "count where age > 300").is_err());
			assert!(parse(&schema(), "count where age > -1").is_err());
		}

		#[test]
		fn too_many_predicates() {
			let text = "count where age > 1 and age > 2 and age > 3 and age > 4 and age > 5";
			assert!(parse(&schema(), text)
				.expect_err("five predicates")
				.to_string()
				.contains("at most 4"));
		}

		#[test]
		fn unknown_program_and_bad_predicate() {
			assert!(parse(&schema(), "median(age)").is_err());
			assert!(parse(&schema(), "count where age ~ 3").is_err());
		}
	}
}
