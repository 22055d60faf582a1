//! The aggregate program catalogue.
//!
//! A consumer never asks for a row: it asks for a [`Query`], one [`Program`] from a fixed
//! catalogue of aggregates, an optional [`Filter`] (a conjunction of up to
//! [`MAX_PREDICATES`] predicates `column <op> constant`) and the minimum cohort size the
//! answer must cover. The FHE engine (`client/fhe`) evaluates queries over encrypted datasets;
//! the runtime uses the types here to check a job's parameters before any worker sees them.
//!
//! Terminology:
//! - **schema**: the widths of a dataset's columns, in column order; columns are named by
//!   their index ([`ColumnIndex`]) here, by name only in the owner's CSV;
//! - **selected rows**: the rows the filter accepts (all rows without a filter);
//! - **count**: the number of selected rows; every program computes it;
//! - **cohort gate**: every output, the count included, is zeroed unless `count >=
//!   min_cohort`, and a gate flag says which happened. The engine does this *inside* FHE, so a
//!   refused query reveals nothing but the refusal.
//!
//! [`Query::validate`] is the single check both sides run: columns exist, constants fit their
//! column's width, and every accumulator is wide enough that no sum can overflow for the
//! dataset's row count. It returns the [`OutputLayout`]: the outputs in order with the bit
//! width of each, which fixes the shape of the encrypted result. [`Query::evaluate_plaintext`]
//! is the reference semantics the encrypted evaluation is tested against.
//!
//! Only `codec`, `scale-info` and `alloc` are used, so that any `no_std` crate can take this
//! module as it is.

use alloc::vec::Vec;
use codec::{Compact, Decode, DecodeWithMemTracking, Encode, Input, MaxEncodedLen};
use scale_info::{build::Fields, meta_type, Path, Type, TypeInfo, TypeParameter};

/// The most predicates a filter may hold.
pub const MAX_PREDICATES: u32 = 4;
/// The most columns a dataset may have (and so the most terms of a weighted sum).
pub const MAX_COLUMNS: u32 = 16;
/// The most bucket edges of a histogram (so at most `MAX_HISTOGRAM_EDGES + 1` buckets).
pub const MAX_HISTOGRAM_EDGES: u32 = 15;
/// The widest output the engine produces: results are decrypted into `u64`.
pub const MAX_OUTPUT_BITS: u32 = 64;

/// A column, by its position in the dataset's schema.
pub type ColumnIndex = u8;

/// A `Vec` that holds at most `N` items, checked when built and when decoded.
///
/// Encoded exactly like a `Vec<T>`. Defined here rather than taken from `bounded-collections`
/// so that this module needs nothing beyond `codec` and `scale-info`.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct BoundedList<T, const N: u32>(Vec<T>);

impl<T, const N: u32> BoundedList<T, N> {
	/// The list of `items`, or the items back when there are more than `N`.
	pub fn new(items: Vec<T>) -> Result<Self, Vec<T>> {
		if items.len() > N as usize {
			Err(items)
		} else {
			Ok(Self(items))
		}
	}

	/// The empty list.
	pub fn empty() -> Self {
		Self(Vec::new())
	}

	/// The items, in order.
	pub fn as_slice(&self) -> &[T] {
		&self.0
	}

	/// How many items the list holds.
	pub fn len(&self) -> usize {
		self.0.len()
	}

	/// Whether the list holds no item.
	pub fn is_empty(&self) -> bool {
		self.0.is_empty()
	}

	/// The items, by reference.
	pub fn iter(&self) -> core::slice::Iter<'_, T> {
		self.0.iter()
	}
}

impl<T: Encode, const N: u32> Encode for BoundedList<T, N> {
	fn size_hint(&self) -> usize {
		self.0.size_hint()
	}

	fn encode_to<O: codec::Output + ?Sized>(&self, dest: &mut O) {
		self.0.encode_to(dest)
	}
}

impl<T: Decode, const N: u32> Decode for BoundedList<T, N> {
	fn decode<I: Input>(input: &mut I) -> Result<Self, codec::Error> {
		let len = <Compact<u32>>::decode(input)?.0;
		// Checked before anything is allocated, so an encoded length cannot make us allocate.
		if len > N {
			return Err("BoundedList: more items than its bound".into());
		}
		let mut items = Vec::with_capacity(len as usize);
		for _ in 0..len {
			items.push(T::decode(input)?);
		}
		Ok(Self(items))
	}
}

