//! Schemas and CSV reading: every bad input gets its own error (no FHE involved).
#![allow(clippy::unwrap_used)] // Test helpers outside `#[test]` functions too.

use tokenfactory_fhe::dataset::{read_csv, read_csv_with_limit, ColumnSpec};
use tokenfactory_fhe::error::DatasetError;
use tokenfactory_fhe::programs::ColumnWidth;
use tokenfactory_fhe::Schema;

fn schema() -> Schema {
	Schema::parse("age:8, income:u32,score:16").unwrap()
}

#[test]
fn schema_parses_names_and_widths() {
	let schema = schema();
	assert_eq!(
		schema.columns(),
		&[
			ColumnSpec { name: "age".into(), width: ColumnWidth::U8 },
			ColumnSpec { name: "income".into(), width: ColumnWidth::U32 },
			ColumnSpec { name: "score".into(), width: ColumnWidth::U16 },
		]
	);
	assert_eq!(schema.column_index("score"), Some(2));
}

#[test]
fn csv_picks_declared_columns_by_name_in_schema_order() {
	let csv = "score,extra,age,income\n7,x,30,50000\n9,y,255,4294967295\n";
	let data = read_csv(csv.as_bytes(), &schema()).unwrap();
	assert_eq!(data.rows, vec![vec![30, 50000, 7], vec![255, u32::MAX, 9]]);
}

mod reject {
	use super::*;

	#[test]
	fn schema_with_bad_width() {
		assert!(matches!(Schema::parse("age:12"), Err(DatasetError::SchemaSyntax { .. })));
		assert!(matches!(Schema::parse("age"), Err(DatasetError::SchemaSyntax { .. })));
		assert!(matches!(Schema::parse(":8"), Err(DatasetError::SchemaSyntax { .. })));
	}

	#[test]
	fn schema_with_duplicate_column() {
		assert!(matches!(
			Schema::parse("a:8,a:16"),
			Err(DatasetError::DuplicateColumn { name }) if name == "a"
		));
	}

	#[test]
	fn schema_with_too_many_columns() {
		let declaration: Vec<String> = (0..17).map(|i| format!("c{i}:8")).collect();
		assert!(matches!(
			Schema::parse(&declaration.join(",")),
			Err(DatasetError::SchemaSizeOutOfRange)
		));
	}

	#[test]
	fn missing_column() {
		let csv = "age,score\n1,2\n";
		assert!(matches!(
			read_csv(csv.as_bytes(), &schema()),
			Err(DatasetError::MissingColumn { name }) if name == "income"
		));
	}

	#[test]
	fn value_out_of_range_with_its_line() {
		let csv = "age,income,score\n1,2,3\n256,2,3\n";
		assert!(matches!(
			read_csv(csv.as_bytes(), &schema()),
			Err(DatasetError::ValueOutOfRange { line: 3, column, value: 256, bits: 8 }) if column == "age"
		));
		let csv = "age,income,score\n1,4294967296,3\n";
		assert!(matches!(
			read_csv(csv.as_bytes(), &schema()),
			Err(DatasetError::ValueOutOfRange { line: 2, value: 4_294_967_296, bits: 32, .. })
		));
	}

	#[test]
	fn non_numeric_or_negative_value_with_its_line() {
		for bad in ["x", "-1", "1.5", ""] {
			let csv = format!("age,income,score\n1,2,3\n1,2,3\n1,{bad},3\n");
			assert!(
				matches!(
					read_csv(csv.as_bytes(), &schema()),
					Err(DatasetError::BadRow { line: 4, .. })
				),
				"{bad:?}"
			);
		}
	}

	#[test]
	fn row_with_wrong_field_count_with_its_line() {
		let csv = "age,income,score\n1,2,3\n1,2\n";
		assert!(matches!(
			read_csv(csv.as_bytes(), &schema()),
			Err(DatasetError::BadRow { line: 3, .. })
		));
	}

	#[test]
	fn empty_csv() {
		let csv = "age,income,score\n";
		assert!(matches!(read_csv(csv.as_bytes(), &schema()), Err(DatasetError::Empty)));
	}

	#[test]
	fn oversize_csv() {
		let csv = "age,income,score\n1,2,3\n1,2,3\n1,2,3\n";
		assert!(matches!(
			read_csv_with_limit(csv.as_bytes(), &schema(), 2),
			Err(DatasetError::TooManyRows { max: 2 })
		));
	}
}
