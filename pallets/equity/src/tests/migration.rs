//! Storage migrations, run on storage written in the old format.

use super::{issue_to_holders, propose::remark};
use crate::{migrations::v1, mock::*, Classes, Proposals};
use polkadot_sdk::frame_support::{
	assert_ok,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};
use polkadot_sdk::sp_runtime::Perbill;

#[test]
fn v1_gives_every_open_resolution_the_supply_at_the_upgrade_as_its_electorate() {
	new_test_ext_checked(|| {
		StorageVersion::new(0).put::<Equity>();
		let class = create_class_capped_at(10_000);
		issue_to_holders(class);
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(3)));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		// Rewrite the resolution as version 0 stored it.
		let new = Proposals::<Test>::get(0).unwrap();
		v1::v0::Proposals::<Test>::insert(
			0,
			v1::ProposalV0::<Test> {
				class: new.class,
				proposer: new.proposer,
				call: new.call.clone(),
				deposit: new.deposit,
				end: new.end,
				ayes: new.ayes,
				nays: new.nays,
			},
		);
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 200));

		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();

		let migrated = Proposals::<Test>::get(0).unwrap();
		assert_eq!(migrated.electorate, 1_200);
		assert_eq!((migrated.ayes, migrated.call, migrated.end), (600, new.call, new.end));
		assert_eq!(Equity::on_chain_storage_version(), StorageVersion::new(1));

		// Once at version 1 it does nothing.
		StorageVersion::new(1).put::<Equity>();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 1));
		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Proposals::<Test>::get(0).unwrap().electorate, 1_200);
	});
}

#[test]
fn v1_gives_a_class_without_quorum_the_default_quorum() {
	new_test_ext_checked(|| {
		StorageVersion::new(0).put::<Equity>();
		let class = create_default_class();
		let untouched = create_default_class();
		// As a class created before quorum had to be more than zero.
		Classes::<Test>::mutate(class, |details| {
			details.as_mut().unwrap().governance.quorum = Perbill::zero();
		});

		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Classes::<Test>::get(class).unwrap().governance.quorum, v1::DEFAULT_QUORUM);
		assert_eq!(
			Classes::<Test>::get(untouched).unwrap().governance.quorum,
			default_governance().quorum
		);
	});
}