impl<T: DecodeWithMemTracking, const N: u32> DecodeWithMemTracking for BoundedList<T, N> {}

impl<T: MaxEncodedLen, const N: u32> MaxEncodedLen for BoundedList<T, N> {
	fn max_encoded_len() -> usize {
		Compact::<u32>::max_encoded_len()
			.saturating_add((N as usize).saturating_mul(T::max_encoded_len()))
	}
}

impl<T: TypeInfo + 'static, const N: u32> TypeInfo for BoundedList<T, N> {
	type Identity = Self;

	fn type_info() -> Type {
		Type::builder()
			.path(Path::new("BoundedList", module_path!()))
			.type_params([TypeParameter::new("T", Some(meta_type::<T>()))])
			.composite(Fields::unnamed().field(|f| f.ty::<Vec<T>>().type_name("Vec<T>")))
	}
}

/// The width of an unsigned integer column.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ColumnWidth {
	/// 8-bit unsigned values.
	U8,
	/// 16-bit unsigned values.
	U16,
	/// 32-bit unsigned values.
	U32,
}

impl ColumnWidth {
	/// The number of bits of a value.
	pub const fn bits(self) -> u32 {
		match self {
			Self::U8 => 8,
			Self::U16 => 16,
			Self::U32 => 32,
		}
	}

	/// The largest value the column can hold.
	pub const fn max_value(self) -> u32 {
		match self {
			Self::U8 => u8::MAX as u32,
			Self::U16 => u16::MAX as u32,
			Self::U32 => u32::MAX,
		}
	}

	/// The width of `bits`-bit columns, if there is one.
	pub const fn from_bits(bits: u32) -> Option<Self> {
		match bits {
			8 => Some(Self::U8),
			16 => Some(Self::U16),
			32 => Some(Self::U32),
			_ => None,
		}
	}
}

/// A comparison between a column and a constant.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum CompareOp {
	/// `==`
	Eq,
	/// `!=`
	Ne,
	/// `<`
	Lt,
	/// `<=`
	Le,
	/// `>`
	Gt,
	/// `>=`
	Ge,
}

impl CompareOp {
	/// Whether `value <op> constant` holds.
	pub const fn holds(self, value: u32, constant: u32) -> bool {
		match self {
			Self::Eq => value == constant,
			Self::Ne => value != constant,
			Self::Lt => value < constant,
			Self::Le => value <= constant,
			Self::Gt => value > constant,
			Self::Ge => value >= constant,
		}
	}
}

/// `column <op> constant`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Predicate {
	/// The column compared.
	pub column: ColumnIndex,
	/// The comparison.
	pub op: CompareOp,
	/// The constant compared with; must fit the column's width.
	pub constant: u32,
}

/// A conjunction of predicates; the empty filter selects every row.
pub type Filter = BoundedList<Predicate, MAX_PREDICATES>;

/// One term `weight * column` of a weighted sum.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct WeightedTerm {
	/// The column weighted.
	pub column: ColumnIndex,
	/// Its weight.
	pub weight: u32,
}

/// An aggregate from the catalogue. Each one also computes the count of selected rows.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Program {
	/// The number of selected rows.
	Count,
	/// The sum of `column` over the selected rows.
	Sum {
		/// The column summed.
		column: ColumnIndex,
	},
	/// The mean of `column` over the selected rows, returned as its sum and the count: the
	/// division happens after decryption.
	Mean {
		/// The column averaged.
		column: ColumnIndex,
	},
	/// How many selected rows fall in each bucket of `column`. Edges `e0 < e1 < .. < ek-1`
	/// make `k + 1` buckets: `v < e0`, `e0 <= v < e1`, .., `v >= ek-1`.
	Histogram {
		/// The column bucketed.
		column: ColumnIndex,
		/// The bucket edges, strictly increasing, each in `1..=max` of the column.
		edges: BoundedList<u32, MAX_HISTOGRAM_EDGES>,
	},
	/// The linear score `sum(weight * column) + bias`, averaged over the selected rows:
	/// returned as the total of the scores and the count (e.g. an insurer's actuarial model).
	WeightedSum {
		/// The terms, each on a different column.
		terms: BoundedList<WeightedTerm, MAX_COLUMNS>,
		/// Added to every row's score.
		bias: u32,
	},
}

