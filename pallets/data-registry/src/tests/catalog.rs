//! The compute pallet's view: [`crate::DataCatalog`].

use crate::{mock::*, DataCatalog, JobRefusal, ProgramPolicy};
use frame_support::assert_ok;
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::{ColumnWidth, ProgramKind};

#[test]
fn an_active_dataset_offers_its_terms() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		let terms = DataRegistry::job_terms(dataset, ProgramKind::Mean).expect("takes jobs");
		assert_eq!(terms.owner, hospital());
		assert_eq!(terms.price, PRICE);
		assert_eq!(terms.schema, vec![ColumnWidth::U8, ColumnWidth::U16, ColumnWidth::U8]);
		assert_eq!((terms.rows, terms.min_cohort), (ROWS, MIN_COHORT));
		assert_eq!(terms.key_commitment, [7; 32]);
	});
}

#[test]
fn a_program_policy_can_only_tighten_the_cohort_and_limit_predicates() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		let strict = ProgramPolicy {
			kind: ProgramKind::Mean,
			min_cohort: Some(MIN_COHORT + 5),
			max_predicates: Some(2),
		};
		assert_ok!(DataRegistry::set_programs(
			RuntimeOrigin::signed(hospital()),
			dataset,
			vec![strict].try_into().expect("bounded")
		));
		let terms = DataRegistry::job_terms(dataset, ProgramKind::Mean).expect("takes jobs");
		assert_eq!((terms.min_cohort, terms.max_predicates), (MIN_COHORT + 5, Some(2)));
	});
}

#[test]
fn refusals_say_why() {
	build_and_execute(|| {
		assert_eq!(DataRegistry::job_terms(0, ProgramKind::Count), Err(JobRefusal::UnknownDataset));
		let (dataset, _) = registered_dataset(&hospital());
		assert_eq!(
			DataRegistry::job_terms(dataset, ProgramKind::Count),
			Err(JobRefusal::NotActive)
		);
		let (active, _) = active_dataset(&clinic());
		assert_eq!(
			DataRegistry::job_terms(active, ProgramKind::Histogram),
			Err(JobRefusal::ProgramNotAllowed)
		);
		assert_ok!(DataRegistry::pause(RuntimeOrigin::signed(clinic()), active));
		assert_eq!(DataRegistry::job_terms(active, ProgramKind::Count), Err(JobRefusal::NotActive));
	});
}

#[test]
fn running_jobs_are_counted() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		DataRegistry::job_started(dataset);
		DataRegistry::job_started(dataset);
		DataRegistry::job_finished(dataset);
		assert_eq!(crate::Datasets::<Test>::get(dataset).expect("exists").running_jobs, 1);
	});
}