/// The kind of a [`Program`], without its parameters: what a dataset's owner allows.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ProgramKind {
	/// [`Program::Count`]
	Count,
	/// [`Program::Sum`]
	Sum,
	/// [`Program::Mean`]
	Mean,
	/// [`Program::Histogram`]
	Histogram,
	/// [`Program::WeightedSum`]
	WeightedSum,
}

impl Program {
	/// The program's kind.
	pub const fn kind(&self) -> ProgramKind {
		match self {
			Self::Count => ProgramKind::Count,
			Self::Sum { .. } => ProgramKind::Sum,
			Self::Mean { .. } => ProgramKind::Mean,
			Self::Histogram { .. } => ProgramKind::Histogram,
			Self::WeightedSum { .. } => ProgramKind::WeightedSum,
		}
	}
}

/// A program with its filter and cohort gate: the parameters of one job.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Query {
	/// The aggregate.
	pub program: Program,
	/// Which rows it aggregates.
	pub filter: Filter,
	/// Every output is zeroed unless at least this many rows are selected.
	pub min_cohort: u32,
}

/// What one output of a query's result holds.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum OutputRole {
	/// 1 if the cohort gate passed, 0 if it refused (then every other output is 0).
	GateFlag,
	/// The number of selected rows.
	Count,
	/// The sum of a column (`Sum`, `Mean`) or of the scores (`WeightedSum`).
	Total,
	/// The number of selected rows in the histogram bucket of this index.
	Bucket(u8),
}

/// One output: what it holds and how many bits it takes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct OutputSpec {
	/// What the output holds.
	pub role: OutputRole,
	/// Its width in bits; no value it can take needs more.
	pub bits: u32,
}

/// A query's outputs in result order: the gate flag, the count, then the program's own
/// outputs (a total, or one count per histogram bucket).
pub type OutputLayout = Vec<OutputSpec>;

/// Why a query cannot run on a dataset.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum QueryError {
	/// The dataset has no rows.
	EmptyDataset,
	/// The schema has no column or more than [`MAX_COLUMNS`].
	SchemaSizeOutOfRange,
	/// A predicate or a program names a column the dataset does not have.
	UnknownColumn {
		/// The column named.
		column: ColumnIndex,
	},
	/// A predicate's constant does not fit its column's width.
	ConstantOutOfRange {
		/// The column compared.
		column: ColumnIndex,
		/// The constant.
		constant: u32,
	},
	/// A histogram has no edge.
	HistogramWithoutEdges,
	/// A histogram's edges are not strictly increasing.
	HistogramEdgesNotIncreasing,
	/// A histogram edge is 0 or above its column's largest value, so a bucket is always empty.
	HistogramEdgeOutOfRange {
		/// The edge.
		edge: u32,
	},
	/// A weighted sum has no term.
	WeightedSumWithoutTerms,
	/// Two terms of a weighted sum name the same column.
	RepeatedColumn {
		/// The column named twice.
		column: ColumnIndex,
	},
	/// For this many rows, the largest possible result exceeds [`MAX_OUTPUT_BITS`] bits.
	AccumulatorOverflow,
}

impl core::fmt::Display for QueryError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::EmptyDataset => write!(f, "the dataset has no rows"),
			Self::SchemaSizeOutOfRange => {
				write!(f, "a schema has between 1 and {MAX_COLUMNS} columns")
			}
			Self::UnknownColumn { column } => write!(f, "the dataset has no column {column}"),
			Self::ConstantOutOfRange { column, constant } => {
				write!(f, "constant {constant} does not fit the width of column {column}")
			}
			Self::HistogramWithoutEdges => write!(f, "a histogram needs at least one edge"),
			Self::HistogramEdgesNotIncreasing => {
				write!(f, "histogram edges must be strictly increasing")
			}
			Self::HistogramEdgeOutOfRange { edge } => {
				write!(f, "histogram edge {edge} leaves a bucket that is always empty")
			}
			Self::WeightedSumWithoutTerms => write!(f, "a weighted sum needs at least one term"),
			Self::RepeatedColumn { column } => {
				write!(f, "column {column} appears twice in a weighted sum")
			}
			Self::AccumulatorOverflow => write!(
				f,
				"the largest possible result for this many rows exceeds {MAX_OUTPUT_BITS} bits"
			),
		}
	}
}

impl core::error::Error for QueryError {}

/// The number of bits needed to write `max` (at least 1).
fn bits_for(max: u128) -> u32 {
	(u128::BITS - max.leading_zeros()).max(1)
}

/// The output spec for a value that can reach `max`, if it fits [`MAX_OUTPUT_BITS`].
fn output(role: OutputRole, max: u128) -> Result<OutputSpec, QueryError> {
	let bits = bits_for(max);
	if bits > MAX_OUTPUT_BITS {
		return Err(QueryError::AccumulatorOverflow);
	}
	Ok(OutputSpec { role, bits })
}

impl Query {
	/// Checks the query against a dataset of `rows` rows whose columns have `schema`'s
	/// widths, and returns its output layout.
	///
	/// # Errors
	///
	/// The first [`QueryError`] found, in the order: dataset, filter, program, accumulator
	/// widths.
	pub fn validate(&self, schema: &[ColumnWidth], rows: u64) -> Result<OutputLayout, QueryError> {
		if rows == 0 {
			return Err(QueryError::EmptyDataset);
		}
		if schema.is_empty() || schema.len() > MAX_COLUMNS as usize {
			return Err(QueryError::SchemaSizeOutOfRange);
		}
		let width = |column: ColumnIndex| {
			schema.get(usize::from(column)).copied().ok_or(QueryError::UnknownColumn { column })
		};
		for predicate in self.filter.iter() {
			if predicate.constant > width(predicate.column)?.max_value() {
				return Err(QueryError::ConstantOutOfRange {
					column: predicate.column,
					constant: predicate.constant,
				});
			}
		}

		let rows = u128::from(rows);
		let count_max = rows.max(u128::from(self.min_cohort));
		let mut layout = alloc::vec![
			OutputSpec { role: OutputRole::GateFlag, bits: 1 },
			output(OutputRole::Count, count_max)?,
		];
		match &self.program {
			Program::Count => {}
			Program::Sum { column } | Program::Mean { column } => {
				let max = u128::from(width(*column)?.max_value());
				layout.push(output(OutputRole::Total, rows.saturating_mul(max))?);
			}
			Program::Histogram { column, edges } => {
				let max_value = width(*column)?.max_value();
				if edges.is_empty() {
					return Err(QueryError::HistogramWithoutEdges);
				}
				for edge in edges.iter() {
					if *edge == 0 || *edge > max_value {
						return Err(QueryError::HistogramEdgeOutOfRange { edge: *edge });
					}
				}
				if edges.as_slice().windows(2).any(|pair| pair[0] >= pair[1]) {
					return Err(QueryError::HistogramEdgesNotIncreasing);
				}
				for bucket in 0..=edges.len() {
					// At most MAX_HISTOGRAM_EDGES + 1 buckets, so the index fits a u8.
					let index =
						u8::try_from(bucket).map_err(|_| QueryError::AccumulatorOverflow)?;
					layout.push(output(OutputRole::Bucket(index), rows)?);
				}
			}
			Program::WeightedSum { terms, bias } => {
				if terms.is_empty() {
					return Err(QueryError::WeightedSumWithoutTerms);
				}
				let mut row_max = u128::from(*bias);
				for (position, term) in terms.iter().enumerate() {
					let column_max = u128::from(width(term.column)?.max_value());
					if terms.as_slice()[..position].iter().any(|t| t.column == term.column) {
						return Err(QueryError::RepeatedColumn { column: term.column });
					}
					row_max =
						row_max.saturating_add(u128::from(term.weight).saturating_mul(column_max));
				}
				layout.push(output(OutputRole::Total, rows.saturating_mul(row_max))?);
			}
		}
		Ok(layout)
	}

	/// Whether `row` passes the filter. Columns a row lacks read as 0; validate first.
	pub fn selects(&self, row: &[u32]) -> bool {
		self.filter.iter().all(|predicate| {
			let value = row.get(usize::from(predicate.column)).copied().unwrap_or(0);
			predicate.op.holds(value, predicate.constant)
		})
	}

	/// The query's result on plaintext rows, in [`OutputLayout`] order: the reference the
	/// encrypted evaluation must match. Arithmetic wraps at 64 bits, which a validated query
	/// never reaches.
	pub fn evaluate_plaintext(&self, rows: &[Vec<u32>]) -> Vec<u64> {
		let value = |row: &[u32], column: ColumnIndex| {
			u64::from(row.get(usize::from(column)).copied().unwrap_or(0))
		};
		let selected: Vec<&[u32]> =
			rows.iter().map(Vec::as_slice).filter(|row| self.selects(row)).collect();
		let count = selected.len() as u64;
		let mut outputs = alloc::vec![1, count];
		match &self.program {
			Program::Count => {}
			Program::Sum { column } | Program::Mean { column } => outputs
				.push(selected.iter().fold(0u64, |sum, row| sum.wrapping_add(value(row, *column)))),
			Program::Histogram { column, edges } => {
				let mut buckets = alloc::vec![0u64; edges.len() + 1];
				for row in &selected {
					let v = value(row, *column);
					let bucket = edges.iter().filter(|edge| v >= u64::from(**edge)).count();
					buckets[bucket] += 1;
				}
				outputs.extend(buckets);
			}
			Program::WeightedSum { terms, bias } => {
				let total = selected.iter().fold(0u64, |total, row| {
					let score = terms.iter().fold(u64::from(*bias), |score, term| {
						score.wrapping_add(
							u64::from(term.weight).wrapping_mul(value(row, term.column)),
						)
					});
					total.wrapping_add(score)
				});
				outputs.push(total);
			}
		}
		if count < u64::from(self.min_cohort) {
			outputs.iter_mut().for_each(|output| *output = 0);
		}
		outputs
	}
}

/// A decrypted result, read through its layout.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct AggregateResult {
	/// Whether the cohort gate passed; when false every other field is 0.
	pub gate_passed: bool,
	/// The number of selected rows.
	pub count: u64,
	/// The program's own outputs: `[total]` for `Sum`, `Mean` and `WeightedSum` (divide by
	/// `count` for a mean), one count per bucket for `Histogram`, nothing for `Count`.
	pub values: Vec<u64>,
}

impl AggregateResult {
	/// Reads outputs in [`OutputLayout`] order (gate flag, count, then the program's own).
	pub fn from_outputs(outputs: &[u64]) -> Self {
		Self {
			gate_passed: outputs.first().copied() == Some(1),
			count: outputs.get(1).copied().unwrap_or(0),
			values: outputs.get(2..).map(<[u64]>::to_vec).unwrap_or_default(),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;

	fn list<T, const N: u32>(items: Vec<T>) -> BoundedList<T, N> {
		BoundedList::new(items).unwrap_or_else(|_| panic!("over bound"))
	}

	fn query(program: Program, filter: Vec<Predicate>, min_cohort: u32) -> Query {
		Query { program, filter: list(filter), min_cohort }
	}

	const SCHEMA: [ColumnWidth; 3] = [ColumnWidth::U8, ColumnWidth::U16, ColumnWidth::U32];

	#[test]
	fn bounded_list_decode_rejects_more_items_than_its_bound() {
		let encoded = vec![1u32, 2, 3, 4, 5].encode();
		assert!(BoundedList::<u32, 4>::decode(&mut &encoded[..]).is_err());
		let decoded = BoundedList::<u32, 5>::decode(&mut &encoded[..]).unwrap();
		assert_eq!(decoded.as_slice(), &[1, 2, 3, 4, 5]);
		assert_eq!(decoded.encode(), encoded);
	}

	#[test]
	fn layout_has_gate_count_then_program_outputs() {
		let layout = query(Program::Sum { column: 1 }, vec![], 3).validate(&SCHEMA, 16).unwrap();
		assert_eq!(
			layout,
			vec![
				OutputSpec { role: OutputRole::GateFlag, bits: 1 },
				OutputSpec { role: OutputRole::Count, bits: 5 },
				OutputSpec { role: OutputRole::Total, bits: 20 },
			]
		);
	}

	mod reject {
		use super::*;

		#[test]
		fn unknown_column() {
			let q = query(Program::Sum { column: 3 }, vec![], 0);
			assert_eq!(q.validate(&SCHEMA, 4), Err(QueryError::UnknownColumn { column: 3 }));
			let p = Predicate { column: 9, op: CompareOp::Eq, constant: 1 };
			let q = query(Program::Count, vec![p], 0);
			assert_eq!(q.validate(&SCHEMA, 4), Err(QueryError::UnknownColumn { column: 9 }));
		}

		#[test]
		fn constant_out_of_range() {
			let p = Predicate { column: 0, op: CompareOp::Lt, constant: 256 };
			let q = query(Program::Count, vec![p], 0);
			assert_eq!(
				q.validate(&SCHEMA, 4),
				Err(QueryError::ConstantOutOfRange { column: 0, constant: 256 })
			);
		}

		#[test]
		fn bad_histogram_edges() {
			let h = |edges: Vec<u32>| {
				query(Program::Histogram { column: 0, edges: list(edges) }, vec![], 0)
			};
			assert_eq!(h(vec![]).validate(&SCHEMA, 4), Err(QueryError::HistogramWithoutEdges));
			assert_eq!(
				h(vec![5, 5]).validate(&SCHEMA, 4),
				Err(QueryError::HistogramEdgesNotIncreasing)
			);
			assert_eq!(
				h(vec![0]).validate(&SCHEMA, 4),
				Err(QueryError::HistogramEdgeOutOfRange { edge: 0 })
			);
			assert_eq!(
				h(vec![256]).validate(&SCHEMA, 4),
				Err(QueryError::HistogramEdgeOutOfRange { edge: 256 })
			);
		}

		#[test]
		fn bad_weighted_sums() {
			let w = |terms: Vec<WeightedTerm>| {
				query(Program::WeightedSum { terms: list(terms), bias: 0 }, vec![], 0)
			};
			assert_eq!(w(vec![]).validate(&SCHEMA, 4), Err(QueryError::WeightedSumWithoutTerms));
			let t = WeightedTerm { column: 1, weight: 2 };
			assert_eq!(
				w(vec![t, t]).validate(&SCHEMA, 4),
				Err(QueryError::RepeatedColumn { column: 1 })
			);
		}

		#[test]
		fn accumulator_overflow() {
			let t = WeightedTerm { column: 2, weight: u32::MAX };
			let q = query(Program::WeightedSum { terms: list(vec![t]), bias: 0 }, vec![], 0);
			assert!(q.validate(&SCHEMA, 1).is_ok());
			assert_eq!(q.validate(&SCHEMA, 2), Err(QueryError::AccumulatorOverflow));
		}

		#[test]
		fn empty_dataset_and_schema() {
			assert_eq!(
				query(Program::Count, vec![], 0).validate(&SCHEMA, 0),
				Err(QueryError::EmptyDataset)
			);
			assert_eq!(
				query(Program::Count, vec![], 0).validate(&[], 1),
				Err(QueryError::SchemaSizeOutOfRange)
			);
		}
	}

	#[test]
	fn plaintext_gate_zeroes_every_output() {
		let rows = vec![vec![1, 2, 3], vec![4, 5, 6]];
		let q = query(Program::Sum { column: 2 }, vec![], 2);
		assert_eq!(q.evaluate_plaintext(&rows), vec![1, 2, 9]);
		let q = query(Program::Sum { column: 2 }, vec![], 3);
		assert_eq!(q.evaluate_plaintext(&rows), vec![0, 0, 0]);
	}

	#[test]
	fn plaintext_histogram_buckets() {
		let rows = vec![vec![1], vec![5], vec![10], vec![200]];
		let q = query(Program::Histogram { column: 0, edges: list(vec![5, 100]) }, vec![], 0);
		assert_eq!(q.evaluate_plaintext(&rows), vec![1, 4, 1, 2, 1]);
	}
}
